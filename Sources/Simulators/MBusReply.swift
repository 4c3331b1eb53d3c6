/// Bytes the slave sends in answer to one request, and when.
public struct MBusReply: Sendable, Equatable {
    /// The bytes on the wire, start byte first (garbage included when a fault adds it).
    public var bytes: [UInt8]
    /// Time from the end of the request to the first byte of the reply (fact sheet §1.10).
    public var delay: Duration
    /// The line speed the reply is sent at (the old rate for the E5 to a baud-rate switch).
    public var baud: Int

    /// A reply.
    public init(bytes: [UInt8], delay: Duration, baud: Int) {
        self.bytes = bytes
        self.delay = delay
        self.baud = baud
    }
}
