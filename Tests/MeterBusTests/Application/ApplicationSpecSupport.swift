import CodecSupport
@testable import MeterBus

// Helpers for the application-layer specification tests. Vectors cite the fact sheet
// (/work/shared/reference/mbus.md) by section and the implementation they come from.

enum Spec {
    /// Bytes from hex text ("68 1F 1F 68 …"); a malformed literal is a bug in the test itself.
    static func bytes(_ hex: String) -> [UInt8] {
        do { return try HexText.parse(hex) } catch { fatalError("bad hex literal in a test: \(hex): \(error)") }
    }

    /// A long frame `68 L L 68 C A CI data CS 16` with L and CS computed (fact sheet §1.1, §1.2).
    static func longFrame(c: UInt8 = 0x08, a: UInt8 = 0x01, ci: UInt8, data: [UInt8]) -> [UInt8] {
        let body = [c, a, ci] + data
        let l = UInt8(truncatingIfNeeded: body.count)
        let cs = body.reduce(UInt8(0)) { $0 &+ $1 }
        return [0x68, l, l, 0x68] + body + [cs, 0x16]
    }

    /// Offset of the first byte after CI in a long frame: 68 L L 68 C A CI.
    static let dataOffset = 7

    /// Records of a CI 78 (no header) RSP_UD carrying `hex` as its data.
    static func records(_ hex: String) throws -> [DataRecord] {
        try Telegram.decode(longFrame(ci: 0x78, data: bytes(hex))).records
    }

    /// The only record of a CI 78 RSP_UD carrying `hex`.
    static func record(_ hex: String) throws -> DataRecord {
        let all = try records(hex)
        guard all.count == 1, let first = all.first else {
            throw MeterBusError(.invalidValue, at: 0, "expected exactly one record, found \(all.count)")
        }
        return first
    }

    /// The meaning of a VIB given as bytes (VIF, VIFEs).
    static func meaning(_ hex: String) -> ValueMeaning {
        let b = bytes(hex)
        return ValueInformationBlock(vif: b[0], vifes: Array(b.dropFirst())).meaning
    }

    /// The error `Telegram.decode` throws, or nil when the bytes decode.
    static func decodeError(_ bytes: [UInt8]) -> MeterBusError? {
        do {
            _ = try Telegram.decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// The error for a CI 78 frame carrying `hex`, or nil.
    static func recordError(_ hex: String) -> MeterBusError? {
        decodeError(longFrame(ci: 0x78, data: bytes(hex)))
    }
}

extension Spec {
    /// Fact sheet §2.1, §3.3, §9.1: libmbus `test/test-frames/manual_frame3.hex`.
    static let manualFrame3 = "68 1F 1F 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 37 18 02 18 16"
    /// Fact sheet §1.2, §2.6, §9.1: libmbus `manual_frame2.hex` (CI 73 fixed data).
    static let manualFrame2 = "68 13 13 68 08 05 73 78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00 3C 16"
    /// Fact sheet §9.1: libmbus `manual_frame7.hex` (fabrication number).
    static let manualFrame7 = "68 15 15 68 08 02 72 78 56 34 12 24 40 01 07 13 00 00 00 0C 78 04 03 02 01 9D 16"
}
