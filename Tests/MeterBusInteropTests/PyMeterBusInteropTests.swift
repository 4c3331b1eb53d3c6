// Interoperability with pyMeterBus 0.8.5 on the 76 libmbus test frames: for every frame both decoders
// accept, the records pair up and their numeric values agree (relative tolerance 1e-9), except where
// pyMeterBus is documented to decode differently (scripts/peers/pymeterbus_decode.py, header comment).
// Every record left out is counted under its reason, and the counts are asserted, so the test cannot
// silently compare less than it did.

import CodecSupport
import Foundation
import MeterBus
import Testing

/// Why a frame or record is not compared numerically. Each reason is a documented pyMeterBus 0.8.5
/// behaviour (or a value that is not a number on either side), checked on the frame, not by file name.
enum SkipReason: String, CaseIterable, Comparable, Sendable {
    // Frames
    /// `meterbus.load` accepts long frames with CI 72/76/78 only.
    case peerRefusesFixedData = "frame: pyMeterBus refuses the fixed data structure (CI 73/77)"
    /// VIFTable.lut has no entry for a reserved primary VIF (e.g. 7B): KeyError while reading records.
    case peerReservedVIF = "frame: pyMeterBus raises KeyError on a reserved primary VIF"
    /// `meterbus.load` tries wireless SND-NR first, which a wired long frame with L = 0x44 matches.
    case peerTakesForWireless = "frame: L = 0x44, pyMeterBus reads it as a wireless frame"

    // Records
    /// telegram_body.py: `if length == 0: return` (DIF 0x0/0x8, LVAR 00 or C0): no record at all.
    case noDataBytes = "record: no data bytes, pyMeterBus makes no record of it"
    /// LVAR C0–DF: pyMeterBus reads 2·n bytes (fact sheet §3.6, disagreement 10); F0–FA: n − F0 bytes;
    /// F5/F6 and above FA: none. Its records from there on are out of step with the frame.
    case lvarLength = "record: pyMeterBus reads another data length for this LVAR; this and later records not paired"
    /// VIFE 70–77 and 7D after a primary or extension VIF: pyMeterBus ignores them (FC 70–77 it
    /// applies, but we cannot tell the two apart from its output, so all are left out).
    case multiplicativeVIFE = "record: multiplicative correction VIFE (pyMeterBus ignores it)"
    /// VIFE 78–7B: pyMeterBus ignores it (after FC it multiplies by the constant).
    case additiveVIFE = "record: additive correction VIFE (pyMeterBus ignores it)"
    /// VIFE 50–67 with nn ≠ 00 scale our duration by 60/3600/86400; pyMeterBus ignores VIFEs.
    case durationVIFE = "record: VIFE 50–67 changes the time unit (pyMeterBus ignores it)"
    /// Dates and times are not numbers (pyMeterBus also misreads 6-byte type I as type F).
    case dateOrTime = "record: date or time, not a number"
    /// LVAR 00–BF text on our side; pyMeterBus gives text or, if non-printable, hex.
    case text = "record: text, not a number"
    /// BCD with a nibble above 9 other than the sign: no number for us; pyMeterBus skips high nibbles
    /// above 9 and adds low ones as digits.
    case invalidBCD = "record: BCD with a non-decimal digit (no number for us)"
    /// Binary LVAR E0–EF: a number for us up to 8 bytes; pyMeterBus prints non-printable data as hex.
    case binaryAsHex = "record: LVAR binary, pyMeterBus shows hex"
    /// More than 8 bytes of binary: no number on either side.
    case longBinary = "record: binary longer than 8 bytes, not a number"

    static func < (a: SkipReason, b: SkipReason) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The result of comparing the corpus.
struct InteropTally: Sendable {
    var framesCompared = 0
    var recordsCompared = 0
    var recordsPaired = 0
    /// Of ``recordsCompared``, the real32 records (compared to single precision).
    var realsCompared = 0
    var skipped: [SkipReason: Int] = [:]
    /// Frames pyMeterBus accepts and we do not, or records on which we disagree: possible bugs.
    var disagreements: [String] = []

    mutating func skip(_ reason: SkipReason, _ count: Int = 1) {
        skipped[reason, default: 0] += count
    }

    var summary: String {
        var lines = ["frames compared: \(framesCompared), records paired: \(recordsPaired), records compared: \(recordsCompared) (\(realsCompared) of them real32)"]
        for (reason, n) in skipped.sorted(by: { $0.key < $1.key }) { lines.append("  \(n) × \(reason.rawValue)") }
        return lines.joined(separator: "\n")
    }
}

/// Compares our decoding of a frame with pyMeterBus's.
enum PyMeterBusComparison {
    static let relativeTolerance = 1e-9
    /// pyMeterBus's month and year, in seconds (VIFTable.lut).
    static let secondsPerMonth = 2629743.83
    static let secondsPerYear = 31556926.0

    static func compareFrame(name: String, bytes: [UInt8], peer: PeerFrame, into tally: inout InteropTally) {
        let ours: Telegram
        do {
            ours = try Telegram.decode(bytes)
        } catch {
            if peer.ok { tally.disagreements.append("\(name): pyMeterBus decodes it, we reject it: \(error)") }
            return
        }
        guard peer.ok else {
            if let reason = explainPeerRefusal(ours: ours, peer: peer) {
                tally.skip(reason)
            } else {
                tally.disagreements.append("\(name): we decode it, pyMeterBus refuses it without a documented reason: \(peer.error ?? "?")")
            }
            return
        }
        if peer.frame == "wireless", ours.frame.lengthField == 0x44 {
            tally.skip(.peerTakesForWireless)
            return
        }
        guard peer.frame == "long" else {
            tally.disagreements.append("\(name): pyMeterBus reads a \(peer.frame ?? "nil") frame, we read \(ours.frame.kind.name)")
            return
        }
        tally.framesCompared += 1
        compareRecords(name: name, ours: ours, peer: peer, into: &tally)
    }

    /// A documented reason for pyMeterBus to refuse a frame we decode, checked against the frame.
    static func explainPeerRefusal(ours: Telegram, peer: PeerFrame) -> SkipReason? {
        let error = peer.error ?? ""
        if error.contains("Not a variable data long frame"), let ci = ours.frame.ci, ci == 0x73 || ci == 0x77 {
            return .peerRefusesFixedData
        }
        if error.contains("KeyError"),
           ours.records.contains(where: { $0.vib.vif & 0x80 == 0 && !$0.meaning.reservedCodes.isEmpty }) {
            return .peerReservedVIF
        }
        return nil
    }

    static func compareRecords(name: String, ours telegram: Telegram, peer: PeerFrame, into tally: inout InteropTally) {
        func disagree(_ text: String) { tally.disagreements.append("\(name): \(text)") }

        // DIF 0F/1F: pyMeterBus makes records of them; we keep the bytes after 0F as manufacturer data.
        let peerTail = peer.records.filter { $0.vif == nil && ($0.dif == "0F" || $0.dif == "1F") }
        let peerRecords = peer.records.filter { !($0.vif == nil && ($0.dif == "0F" || $0.dif == "1F")) }
        let variable = telegram.variableData
        let moreFollow = variable?.moreRecordsFollow ?? false
        if peerTail.contains(where: { $0.dif == "1F" }) != moreFollow {
            disagree("DIF 1F (more records follow): pyMeterBus \(peerTail.map { $0.dif ?? "" }), ours \(moreFollow)")
        }
        let peerManufacturer = peerTail.first(where: { $0.dif == "0F" })?.data
        let ourManufacturer = moreFollow ? nil : variable?.manufacturerData.map { HexText.format($0) }
        if peerManufacturer != ourManufacturer {
            disagree("manufacturer data after DIF 0F: pyMeterBus \(peerManufacturer ?? "none"), ours \(ourManufacturer ?? "none")")
        }

        // Our records that pyMeterBus has, up to the first whose LVAR it reads with another length.
        var ourRecords: [DataRecord] = []
        var outOfStep = false
        for (index, record) in telegram.records.enumerated() {
            if let ours = dataLength(record), let theirs = peerDataLength(record), ours != theirs {
                tally.skip(.lvarLength, telegram.records.count - index)
                outOfStep = true
                break
            }
            if dataLength(record) == 0 {
                tally.skip(.noDataBytes)
                continue
            }
            ourRecords.append(record)
        }
        if outOfStep {
            // pyMeterBus's later records come from misaligned bytes; only the ones before are paired.
            guard peerRecords.count >= ourRecords.count else {
                disagree("pyMeterBus has \(peerRecords.count) records before the LVAR it misreads, we have \(ourRecords.count)")
                return
            }
        } else if peerRecords.count != ourRecords.count {
            disagree("record count: pyMeterBus \(peerRecords.count) \(peerRecords.map { "\($0.dif ?? "")/\($0.vif ?? "")" }), "
                     + "ours \(ourRecords.count) \(ourRecords.map { "\(HexText.format($0.dib.bytes, separator: ""))/\(HexText.format($0.vib.bytes, separator: ""))" })")
            return
        }

        for (ours, theirs) in zip(ourRecords, peerRecords) {
            let label = "record at offset \(ours.offset) (DIB \(HexText.format(ours.dib.bytes, separator: "")), "
                + "VIB \(HexText.format(ours.vib.bytes, separator: "")))"
            // The DIF and VIF bytes must be the same ones, or the lists are out of step.
            guard theirs.dif == HexText.format([ours.dib.dif]), theirs.vif == HexText.format([ours.vib.vif]) else {
                disagree("\(label): out of step, pyMeterBus has DIF \(theirs.dif ?? "nil") VIF \(theirs.vif ?? "nil")")
                return
            }
            tally.recordsPaired += 1
            if peerFunction(theirs.function) != ours.function.name {
                disagree("\(label): function pyMeterBus \(theirs.function ?? "nil"), ours \(ours.function.name)")
            }
            if theirs.storage != ours.storage || (theirs.tariff ?? 0) != UInt64(ours.tariff) || (theirs.subunit ?? 0) != UInt64(ours.subunit) {
                disagree("\(label): storage/tariff/subunit pyMeterBus \(theirs.storage.map(String.init) ?? "nil")/\(theirs.tariff.map(String.init) ?? "nil")/\(theirs.subunit.map(String.init) ?? "nil"), "
                         + "ours \(ours.storage)/\(ours.tariff)/\(ours.subunit)")
            }
            if let reason = skipReason(ours, theirs) {
                tally.skip(reason)
                continue
            }
            guard let ourNumber = ours.scaledNumber, let theirNumber = theirs.value.number else {
                disagree("\(label): a number on one side only: pyMeterBus \(theirs.value), ours \(ours.value)")
                continue
            }
            let meaning = ours.meaning
            let expectedUnit = peerUnit(ours)
            if theirs.unit != expectedUnit {
                disagree("\(label): unit pyMeterBus '\(theirs.unit ?? "nil")', ours '\(meaning.unit)' (expected pyMeterBus '\(expectedUnit)')")
            }
            var expected = ourNumber
            switch meaning.unit {
            case "month": expected *= secondsPerMonth
            case "year": expected *= secondsPerYear
            default: break
            }
            // Integer data with a multiplier above 1: pyMeterBus truncates int(raw * mult).
            if ours.dib.coding.isInteger, (theirs.multiplier ?? 1) > 1 { expected.round(.towardZero) }
            // Data field 5 (real32): DataValue.number widens the single through its shortest decimal form
            // (21.536703), pyMeterBus through its exact binary value (21.53670310974121). Both name the same
            // Float, so they agree to single precision, not to 1e-9.
            let isReal = ours.dib.coding == .real32
            let tolerance = isReal ? Double(Float.ulpOfOne) : relativeTolerance
            tally.recordsCompared += 1
            if isReal { tally.realsCompared += 1 }
            if !agree(expected, theirNumber, tolerance: tolerance) {
                disagree("\(label) \(meaning.quantity): pyMeterBus \(theirNumber) \(theirs.unit ?? ""), ours \(expected) "
                         + "(scaled \(ourNumber) \(meaning.unit), raw \(ours.value))")
            }
        }
    }

    /// The documented reason not to compare a paired record numerically, if any.
    static func skipReason(_ ours: DataRecord, _ theirs: PeerRecord) -> SkipReason? {
        let meaning = ours.meaning
        if meaning.hasMultiplicativeCorrection { return .multiplicativeVIFE }
        if meaning.additive != 0 { return .additiveVIFE }
        if combinableVIFEs(ours.vib).contains(where: { (0x50...0x67).contains($0) && $0 & 0x03 != 0 }) {
            return .durationVIFE
        }
        switch ours.value {
        case .date, .dateTime, .dateTimeWithSeconds, .timeOfDay:
            return .dateOrTime
        case .text:
            return .text
        case let .bcd(b) where b.value == nil:
            return .invalidBCD
        case let .variableBCD(b, _) where b.value == nil:
            return .invalidBCD
        case let .binary(bytes, _) where bytes.count > 8:
            return .longBinary
        case .binary:
            if case .text = theirs.value { return .binaryAsHex }
            return nil
        default:
            return nil
        }
    }

    /// The combinable VIFEs (7 bits) the way ValueMeaning reads them: after the FB/FD code byte, without
    /// the byte that follows VIFE 7C, up to a manufacturer-specific VIFE 7F; none after VIF 7F/FF.
    static func combinableVIFEs(_ vib: ValueInformationBlock) -> [UInt8] {
        if vib.vif & 0x7F == 0x7F { return [] }
        var codes = vib.vifes.map { $0 & 0x7F }[...]
        if vib.vif == 0xFB || vib.vif == 0xFD { codes = codes.dropFirst() }
        var out: [UInt8] = []
        while let code = codes.popFirst() {
            if code == 0x7F { break }
            out.append(code)
            if code == 0x7C { _ = codes.popFirst() }
        }
        return out
    }

    /// Relative tolerance: pyMeterBus computes in binary floating point (raw × 10^-n), we divide.
    static func agree(_ a: Double, _ b: Double, tolerance: Double = relativeTolerance) -> Bool {
        a == b || abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    /// The data bytes of a record (LVAR excluded), as our decoder read them.
    static func dataLength(_ record: DataRecord) -> Int? {
        if let fixed = record.dib.coding.fixedLength { return fixed }
        switch record.value {
        case let .text(s): return s.unicodeScalars.count
        case let .variableBCD(b, _): return b.bytes.count
        case let .binary(bytes, _): return bytes.count
        default: return nil
        }
    }

    /// The data bytes pyMeterBus reads for the record's LVAR (telegram_body.py), nil for fixed codings.
    static func peerDataLength(_ record: DataRecord) -> Int? {
        let lvar: Int
        switch record.value {
        case let .text(s): lvar = s.unicodeScalars.count
        case let .variableBCD(b, negative): lvar = (negative ? 0xD0 : 0xC0) + b.bytes.count
        case let .binary(_, l): lvar = Int(l)
        default: return nil
        }
        switch lvar {
        case 0x00...0xBF: return lvar
        case 0xC0...0xCF: return (lvar - 0xC0) * 2
        case 0xD0...0xDF: return (lvar - 0xD0) * 2
        case 0xE0...0xEF: return lvar - 0xE0
        case 0xF0...0xFA: return lvar - 0xF0
        default: return -1  // pyMeterBus keeps no length of its own here: certainly not ours
        }
    }

    /// pyMeterBus's FunctionType name → ours.
    static func peerFunction(_ name: String?) -> String? {
        switch name {
        case "INSTANTANEOUS_VALUE": "instantaneous"
        case "MAXIMUM_VALUE": "maximum"
        case "MINIMUM_VALUE": "minimum"
        case "ERROR_STATE_VALUE": "error"
        default: name
        }
    }

    /// The unit text pyMeterBus gives for our record (MeasureUnit in its core_objects.py).
    static func peerUnit(_ record: DataRecord) -> String {
        if let text = record.vib.plainText { return text }
        let meaning = record.meaning
        if meaning.quantity == "Units for H.C.A." { return "H.C.A" }
        switch meaning.unit {
        case "": return "none"
        case "s", "month", "year": return "seconds"
        case "°C": return "C"
        case "currency": return "Currency unit"
        case "Bd": return "Baud"
        case "bit times": return "Bittimes"
        default: return meaning.unit
        }
    }
}

@Suite("pyMeterBus interoperability")
struct PyMeterBusInteropTests {
    /// What the comparison of the 76 libmbus test frames with pyMeterBus 0.8.5 gives today. A change
    /// in any count needs a look: a decoder change, a new frame, or a new kind of difference.
    static let expectedFramesCompared = 73
    static let expectedRecordsCompared = 751
    static let expectedSkips: [SkipReason: Int] = [
        .peerRefusesFixedData: 2,  // manual_frame2, sen_pollusonic_2 (CI 73)
        .peerReservedVIF: 1,       // sen_pollutherm (VIF 7B: KeyError 123)
        .lvarLength: 1,            // example_binary16_lvar (LVAR F0: 16 bytes for us, none for pyMeterBus)
        .multiplicativeVIFE: 9,    // FC 74 "%RH" in ELV-Elvaco-CMa10, THI_cma10, elv_temp_humid
        .dateOrTime: 115,
        .text: 8,
        .invalidBCD: 4,
    ]

    @Test("numeric values agree with pyMeterBus on every libmbus test frame both decode",
          .enabled(if: PeerProbe.current.shouldRun, Comment(rawValue: PeerProbe.current.skipComment)))
    func numericValuesAgree() async throws {
        if let problem = PeerProbe.current.problem {
            Issue.record("METERPROOF_REQUIRE_PEERS=1 but the pyMeterBus peer is unavailable: \(problem). Run scripts/setup.")
            return
        }
        let files = try RepositoryPaths.hexFiles(in: RepositoryPaths.libmbusTestFrames)
        try #require(files.count == 76, "expected the 76 libmbus test frames in \(RepositoryPaths.libmbusTestFrames.path)")
        let peer = try await PeerFrame.decode(files: files)

        var tally = InteropTally()
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let frame = try #require(peer[name], "pyMeterBus printed no line for \(name)")
            let bytes = try HexText.parse(String(decoding: try Data(contentsOf: file), as: UTF8.self))
            PyMeterBusComparison.compareFrame(name: name, bytes: bytes, peer: frame, into: &tally)
        }
        print("pyMeterBus interop on libmbus test-frames:\n" + tally.summary)

        for disagreement in tally.disagreements {
            Issue.record("MeterBus and pyMeterBus disagree: \(disagreement)")
        }
        #expect(tally.framesCompared >= 70, "too few frames compared:\n\(tally.summary)")
        #expect(tally.framesCompared == Self.expectedFramesCompared, "\(tally.summary)")
        #expect(tally.recordsCompared == Self.expectedRecordsCompared, "\(tally.summary)")
        #expect(tally.skipped == Self.expectedSkips, "\(tally.summary)")
    }
}
