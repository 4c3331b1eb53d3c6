// meterproof-dlms-bench: throughput of the DLMS codec (APDU decoding, HDLC frame parsing, HDLC
// segmentation) on a file of hex inputs.
//
//   meterproof-dlms-bench [--seconds N] [--warmup S] [--accepted] FILE
//
// FILE has one input a line, `KIND HEX`; blank lines and lines starting with `#` are skipped:
//   apdu HEX     an ACSE or xDLMS APDU          → workload "apdu_decode"
//   hdlc HEX     one HDLC frame, flag to flag   → workload "hdlc_parse"
//   segment HEX  an APDU to carry in I frames   → workload "hdlc_segment"
// Every input is run once first; inputs that fail are left out of the loop and counted as
// "rejected". `--accepted` prints the accepted lines unchanged and exits, so a script can keep
// only the inputs every decoder accepts (Benchmarks/dlms-decode.sh does, with
// scripts/peers/gurux_bench.py).
//
// Per item:
//   apdu_decode   DLMSMessage.decodeAPDU (ACSEAPDU(decoding:) for tags 60–63, else XDLMSAPDU(decoding:)).
//   hdlc_parse    HDLCFrame.parse plus the HCS and FCS checks (headerCheckOK, frameCheckOK).
//   hdlc_segment  HDLCSegmentation.informationFrames (LLC E6 E6 00, client 0x10 → server 1, information
//                 fields of at most 128 bytes, P/F on every frame), each frame encoded to bytes,
//                 re-parsed with HDLCFrame.parse, HCS/FCS checked and joined by HDLCReassembler;
//                 the joined APDU is compared by length with the input. Bytes counted: the APDU's.
// Each workload runs round-robin over its inputs for about N seconds (default 3) after S seconds of
// untimed warm-up (default 0.5). Results are folded into `checksum` so the work cannot be dropped.
//
// Prints one JSON line:
//   {"decoder":"MeterProof DLMS","seconds_per_workload","workloads":{NAME:{"items","bytes","seconds",
//    "items_per_s","mb_per_s","distinct_items","distinct_bytes","rejected"}},"checksum"}
// 1 MB = 10^6 bytes. Exit status: 0 done, 1 a workload has no accepted input, 2 bad arguments or
// unreadable input. Build with `swift build -c release --product meterproof-dlms-bench`.

import CodecSupport
import DLMS
import Foundation

struct Options {
    var seconds = 3.0
    var warmup = 0.5
    var acceptedOnly = false
    var path: String?

    static let usage = "usage: meterproof-dlms-bench [--seconds N] [--warmup S] [--accepted] FILE"

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--seconds", "--warmup":
                guard let text = rest.popFirst(), let value = Double(text), value >= 0 else { return nil }
                if argument == "--seconds" { options.seconds = value } else { options.warmup = value }
            case "--accepted":
                options.acceptedOnly = true
            case "-h", "--help":
                return nil
            default:
                guard options.path == nil else { return nil }
                options.path = argument
            }
        }
        return options.path == nil ? nil : options
    }
}

enum Workload: String, CaseIterable {
    case apduDecode = "apdu_decode"
    case hdlcParse = "hdlc_parse"
    case hdlcSegment = "hdlc_segment"

    init?(kind: Substring) {
        switch kind {
        case "apdu": self = .apduDecode
        case "hdlc": self = .hdlcParse
        case "segment": self = .hdlcSegment
        default: return nil
        }
    }
}

/// Decodes one APDU; returns a value that depends on the result.
@inline(never)
func decodeAPDU(_ bytes: [UInt8]) throws(DLMSError) -> UInt64 {
    switch try DLMSMessage.decodeAPDU(bytes[...]) {
    case .acse: return 1
    case .xdlms: return 2
    }
}

struct CheckFailed: Error {}

/// Parses one frame and checks HCS and FCS; returns a value that depends on the result.
@inline(never)
func parseFrame(_ bytes: [UInt8]) throws -> UInt64 {
    let parsed = try HDLCFrame.parse(bytes)
    guard parsed.headerCheckOK, parsed.frameCheckOK else { throw CheckFailed() }
    return UInt64(parsed.frame.control.rawValue) &* 131 &+ UInt64(parsed.frame.information.count)
}

let server = try! HDLCAddress.server(logical: 1)
let client = try! HDLCAddress.client(HDLCAddress.publicClient)

/// Frames `apdu` into I frames, encodes them, re-parses and checks each, and joins them again.
@inline(never)
func segmentRoundTrip(_ apdu: [UInt8]) throws -> UInt64 {
    let frames = try HDLCSegmentation.informationFrames(
        apdu: apdu, llc: .command, destination: server, source: client,
        maximumInformationFieldLength: 128, firstSendSequence: 0, receiveSequence: 0)
    var reassembler = HDLCReassembler()
    var digest: UInt64 = 0
    for frame in frames {
        let parsed = try HDLCFrame.parse(try frame.encoded())
        guard parsed.headerCheckOK, parsed.frameCheckOK else { throw CheckFailed() }
        digest = digest &* 31 &+ UInt64(parsed.receivedFrameCheck)
        if let joined = try reassembler.append(parsed.frame) {
            guard joined.apdu.count == apdu.count, joined.llc == .command else { throw CheckFailed() }
            return digest &+ UInt64(joined.frameCount)
        }
    }
    throw CheckFailed()
}

func runOnce(_ workload: Workload, _ bytes: [UInt8]) throws -> UInt64 {
    switch workload {
    case .apduDecode: return try decodeAPDU(bytes)
    case .hdlcParse: return try parseFrame(bytes)
    case .hdlcSegment: return try segmentRoundTrip(bytes)
    }
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("meterproof-dlms-bench: \(message)\n".utf8))
    exit(status)
}

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())), let path = options.path else {
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(2)
}
guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)", status: 2) }

var inputs: [Workload: [[UInt8]]] = [:]
var rejected: [Workload: Int] = [:]
var accepted: [Substring] = []
for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
    let text = line.trimmingCharacters(in: .whitespaces)
    if text.isEmpty || text.hasPrefix("#") { continue }
    let fields = text.split(separator: " ", maxSplits: 1)
    guard fields.count == 2, let workload = Workload(kind: fields[0]) else {
        fail("\(path):\(number + 1): expected `apdu|hdlc|segment HEX`", status: 2)
    }
    guard let bytes = try? HexText.parse(fields[1]), (try? runOnce(workload, bytes)) != nil else {
        rejected[workload, default: 0] += 1
        continue
    }
    inputs[workload, default: []].append(bytes)
    accepted.append(line)
}
if options.acceptedOnly {
    for line in accepted { print(line) }
    exit(0)
}

func rounded(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }

let clock = ContinuousClock()
var checksum: UInt64 = 0
var results: [(String, JSONValue)] = []
var missing = false
for workload in Workload.allCases {
    guard let items = inputs[workload], !items.isEmpty else {
        results.append((workload.rawValue, .object([("error", .string("no accepted input")),
                                                    ("rejected", .int(Int64(rejected[workload] ?? 0)))])))
        missing = true
        continue
    }
    let corpusBytes = items.reduce(0) { $0 + $1.count }
    func pass() {
        for bytes in items {
            // Every input ran once above; a throw here would be a codec bug.
            guard let r = try? runOnce(workload, bytes) else { fatalError("an input accepted once then failed") }
            checksum = checksum &* 1_000_003 &+ r
        }
    }
    let warmupEnd = clock.now.advanced(by: .milliseconds(Int64(options.warmup * 1000)))
    while clock.now < warmupEnd { pass() }
    var count = 0
    var total = 0
    let start = clock.now
    let deadline = start.advanced(by: .milliseconds(Int64(options.seconds * 1000)))
    var now = start
    repeat {
        pass()
        count += items.count
        total += corpusBytes
        now = clock.now
    } while now < deadline
    let elapsed = now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    results.append((workload.rawValue, .object([
        ("items", .int(Int64(count))),
        ("bytes", .int(Int64(total))),
        ("seconds", .double(rounded(seconds, 1e6))),
        ("items_per_s", .double(rounded(Double(count) / seconds, 10))),
        ("mb_per_s", .double(rounded(Double(total) / seconds / 1e6, 1e6))),
        ("distinct_items", .int(Int64(items.count))),
        ("distinct_bytes", .int(Int64(corpusBytes))),
        ("rejected", .int(Int64(rejected[workload] ?? 0))),
    ])))
}

print(JSONValue.object([
    ("decoder", .string("MeterProof DLMS")),
    ("seconds_per_workload", .double(options.seconds)),
    ("workloads", .object(results)),
    ("checksum", .uint(checksum)),
]).serialized())
exit(missing ? 1 : 0)
