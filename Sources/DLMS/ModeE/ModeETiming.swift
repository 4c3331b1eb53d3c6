/// Line settings and delays of the IEC 62056-21 mode E opening, as implemented by the
/// libraries the fact sheet read (§2.1, §2.4). Constants only; the transport does the I/O.
public enum ModeETiming {
    /// Character format on the line.
    public struct CharacterFormat: Hashable, Sendable {
        /// Parity bit.
        public enum Parity: String, Hashable, Sendable { case none, even, odd }
        /// Data bits per character.
        public let dataBits: Int
        /// Parity.
        public let parity: Parity
        /// Stop bits.
        public let stopBits: Int

        /// A character format.
        public init(dataBits: Int, parity: Parity, stopBits: Int) {
            self.dataBits = dataBits
            self.parity = parity
            self.stopBits = stopBits
        }
    }

    /// The opening runs at 300 Bd (§2.1 step 0).
    public static let initialBaudRate = 300
    /// The opening messages use 7E1: 7 data bits, even parity, 1 stop bit (JD, GX).
    public static let openingFormat = CharacterFormat(dataBits: 7, parity: .even, stopBits: 1)
    /// After the switch HDLC runs in 8N1 at rate Z (JD, GX).
    public static let hdlcFormat = CharacterFormat(dataBits: 8, parity: .none, stopBits: 1)

    /// A meter's minimum reaction time: 200 ms (PW, L21).
    public static let minimumReactionTime: Duration = .milliseconds(200)
    /// The reaction time of a meter whose third manufacturer letter is lower case: 20 ms (PW, L21).
    public static let fastMinimumReactionTime: Duration = .milliseconds(20)

    /// The delay between sending the acknowledgement/option select and switching to rate Z:
    /// 150 ms, JD's `baudrateChangeTime` default. GX waits 1 s instead; JD's value is chosen
    /// because it is below the meter's 200 ms reaction time, so the client listens at the new
    /// rate before the meter may answer (fact sheet §2.4).
    public static let baudRateSwitchDelay: Duration = .milliseconds(150)

    /// JD's read timeout for each opening message, 2 s (§2.4).
    public static let messageTimeout: Duration = .seconds(2)

    /// The reaction time for a manufacturer id: 20 ms when its third letter is lower case, else 200 ms.
    public static func minimumReactionTime(manufacturer: String) -> Duration {
        let scalars = Array(manufacturer.unicodeScalars)
        guard scalars.count == 3, ("a"..."z").contains(scalars[2]) else { return minimumReactionTime }
        return fastMinimumReactionTime
    }
}
