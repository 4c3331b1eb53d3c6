import DLMS
import Transport

/// The meter's side of the IEC 62056-21 mode E opening (fact sheet §2): at 300 Bd 7E1 it answers
/// the sign-on `/?[address]!` CR LF with its identification `/MPR` Z `\2` ident CR LF (Z = the
/// highest rate it offers, `\2` = mode E binary/HDLC, L21), accepts the acknowledgement
/// `ACK 2 Z 2` CR LF (V = `2` HDLC procedure, Y = `2` binary mode, Z ≤ the offered rate), confirms
/// it at rate Z and switches to Z 8N1 for HDLC.
///
/// - **Timing (§2.4).** The identification goes out the meter's minimum reaction time (200 ms:
///   the third manufacturer letter is upper case) after the sign-on arrived. After the
///   acknowledgement the meter waits the same 200 ms — longer than JD's 150 ms
///   `baudrateChangeTime`, so the client listens at the new rate already — then sets Z 7E1, sends
///   `ACK 2 Z 2` CR LF (JD `Iec21Layer` reads these 6 bytes at Z 7E1; GX reads them optionally)
///   and sets Z 8N1.
/// - **Ignored input.** Bytes before `/` or ACK on a line (wake-up NULs, noise), a sign-on naming
///   another device address, an acknowledgement without a sign-on before it. An acknowledgement
///   that does not select HDLC, or selects a rate above the offered one, is refused: the meter stays
///   at 300 Bd and waits for a new sign-on.
public struct DLMSModeEServerOpening: Sendable {
    /// What a complete line from the client meant.
    public enum Event: Hashable, Sendable {
        /// A sign-on for this meter: answer with ``identification``.
        case signOn(ModeESignOnRequest)
        /// The acknowledgement selected HDLC at this rate.
        case accepted(ModeEBaudRate)
        /// The acknowledgement selected something this meter does not offer.
        case refused(ModeEOptionSelect)
    }

    /// The identification message (`/MPR6\2MPR0000000000001` CR LF by default).
    public let identification: ModeEIdentification
    /// The highest rate offered (Z of the identification).
    public let highestRate: ModeEBaudRate
    /// The meter's device address; a sign-on naming another one is ignored. Empty: answers any sign-on.
    public let deviceAddress: String

    private var buffer: [UInt8] = []
    private var signedOn = false

    /// The opening of the meter with `identity`: manufacturer `MPR`, identification text its
    /// logical device name, rates up to `highestRate`.
    public init(identity: DLMSSimulatorIdentity = .default, highestRate: ModeEBaudRate = .bd19200, deviceAddress: String = "") {
        let text = String(decoding: identity.logicalDeviceName.filter { (0x20...0x7E).contains($0) }, as: UTF8.self)
        let fallback = ModeEIdentification.reference(highestRate)
        self.identification = (try? ModeEIdentification(manufacturer: "MPR", baudCharacter: highestRate.rawValue,
                                                         enhancedIdentification: 0x32, identification: text)) ?? fallback
        self.highestRate = highestRate
        self.deviceAddress = deviceAddress
    }

    /// The minimum reaction time the identification announces (§2.1).
    public var reactionTime: Duration { identification.minimumReactionTime }

    /// Feeds bytes received at 300 Bd; returns the events of the lines they completed.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while let lf = buffer.firstIndex(of: 0x0A) {
            let line = Array(buffer[...lf])
            buffer.removeFirst(lf + 1)
            if let event = interpret(line) { events.append(event) }
        }
        // A line never ends: keep only the tail where a message could still start.
        if buffer.count > 128 { buffer.removeFirst(buffer.count - 128) }
        return events
    }

    private mutating func interpret(_ line: [UInt8]) -> Event? {
        guard let start = line.lastIndex(where: { $0 == 0x2F || $0 == 0x06 }) else { return nil }
        let message = line[start...]
        if message.first == 0x2F {
            guard let request = try? ModeESignOnRequest.decode(message),
                  request.deviceAddress.isEmpty || deviceAddress.isEmpty || request.deviceAddress == deviceAddress else { return nil }
            signedOn = true
            return .signOn(request)
        }
        guard signedOn, let select = try? ModeEOptionSelect.decode(message) else { return nil }
        signedOn = false
        guard select.selectsHDLC, let rate = select.baudRate, rate.baud <= highestRate.baud else { return .refused(select) }
        return .accepted(rate)
    }

    /// Runs the opening on `line` from 300 Bd 7E1 until a client has selected HDLC; returns the
    /// rate, with the line at that rate 8N1. Nil when the line closed or the task was cancelled.
    /// On a pty every setting is only recorded (`TransportNote.lineSettings(_, physical: false)`).
    public func run(on line: any LineControl, log: DLMSSimulatorServer.Log? = nil) async throws(TransportError) -> ModeEBaudRate? {
        var opening = self
        opening.buffer = []
        opening.signedOn = false
        try await line.apply(try LineSettings.sevenEvenOne(baud: ModeETiming.initialBaudRate))
        while !Task.isCancelled {
            let chunk: [UInt8]
            do {
                chunk = try await line.receive(maxCount: 256, deadline: .now + .milliseconds(500))
            } catch {
                if error.endsService { return nil }
                throw error
            }
            let arrived = ContinuousClock.now
            for event in opening.receive(chunk) {
                do {
                    try await Task.sleep(until: arrived + reactionTime, clock: .continuous)
                } catch {
                    return nil
                }
                switch event {
                case .signOn:
                    log?("mode E sign-on; identifying as \(String(decoding: identification.encoded().dropLast(2), as: UTF8.self))")
                    try await line.send(identification.encoded())
                case .refused(let select):
                    log?("mode E acknowledgement \(select.encoded()) refused; waiting for a new sign-on")
                case .accepted(let rate):
                    try await line.apply(try LineSettings.sevenEvenOne(baud: rate.baud))
                    try await line.send(ModeEOptionSelect.hdlc(rate).encoded())
                    try await line.apply(try LineSettings.eightNoneOne(baud: rate.baud))
                    return rate
                }
            }
        }
        return nil
    }
}

extension ModeEIdentification {
    /// `/MPR` Z `\2MeterProof` CR LF: used only if an identity's name has no printable characters.
    fileprivate static func reference(_ rate: ModeEBaudRate) -> ModeEIdentification {
        // Every argument is valid by construction (3 letters, a digit, `2`, printable text).
        guard let identification = try? ModeEIdentification(manufacturer: "MPR", baudCharacter: rate.rawValue,
                                                             enhancedIdentification: 0x32, identification: "MeterProof") else {
            preconditionFailure("the reference identification message is valid")
        }
        return identification
    }
}
