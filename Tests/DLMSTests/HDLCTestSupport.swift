import CodecSupport
import DLMS
import Foundation
import Testing

/// Worked examples of the DLMS fact sheet (/work/shared/reference/dlms.md §1.6), taken from U9
/// `tests/test_hdlc/test_hdlc.py`, whose HCS/FCS the fact sheet recomputed.
enum HDLCFactSheet {
    /// §1.6 worked frame 1: SNRM to server 1/17 from client 16, no parameters, FCS `BD 64`.
    static let snrm = "7E A0 08 02 23 21 93 BD 64 7E"
    /// §1.6 worked frame 2: UA with parameters 154/154/1/1, HCS `E6 C7`, FCS `CC A2`.
    static let uaWithParameters = "7E A0 1F 21 02 23 73 E6 C7 81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01 CC A2 7E"
    /// §1.6 worked frame 3: UA without information, 1-byte server address (U9 `TestFiorentiniLocal`).
    static let uaWithoutInformation = "7E A0 07 21 03 73 01 40 7E"
    /// §1.6 worked frame 4: I frame N(S)=0 N(R)=0 P=1 carrying an AARQ, HCS `AF 9F`, FCS `C5 E4`.
    static let iFrameAARQ = "7E A0 2C 02 23 21 10 AF 9F E6 E6 00 60 1D A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01 00 00 00 06 5F 1F 04 00 00 1E 1D FF FF C5 E4 7E"

    static let all = [snrm, uaWithParameters, uaWithoutInformation, iFrameAARQ]
}

/// One line of a fixture file in Fixtures/hdlc (u9n_*.txt): vector index, source, test, bytes.
struct U9Vector: Sendable, CustomStringConvertible {
    let index: Int
    let source: String
    let test: String
    let bytes: [UInt8]
    var description: String { "vector \(index) (\(source) \(test))" }
}

/// One TX/RX line of Fixtures/hdlc/gurux_loopback_exchanges.txt.
struct GuruxLine: Sendable, CustomStringConvertible {
    let section: String
    let line: Int
    let transmitted: Bool
    let bytes: [UInt8]
    var description: String { "\(section) line \(line) \(transmitted ? "TX" : "RX")" }
}

enum HDLCFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture Fixtures/hdlc/\(name) not found in the DLMSTests bundle" }
    }

    static func text(_ name: String) throws -> String {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("hdlc").appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: url.path) {
                return String(decoding: data, as: UTF8.self)
            }
        }
        throw Missing(name: name)
    }

    static func u9(_ name: String) throws -> [U9Vector] {
        try text(name).split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return U9Vector(index: Int(fields[0]) ?? -1, source: fields[1], test: fields[2], bytes: try HexText.parse(fields[3]))
        }
    }

    static func u9Frames() throws -> [U9Vector] { try u9("u9n_hdlc_frames.txt") }
    static func u9Wrapper() throws -> [U9Vector] { try u9("u9n_wrapper_pdus.txt") }

    static func gurux() throws -> [GuruxLine] {
        var section = ""
        var out: [GuruxLine] = []
        for (number, line) in try text("gurux_loopback_exchanges.txt").split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("### ") {
                section = String(line.dropFirst(4).prefix(while: { $0 != " " }))
            } else if line.hasPrefix("TX ") || line.hasPrefix("RX ") {
                out.append(GuruxLine(section: section, line: number + 1, transmitted: line.hasPrefix("TX"),
                                     bytes: try HexText.parse(line.dropFirst(3))))
            }
        }
        return out
    }

    /// Every valid HDLC frame of the fixtures and the fact sheet: seeds for fuzzing.
    static func validFrames() throws -> [[UInt8]] {
        let u9 = try u9Frames().map(\.bytes).filter { (try? HDLCFrame.decode($0)) != nil }
        let gx = try gurux().filter { $0.section.hasPrefix("hdlc") }.map(\.bytes)
        return try HDLCFactSheet.all.map { try HexText.parse($0) } + u9 + gx
    }
}

/// The shared deterministic generator (CodecSupport).
typealias HDLCSeededGenerator = SplitMix64

/// The `DLMSError` a call throws, or nil (any other error is recorded as an issue).
func hdlcError<T>(_ body: () throws -> T) -> DLMSError? {
    do {
        _ = try body()
        return nil
    } catch let error as DLMSError {
        return error
    } catch {
        Issue.record("not a DLMSError: \(error)")
        return nil
    }
}

/// "code@offset" of an error, or "none": compact to compare in expectations.
func summary(_ error: DLMSError?) -> String {
    error.map { "\($0.code)@\($0.offset)" } ?? "none"
}
