import CodecSupport
import DLMS
import Foundation

/// Pushes built with our own encoder for the push tests: a push setup whose push_object_list is
/// {push setup logical_name, clock time, active energy +A value}, ciphered as the reference
/// server's identity would (system title "MPR" 00 00 00 00 01, Green Book EK/AK).
enum PushSamples {
    static let ek = SecurityFixtures.greenBookEK
    static let ak = SecurityFixtures.greenBookAK
    static let title = try! SystemTitle([0x4D, 0x50, 0x52, 0x00, 0x00, 0x00, 0x00, 0x01])

    static let objects = [
        CaptureObjectDefinition(classID: 40, logicalName: OBISCode(0, 0, 25, 9, 0), attributeIndex: 1),
        CaptureObjectDefinition(classID: 8, logicalName: OBISCode(0, 0, 1, 0, 0), attributeIndex: 2),
        CaptureObjectDefinition(classID: 3, logicalName: OBISCode(1, 0, 1, 8, 0), attributeIndex: 2),
    ]

    /// 2026-11-25 Wed 13:00:00, deviation 0, status 0.
    static let clockTime: [UInt8] = [0x07, 0xEA, 0x0B, 0x19, 0x03, 0x0D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]

    static func body(energy: UInt32) -> COSEMData {
        .structure([.octetString([0, 0, 25, 9, 0, 255]), .octetString(clockTime), .doubleLongUnsigned(energy)])
    }

    /// A plain DataNotification APDU.
    static func notification(_ body: COSEMData, invokeID: UInt32 = 1) -> [UInt8] {
        XDLMSAPDU.dataNotification(DataNotification(longInvokeIDAndPriority: LongInvokeIDAndPriority(rawValue: invokeID),
                                                    notificationBody: body)).encoded()
    }

    static var context: SecurityContext {
        SecurityContext(globalUnicastKey: ek, authenticationKey: ak, serverSystemTitle: title)
    }

    static var keys: PushKeys {
        PushKeys(common: PushKeys.Entry(encryptionKey: ek, authenticationKey: ak))
    }

    /// `apdu` in general-glo-ciphering with the server's title, counter `ic`.
    static func ciphered(_ apdu: [UInt8], ic: UInt32, control: SecurityControl = .authenticatedEncryption,
                         form: CipheredAPDUForm = .general(.global)) throws -> [UInt8] {
        try context.protect(apdu: apdu, by: .server, control: control, form: form, invocationCounter: ic)
    }

    /// `apdu` in a wrapper PDU from wPort 1 to the push client 16.
    static func wrapped(_ apdu: [UInt8]) -> [UInt8] {
        WrapperHeader(sourcePort: 1, destinationPort: 16, length: UInt16(apdu.count)).encoded() + apdu
    }

    /// A ciphered push of `energy` in a wrapper.
    static func push(energy: UInt32, ic: UInt32) throws -> [UInt8] {
        wrapped(try ciphered(notification(body(energy: energy)), ic: ic))
    }

    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)
}
