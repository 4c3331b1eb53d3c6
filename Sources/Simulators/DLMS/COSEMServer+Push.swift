import DLMS

/// One DataNotification ready to send (fact sheet §5.10).
public struct COSEMPush: Sendable, Hashable {
    /// Where to send it ("host:port" from push setup attribute 3).
    public var destination: String
    /// The APDU: a DataNotification, general-glo-ciphered when ``COSEMServerConfiguration/pushCiphered``.
    public var apdu: [UInt8]
    /// The simulated local time it was built for (seconds, see ``SimulatedClock``).
    public var time: Int64
}

/// Pushes from the push setup object 0.0.25.9.0.255.
///
/// The DataNotification carries long-invoke-id-and-priority (an increasing 24-bit id, unconfirmed,
/// normal priority), the date-time (octet-string `0C` + 12 bytes, GX form) and a structure of the
/// push_object_list values (push setup logical name, clock time, energy import, energy export).
/// Ciphered by default (``COSEMServerConfiguration/pushCiphered``): general-glo-ciphering with the
/// server system title, SC 30 under GUEK/GAK, and the next server invocation counter.
extension COSEMServer {
    /// The push due at `seconds` (simulated local time): one per ``COSEMServerConfiguration/pushInterval``
    /// after the clock's start (the first at start + interval); nil when the current interval's push was
    /// already returned or none is due yet.
    public func pushNotification(at seconds: Int64) -> COSEMPush? {
        let slot = (seconds - configuration.clock.startSeconds) / configuration.pushInterval
        guard slot >= 1, slot != lastPushSlot else { return nil }
        lastPushSlot = slot
        return makePushNotification(at: seconds)
    }

    /// ``pushNotification(at:)`` at the clock's current time.
    public func pushNotificationIfDue() -> COSEMPush? { pushNotification(at: configuration.clock.nowSeconds) }

    /// A push for `seconds`, whether due or not (also what ACTION push method 1 queues).
    public func makePushNotification(at seconds: Int64) -> COSEMPush {
        let clock = configuration.clock
        let setup = store.object(COSEMPushSetupObject.obis) as? COSEMPushSetupObject
        let elapsed = max(0, seconds - clock.startSeconds)
        let body: COSEMData = .structure([
            COSEMPushSetupObject.obis.data,
            .octetString(clock.dateTime(seconds: seconds).encoded),
            .doubleLongUnsigned(COSEMObjectStore.importEnergy(secondsSinceStart: elapsed)),
            .doubleLongUnsigned(COSEMObjectStore.exportEnergy(secondsSinceStart: elapsed)),
        ])
        let invoke = LongInvokeIDAndPriority(rawValue: nextPushInvokeID & 0x00FF_FFFF)
        nextPushInvokeID = nextPushInvokeID &+ 1
        let notification = DataNotification(longInvokeIDAndPriority: invoke, dateTime: clock.dateTime(seconds: seconds).encoded,
                                            notificationBody: body)
        var apdu = XDLMSAPDU.dataNotification(notification).encoded()
        if configuration.pushCiphered {
            let context = baseSecurityContext(clientSystemTitle: nil)
            if let ciphered = try? context.protect(apdu: apdu, by: .server, form: .general(.global), invocationCounter: takeInvocationCounter()) {
                apdu = ciphered
            }
        }
        return COSEMPush(destination: String(decoding: setup?.destination ?? Array(configuration.pushDestination.utf8), as: UTF8.self),
                         apdu: apdu, time: seconds)
    }
}
