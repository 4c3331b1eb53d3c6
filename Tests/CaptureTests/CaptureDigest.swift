import Capture

/// A capture read end to end through every layer the analyser uses — ``CaptureReader``,
/// ``LinkLayer``, ``IPPacket``, ``IPReassembler``, ``TCPSegment``/``UDPDatagram`` and
/// ``TCPReassembler`` — and summed up: what was decoded, what failed, and each TCP connection's
/// stream bytes, gaps and conflicts. Tests assert on the numbers.
struct CaptureDigest {
    /// One TCP connection as the reassembler reported it.
    struct Connection {
        var key: TCPConnectionKey
        var number: Int
        /// Stream bytes delivered client → server and server → client, in order.
        var streams: [[UInt8]] = [[], []]
        var gaps = 0
        var conflicts = 0
        var closed: TCPCloseReason?
        /// Whether the stream bytes arrived contiguously (each `.data` starting where the last ended).
        var contiguous = true
    }

    var readError: CaptureReadError?
    var packets = 0
    var ipv4 = 0
    var ipv6 = 0
    var serial = 0
    var otherNetwork = 0
    var linkErrors = 0
    var ipErrors = 0
    var fragmentsPending = 0
    var ipDrops = 0
    var tcpSegments = 0
    var tcpErrors = 0
    var tcpChecksumErrors = 0
    var udpDatagrams = 0
    var udpErrors = 0
    var otherTransport = 0
    /// Connections in the order they were opened.
    var connections: [Connection] = []
    /// The most bytes the TCP reassembler held out of order at any moment (sampled per packet when
    /// `sampleMemory` is set).
    var peakTCPBuffered = 0
    var peakTCPConnections = 0
    var peakIPBuffered = 0

    /// Connections with `port` at either end.
    func connections(port: UInt16) -> [Connection] {
        connections.filter { $0.key.client.port == port || $0.key.server.port == port }
    }

    /// Reads `path` to the end (or its first error) and digests every packet.
    static func read(_ path: String, tcpLimits: TCPReassembler.Limits = .init(), ip: IPReassembler = IPReassembler(),
                     sampleMemory: Bool = false, verifyChecksums: Bool = true) -> CaptureDigest {
        var digest = CaptureDigest()
        var tcp = TCPReassembler(limits: tcpLimits)
        var ipReassembler = ip
        var index: [Int: Int] = [:]  // connection number → position in `connections`
        func take(_ events: [TCPStreamEvent]) {
            for event in events {
                if case .opened = event.kind {
                    index[event.connectionNumber] = digest.connections.count
                    digest.connections.append(Connection(key: event.connection, number: event.connectionNumber))
                    continue
                }
                guard let position = index[event.connectionNumber] else { continue }
                switch event.kind {
                case .data(let direction, let bytes, let offset, _):
                    if UInt64(digest.connections[position].streams[direction.rawValue].count) != offset {
                        digest.connections[position].contiguous = false
                    }
                    digest.connections[position].streams[direction.rawValue] += bytes
                case .gap: digest.connections[position].gaps += 1
                case .overlapConflict: digest.connections[position].conflicts += 1
                case .closed(let reason):
                    digest.connections[position].closed = reason
                    index[event.connectionNumber] = nil
                case .opened: break
                }
            }
        }
        do {
            let reader = try CaptureReader(path: path)
            while let captured = try reader.next() {
                digest.packets += 1
                let time = captured.timestamp ?? CaptureTime(nanosecondsSince1970: 0)
                guard let frame = try? LinkLayer.decode(captured) else {
                    digest.linkErrors += 1
                    continue
                }
                switch frame.network {
                case .ipv4: digest.ipv4 += 1
                case .ipv6: digest.ipv6 += 1
                case .serial:
                    digest.serial += 1
                    continue
                case .other:
                    digest.otherNetwork += 1
                    continue
                }
                guard let decoded = try? IPPacket.decode(frame.payload, verifyChecksum: verifyChecksums) else {
                    digest.ipErrors += 1
                    continue
                }
                let packet: IPPacket
                switch ipReassembler.add(decoded, at: time) {
                case .complete(let whole, _): packet = whole
                case .pending:
                    digest.fragmentsPending += 1
                    continue
                case .droppedV4, .droppedV6:
                    digest.ipDrops += 1
                    continue
                }
                if sampleMemory { digest.peakIPBuffered = max(digest.peakIPBuffered, ipReassembler.bufferedBytes) }
                switch packet.protocolNumber {
                case 6:
                    guard let segment = try? TCPSegment.decode(packet.payload) else {
                        digest.tcpErrors += 1
                        continue
                    }
                    digest.tcpSegments += 1
                    if verifyChecksums, !Self.tcpChecksumOK(packet) { digest.tcpChecksumErrors += 1 }
                    let source = CaptureEndpoint(address: packet.source.bytes, port: segment.sourcePort)
                    let destination = CaptureEndpoint(address: packet.destination.bytes, port: segment.destinationPort)
                    take(tcp.process(segment, source: source, destination: destination, packetNumber: digest.packets))
                    if sampleMemory {
                        digest.peakTCPBuffered = max(digest.peakTCPBuffered, tcp.bufferedByteCount)
                        digest.peakTCPConnections = max(digest.peakTCPConnections, tcp.openConnectionCount)
                    }
                case 17:
                    if (try? UDPDatagram.decode(packet.payload, source: packet.source, destination: packet.destination,
                                                verifyChecksum: verifyChecksums)) != nil {
                        digest.udpDatagrams += 1
                    } else {
                        digest.udpErrors += 1
                    }
                default:
                    digest.otherTransport += 1
                }
            }
        } catch {
            digest.readError = error
        }
        take(tcp.finish())
        return digest
    }

    /// The TCP checksum over the IPv4 (RFC 9293 §3.1) or IPv6 (RFC 8200 §8.1) pseudo-header.
    static func tcpChecksumOK(_ packet: IPPacket) -> Bool {
        var pseudo = packet.source.bytes + packet.destination.bytes
        let length = packet.payload.count
        if case .v6 = packet.source {
            pseudo += [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
                       UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length), 0, 0, 0, 6]
        } else {
            pseudo += [0, 6, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        }
        return TCPSegment.verifyChecksum(segment: packet.payload, pseudoHeader: pseudo)
    }
}
