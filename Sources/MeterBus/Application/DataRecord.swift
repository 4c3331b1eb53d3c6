import CodecSupport

/// One data record: DIB, VIB and the value (EN 13757-3; fact sheet §3).
public struct DataRecord: Sendable, Equatable {
    /// The data information block.
    public var dib: DataInformationBlock
    /// The value information block.
    public var vib: ValueInformationBlock
    /// The decoded value.
    public var value: DataValue
    /// Offset of the DIF from the start of the frame (0 for records built in code).
    public var offset: Int

    /// Creates a record. Use ``encoded(msbFirst:)`` to check that the value fits the coding.
    public init(dib: DataInformationBlock, vib: ValueInformationBlock, value: DataValue, offset: Int = 0) {
        self.dib = dib
        self.vib = vib
        self.value = value
        self.offset = offset
    }

    /// Function field.
    public var function: RecordFunction { dib.function }
    /// Storage number.
    public var storage: UInt64 { dib.storage }
    /// Tariff.
    public var tariff: UInt32 { dib.tariff }
    /// Subunit.
    public var subunit: UInt16 { dib.subunit }
    /// The VIB's interpretation.
    public var meaning: ValueMeaning { vib.meaning }

    /// The value scaled to the unit of ``meaning`` when it is a number.
    public var scaledNumber: Double? {
        guard let n = value.number else { return nil }
        let m = meaning
        return m.kind == .quantity ? m.scale(n) : n
    }

    /// The record's bytes: DIB, VIB, LVAR (if any) and data. Nil when the value does not fit the coding.
    public func encoded(msbFirst: Bool = false) -> [UInt8]? {
        guard let data = value.encoded(for: dib.coding, msbFirst: msbFirst) else { return nil }
        return dib.bytes + vib.bytes + data
    }

    /// Reads a record whose DIF is not a special function. `origin` is the frame's first byte.
    static func decode(_ cursor: inout ByteCursor, dib: DataInformationBlock, start: Int, origin: Int,
                       msbFirst: Bool) throws(MeterBusError) -> DataRecord {
        let vib = try ValueInformationBlock.decode(&cursor, origin: origin)
        let coding = dib.coding
        var lvar: UInt8? = nil
        let length: Int
        if let fixed = coding.fixedLength {
            length = fixed
        } else {
            let lvarOffset = cursor.position
            let l: UInt8
            do { l = try cursor.readByte() } catch { throw .truncated(error, origin: origin, reading: "LVAR") }
            guard let n = DataValue.lengthAnnounced(byLVAR: l) else {
                throw MeterBusError(.invalidLVAR, at: lvarOffset - origin, "LVAR 0x\(hex(l)) defines no coding")
            }
            lvar = l
            length = n
        }
        let data: ArraySlice<UInt8>
        do { data = try cursor.readBytes(length) } catch {
            throw MeterBusError(.truncated, at: error.offset - origin,
                                "truncated record at offset \(start - origin): \(length) data byte(s) needed, \(error.available) left")
        }
        let value = DataValue.decode(coding: coding, lvar: lvar, data: data, kind: ValueMeaning.dateKind(of: vib), msbFirst: msbFirst)
        return DataRecord(dib: dib, vib: vib, value: value, offset: start - origin)
    }
}
