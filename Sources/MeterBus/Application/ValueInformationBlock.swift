import CodecSupport

/// A VIF with its optional plain-text unit and VIFE chain (EN 13757-3; fact sheet §3.9, §4).
///
/// The transmitted bytes are kept; ``meaning`` interprets them through the primary table,
/// the FB/FD extension tables and the combinable VIFEs.
public struct ValueInformationBlock: Sendable, Equatable, Hashable {
    /// Most VIFEs a record may carry (libmbus, wmbusmeters, jMBus; CI 70 error 6 names the limit).
    public static let maximumVIFEs = 10

    /// The VIF byte.
    public let vif: UInt8
    /// The plain-text unit of VIF 7C/FC as transmitted (right-most character first); nil otherwise.
    public let plainTextBytes: [UInt8]?
    /// The VIFE bytes in order.
    public let vifes: [UInt8]

    /// Wraps transmitted bytes. The caller keeps the extension bits consistent.
    public init(vif: UInt8, vifes: [UInt8] = [], plainTextBytes: [UInt8]? = nil) {
        self.vif = vif
        self.vifes = vifes
        self.plainTextBytes = plainTextBytes
    }

    /// A block with a plain-text unit (VIF 7C, or FC when VIFEs follow), given as readable text.
    public init(plainTextUnit: String, vifes: [UInt8] = []) {
        let latin1 = plainTextUnit.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        self.vif = vifes.isEmpty ? 0x7C : 0xFC
        self.vifes = vifes
        self.plainTextBytes = Array(latin1.reversed())
    }

    /// The plain-text unit in reading order (decoders reverse it: fact sheet §3.8).
    public var plainText: String? {
        guard let raw = plainTextBytes else { return nil }
        return latin1String(raw.reversed())
    }

    /// The transmitted bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = [vif]
        if let raw = plainTextBytes {
            out.append(UInt8(truncatingIfNeeded: raw.count))
            out += raw
        }
        out += vifes
        return out
    }

    /// The interpretation of the block.
    public var meaning: ValueMeaning { ValueMeaning(self) }

    /// Reads a VIB at the cursor. The plain-text unit sits right after VIF 7C/FC, before the VIFEs,
    /// as libmbus, pyMeterBus, jMBus and wmbusmeters read it (exmbus alone reads it after the VIFEs).
    static func decode(_ cursor: inout ByteCursor, origin: Int) throws(MeterBusError) -> ValueInformationBlock {
        let vif: UInt8
        do { vif = try cursor.readByte() } catch { throw .truncated(error, origin: origin, reading: "VIF") }
        var plain: [UInt8]? = nil
        if vif & 0x7F == 0x7C {
            do {
                let length = Int(try cursor.readByte())
                plain = Array(try cursor.readBytes(length))
            } catch {
                throw MeterBusError(.truncated, at: error.offset - origin,
                                    "premature end of plain-text VIF: \(error.needed) byte(s) needed, \(error.available) left")
            }
        }
        var vifes: [UInt8] = []
        var extends = vif & 0x80 != 0
        while extends {
            guard vifes.count < maximumVIFEs else {
                throw MeterBusError(.tooManyVIFEs, at: cursor.position - origin,
                                    "more than \(maximumVIFEs) VIFEs")
            }
            let vife: UInt8
            do { vife = try cursor.readByte() } catch {
                throw MeterBusError(.truncated, at: error.offset - origin,
                                    "premature end of VIB: VIFE expected after 0x\(hex(vifes.last ?? vif))")
            }
            vifes.append(vife)
            extends = vife & 0x80 != 0
        }
        return ValueInformationBlock(vif: vif, vifes: vifes, plainTextBytes: plain)
    }
}

/// Decodes ISO 8859-1 bytes: every byte is the scalar of the same value, so encoding back is exact.
func latin1String(_ bytes: some Sequence<UInt8>) -> String {
    var scalars = String.UnicodeScalarView()
    for b in bytes { scalars.append(Unicode.Scalar(b)) }
    return String(scalars)
}
