import DLMS

/// The server side of the TCP wrapper (IEC 62056-47; fact sheet §3): bytes in, PDUs out, no I/O.
///
/// - A PDU's source wPort is the client SAP, its destination wPort the logical device. PDUs for
///   another logical device are dropped (Gurux's `checkWrapperAddress` rejects a destination that
///   is not the server's address).
/// - A header whose version is not 1 is skipped a byte at a time until a version-1 header lines up,
///   without an answer: Gurux's `getTcpData` scans for `00 01` the same way (``WrapperReader``).
/// - The length field decides where a PDU ends; the link waits for that many bytes (Gurux and
///   ``WrapperReader`` both do). An empty APDU is ignored.
/// - Responses carry the wPorts swapped: source = logical device, destination = client SAP.
///
/// The link remembers every client SAP it served; ``connectionClosed()`` ends their associations.
public struct DLMSWrapperServerLink {
    /// The logical device (destination wPort) comes from here.
    public let identity: DLMSSimulatorIdentity
    private let device: any DLMSLogicalDevice
    private var reader = WrapperReader()
    /// Client SAPs seen on this connection, in order of first appearance.
    public private(set) var clients: [UInt16] = []

    /// A link that hands APDUs addressed to `identity.logicalDevice` to `device`.
    public init(identity: DLMSSimulatorIdentity = .default, device: any DLMSLogicalDevice) {
        self.identity = identity
        self.device = device
    }

    /// Feeds bytes from the connection in any chunks; returns the encoded PDUs to send, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        reader.append(bytes)
        var out: [[UInt8]] = []
        while let event = reader.next() {
            guard case .frame(let frame, _, _) = event else { continue }
            out += handle(frame)
        }
        return out
    }

    /// Handles one PDU; returns the encoded response PDUs.
    public mutating func handle(_ frame: WrapperFrame) -> [[UInt8]] {
        guard frame.destinationPort == identity.logicalDevice, !frame.apdu.isEmpty else { return [] }
        let client = frame.sourcePort
        if !clients.contains(client) { clients.append(client) }
        return device.handle(apdu: Array(frame.apdu), from: client).compactMap { apdu in
            try? WrapperFrame(sourcePort: frame.destinationPort, destinationPort: client, apdu: apdu[...]).encoded()
        }
    }

    /// The connection closed: every client served on it leaves (``DLMSLogicalDevice/linkClosed(client:)``).
    public mutating func connectionClosed() {
        for client in clients { device.linkClosed(client: client) }
        clients = []
        reader = WrapperReader()
    }
}
