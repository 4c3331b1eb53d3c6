// meterproof-capture-gen: a large, deterministic, synthetic capture of DLMS/COSEM traffic over
// the wrapper on TCP port 4059, with the counts it planted, for Benchmarks/analyze-bench.sh.
//
//   meterproof-capture-gen --megabytes N --output FILE.pcap [--expected FILE.json] [--keys FILE.yaml]
//                          [--seed N] [--meters N] [--concurrency N] [--rate KIND=P]...
//
// Writes a classic pcap (Ethernet, IPv4, TCP with correct checksums) of about N × 10^6 bytes:
// CONCURRENCY (default 100) conversations at a time, each a poll (head end 10.0.0.1 connects to
// a meter in 100.64.0.0/10: AARQ/AARE, 2–8 GETs, 30% with a load profile read in blocks,
// RLRQ/RLRE) or a push (the meter connects to 10.0.0.1:4059 and sends 1–4 data-notifications,
// sometimes two in one segment). Four in ten meters are polled in the clear, three polled with
// glo-ciphering (LN with ciphering, suite 0, SC 30), two push general-glo-ciphered, one pushes in
// the clear. Segments follow each meter's MSS (536–1460) and 8% of PDUs are also cut at random
// points (in the wrapper header too); the head end ACKs every second segment.
//
// --keys writes the key store (`meterproof analyze --keys`): EK and AK of every ciphered meter
// under its system title ("MPF…") and under the head end's title towards it ("HES…").
// --expected writes the ground truth: packets, bytes, TCP connections, DLMS PDUs (one per
// wrapper frame) by APDU, planted findings by kind and each with its frame number. Faults are
// drawn with the probabilities of --rate KIND=P (kinds and defaults: FaultRates in Tally.swift;
// P = 0 leaves a kind out).
// Same arguments, same bytes. Exit status 0, or 2 for bad arguments or an unwritable file.

import CodecSupport
import Foundation

struct GeneratorOptions {
    var megabytes = 100.0
    var output = ""
    var expected: String?
    var keys: String?
    var seed: UInt64 = 20_261_125
    var meters = 2_000
    var concurrency = 100
    var rates = FaultRates()

    static let usage = """
        usage: meterproof-capture-gen --megabytes N --output FILE.pcap [--expected FILE.json] [--keys FILE.yaml]
                                      [--seed N] [--meters N] [--concurrency N] [--rate KIND=P]...
        """

    static func parse(_ arguments: [String]) -> GeneratorOptions? {
        var o = GeneratorOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard let value = rest.popFirst() else { return nil }
            switch argument {
            case "--megabytes": guard let v = Double(value), v > 0 else { return nil }; o.megabytes = v
            case "--output": o.output = value
            case "--expected": o.expected = value
            case "--keys": o.keys = value
            case "--seed": guard let v = UInt64(value) else { return nil }; o.seed = v
            case "--meters": guard let v = Int(value), v > 0 else { return nil }; o.meters = v
            case "--concurrency": guard let v = Int(value), v > 0 else { return nil }; o.concurrency = v
            case "--rate":
                let parts = value.split(separator: "=")
                guard parts.count == 2, let p = Double(parts[1]), (0...1).contains(p), o.rates.set(String(parts[0]), p)
                else { return nil }
            default: return nil
            }
        }
        guard !o.output.isEmpty, o.meters >= 2 * o.concurrency else { return nil }
        return o
    }
}

extension FaultRates {
    mutating func set(_ kind: String, _ p: Double) -> Bool {
        switch PlantedFinding.Kind(rawValue: kind) {
        case .aareRejected: aareRejected = p
        case .requestWithoutResponse: requestWithoutResponse = p
        case .dataAccessError: dataAccessError = p
        case .exceptionResponse: exceptionResponse = p
        case .cleartextInCipheredAssociation: cleartextInCipheredAssociation = p
        case .invocationCounterReplay: invocationCounterReplay = p
        case .gcmTagFailure: gcmTagFailure = p
        case .malformedPDU: malformedPDU = p
        case nil: return false
        }
        return true
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("meterproof-capture-gen: \(message)\n".utf8))
    exit(2)
}

func write(_ text: String, to path: String) {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { fail("cannot write \(path)") }
}

/// The key store: every ciphered meter's EK and AK under both system titles of its associations.
func keyStoreText(_ options: GeneratorOptions) -> String {
    var lines = ["# meterproof-capture-gen --seed \(options.seed) --meters \(options.meters): keys of the ciphered meters",
                 "# (test keys of a synthetic capture, not secrets)", "dlms:"]
    for index in 0..<options.meters where MeterRole(index: index).isCiphered {
        let meter = Meter(index: index, seed: options.seed)
        let ek = HexText.format(meter.security.globalUnicastKey!, separator: "")
        let ak = HexText.format(meter.security.authenticationKey!, separator: "")
        lines.append("  \"\(meter.serverTitle)\": {ek: \(ek), ak: \(ak)}")
        if meter.role.isPolled { lines.append("  \"\(meter.clientTitle)\": {ek: \(ek), ak: \(ak)}") }
    }
    return lines.joined(separator: "\n") + "\n"
}

if CommandLine.arguments.contains("-h") || CommandLine.arguments.contains("--help") {
    print(GeneratorOptions.usage)
    exit(0)
}
guard let options = GeneratorOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
    fail("bad arguments (--output is required; --meters must be at least twice --concurrency)\n" + GeneratorOptions.usage)
}
let expectedPath = options.expected ?? options.output + ".expected.json"
let keysPath = options.keys ?? options.output + ".keys.yaml"
write(keyStoreText(options), to: keysPath)
let clock = ContinuousClock()
let started = clock.now
let result: (tally: Tally, packets: Int, bytes: Int)
do { result = try Generator(options: options).run() } catch { fail("\(error)") }
let elapsed = clock.now - started
let sidecar = result.tally.json(capture: options.output, keyStore: keysPath, seed: options.seed, bytes: result.bytes,
                                packets: result.packets, meters: options.meters, rates: options.rates)
write(sidecar.serialized(indent: 2) + "\n", to: expectedPath)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
let summary = result.tally.findings.count
print("meterproof-capture-gen: \(options.output): \(result.bytes) bytes, \(result.packets) packets, "
      + "\(result.tally.tcpConnections) TCP connections, \(result.tally.totalPDUs) DLMS PDUs, \(summary) planted findings "
      + "(\(String(format: "%.1f", seconds)) s); truth in \(expectedPath), keys in \(keysPath)")
