import CodecSupport
import DLMS
import Testing

@Suite("Wrapper (IEC 62056-47; fact sheet §3)")
struct WrapperTests {
    @Test("U9 test_udp_message: 13 UDP PDUs from wPort 1 to wPort 1, 70-byte ciphered APDUs (DB …)")
    func u9UDP() throws {
        let vectors = try HDLCFixtures.u9Wrapper()
        let pdus = vectors.filter { $0.bytes.count > 8 && $0.bytes.starts(with: [0x00, 0x01]) }
        #expect(pdus.count == 13)
        for v in pdus {
            let f = try WrapperFrame.decode(v.bytes)
            #expect(f.sourcePort == 1 && f.destinationPort == 1 && f.apdu.count == 0x46 && f.apdu.first == 0xDB, "\(v)")
            #expect(try f.encoded() == v.bytes)
        }
        // U9's header/APDU pair (vectors 160/161 and 162/163): header alone, then joined.
        let header = try #require(vectors.first { $0.index == 160 })
        let apdu = try #require(vectors.first { $0.index == 161 })
        let h = try WrapperHeader.decode(header.bytes[...])
        #expect(h == WrapperHeader(sourcePort: 1, destinationPort: 1, length: 70) && h.encoded() == header.bytes)
        let joined = WrapperFrame(sourcePort: 1, destinationPort: 1, apdu: apdu.bytes[...])
        #expect(try joined.encoded() == pdus[0].bytes)
        #expect(hdlcError { try WrapperFrame.decode(header.bytes) }?.code == .truncated)
    }

    @Test("Gurux wrapper exchanges: 32 PDUs, client wPort 16–18 to logical device 1 and back")
    func gurux() throws {
        let lines = try HDLCFixtures.gurux().filter { $0.section.hasPrefix("wrapper") }
        #expect(lines.count == 32)
        for line in lines {
            let f = try WrapperFrame.decode(line.bytes)
            #expect(try f.encoded() == line.bytes, "\(line)")
            let client = f.sourcePort == 1 ? f.destinationPort : f.sourcePort
            #expect((16...18).contains(client) && (f.sourcePort == 1) == !line.transmitted, "\(line)")
        }
    }

    @Test("TCP stream: all Gurux PDUs back to back, whole, byte by byte and in batches")
    func reader() throws {
        let lines = try HDLCFixtures.gurux().filter { $0.section.hasPrefix("wrapper") }
        let stream = lines.flatMap(\.bytes)
        func run(_ chunk: Int) -> [WrapperReader.Event] {
            var reader = WrapperReader()
            var events: [WrapperReader.Event] = []
            var i = 0
            while i < stream.count {
                reader.append(stream[i..<min(stream.count, i + chunk)])
                i += chunk
                while let e = reader.next() { events.append(e) }
            }
            if let e = reader.finish() { events.append(e) }
            return events
        }
        let whole = run(stream.count)
        #expect(whole.count == lines.count)
        for (event, line) in zip(whole, lines) {
            guard case let .frame(_, bytes, _) = event else { Issue.record("\(event)"); continue }
            #expect(bytes == line.bytes)
        }
        #expect(run(1) == whole && run(7) == whole && run(100) == whole)
    }

    @Test("version other than 0001 (including JD's little-endian 0100) is badFraming; a bad byte resyncs")
    func version() throws {
        #expect(summary(hdlcError { try WrapperHeader.decode([0x01, 0x00, 0, 1, 0, 16, 0, 0][...]) }) == "badFraming@0")
        #expect(summary(hdlcError { try WrapperHeader.decode([0x00, 0x02][...]) }) == "badFraming@0")
        #expect(summary(hdlcError { try WrapperFrame.decode([0, 1, 0, 1, 0, 16, 0, 2, 0xC0]) }) == "truncated@9")
        #expect(summary(hdlcError { try WrapperFrame.decode([0, 1, 0, 1, 0, 16, 0, 0, 0xC0]) }) == "trailingBytes@8")
        let good: [UInt8] = [0, 1, 0, 16, 0, 1, 0, 2, 0x62, 0x00]
        var reader = WrapperReader()
        reader.append([0xFF] + good)
        let first = reader.next()
        guard case let .error(e, discarded, 0)? = first else { Issue.record("\(String(describing: first))"); return }
        #expect(e.code == .badFraming && discarded == [0xFF])
        guard case let .frame(f, _, 1)? = reader.next() else { Issue.record("no frame"); return }
        #expect(f.sourcePort == 16 && Array(f.apdu) == [0x62, 0x00])
        #expect(reader.next() == nil && reader.finish() == nil)
    }
}
