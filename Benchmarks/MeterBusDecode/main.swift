// meterproof-bench: throughput of the MeterBus decoder on a corpus of `.hex` frames.
//
//   meterproof-bench [--seconds N] [--warmup S] PATH [PATH ...]
//
// PATH is a folder (every *.hex in it, not recursive) or a `.hex` file. Every frame is decoded once
// first; frames the decoder rejects are left out of the loop and counted as "rejected", as
// scripts/peers/pymeterbus_bench.py does for pyMeterBus. The corpus is then decoded round-robin for
// about N seconds (default 3) after S seconds of untimed warm-up (default 0.5).
//
// "Decoding" is `Telegram.decode` plus reading every record's interpretation (quantity, unit, scaled
// number), because pyMeterBus's benchmark touches value, unit and VIF of each record too. Those results
// are folded into `checksum`, which is printed, so the optimiser cannot drop the work.
//
// Prints one JSON line:
//   {"decoder":"MeterBus","frames","bytes","seconds","frames_per_s","mb_per_s","distinct_frames",
//    "rejected","records","checksum"}
// frames/bytes count the decodes done in `seconds` of wall time; 1 MB = 10^6 bytes.
// Exit status: 0 done, 1 no decodable frame, 2 bad arguments or unreadable input.
// Build with `swift build -c release --product meterproof-bench`; Benchmarks/mbus-decode.sh runs it.

import CodecSupport
import Foundation
import MeterBus

struct Options {
    var seconds = 3.0
    var warmup = 0.5
    var paths: [String] = []

    static let usage = "usage: meterproof-bench [--seconds N] [--warmup S] FOLDER|FILE.hex ..."

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--seconds", "--warmup":
                guard let text = rest.popFirst(), let value = Double(text), value >= 0 else { return nil }
                if argument == "--seconds" { options.seconds = value } else { options.warmup = value }
            case "-h", "--help":
                return nil
            default:
                options.paths.append(argument)
            }
        }
        return options.paths.isEmpty ? nil : options
    }
}

/// The `.hex` files a path names: itself, or the *.hex files of a folder, sorted.
func hexFiles(_ path: String) throws -> [URL] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
    }
    guard isDirectory.boolValue else { return [URL(fileURLWithPath: path)] }
    let folder = URL(fileURLWithPath: path, isDirectory: true)
    return try FileManager.default.contentsOfDirectory(atPath: path)
        .filter { $0.hasSuffix(".hex") }
        .sorted()
        .map { folder.appendingPathComponent($0) }
}

/// Decodes one frame and reads every record's interpretation; returns a value that depends on all of it.
@inline(never)
func decodeFully(_ bytes: [UInt8]) throws(MeterBusError) -> (records: Int, digest: UInt64) {
    let telegram = try Telegram.decode(bytes)
    var digest: UInt64 = 0
    let records = telegram.records
    for record in records {
        let meaning = record.meaning
        digest = digest &* 31 &+ UInt64(meaning.unit.utf8.count &+ meaning.quantity.utf8.count)
        if let n = record.scaledNumber { digest ^= n.bitPattern }
    }
    return (records.count, digest)
}

func json(_ members: [(String, JSONValue)]) -> String { JSONValue.object(members).serialized() }

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
    exit(2)
}

var frames: [[UInt8]] = []
var rejected: [String] = []
do {
    for path in options.paths {
        for url in try hexFiles(path) {
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            let name = url.deletingPathExtension().lastPathComponent
            guard let bytes = try? HexText.parse(text), (try? decodeFully(bytes)) != nil else {
                rejected.append(name)
                continue
            }
            frames.append(bytes)
        }
    }
} catch {
    FileHandle.standardError.write(Data("meterproof-bench: \(error)\n".utf8))
    exit(2)
}
guard !frames.isEmpty else {
    print(json([("decoder", .string("MeterBus")), ("error", .string("no decodable frames")),
                ("rejected", .array(rejected.map(JSONValue.string)))]))
    exit(1)
}

/// The decodable frames and what decoding them has produced so far.
struct Run {
    let frames: [[UInt8]]
    let corpusBytes: Int
    var records = 0
    var checksum: UInt64 = 0

    init(frames: [[UInt8]]) {
        self.frames = frames
        corpusBytes = frames.reduce(0) { $0 + $1.count }
    }

    /// Decodes the whole corpus once.
    mutating func pass() {
        for bytes in frames {
            // Every frame decoded in the check above; a throw here would be a decoder bug.
            guard let r = try? decodeFully(bytes) else { fatalError("a frame decoded once and then failed") }
            records &+= r.records
            checksum = checksum &* 1_000_003 &+ r.digest
        }
    }
}

let clock = ContinuousClock()
var run = Run(frames: frames)
let warmupEnd = clock.now.advanced(by: .milliseconds(Int64(options.warmup * 1000)))
while clock.now < warmupEnd { run.pass() }

run.records = 0
var count = 0
var total = 0
let start = clock.now
let deadline = start.advanced(by: .milliseconds(Int64(options.seconds * 1000)))
var now = start
repeat {
    run.pass()
    count += frames.count
    total += run.corpusBytes
    now = clock.now
} while now < deadline
let elapsed = now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

func rounded(_ x: Double, _ places: Double) -> Double { (x * places).rounded() / places }

print(json([
    ("decoder", .string("MeterBus")),
    ("frames", .int(Int64(count))),
    ("bytes", .int(Int64(total))),
    ("seconds", .double(rounded(seconds, 1e6))),
    ("frames_per_s", .double(rounded(Double(count) / seconds, 10))),
    ("mb_per_s", .double(rounded(Double(total) / seconds / 1e6, 1e6))),
    ("distinct_frames", .int(Int64(frames.count))),
    ("rejected", .array(rejected.map(JSONValue.string))),
    ("records", .int(Int64(run.records))),
    ("checksum", .uint(run.checksum)),
]))
