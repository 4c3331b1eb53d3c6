import CodecSupport
import Foundation
@testable import DLMS

/// Loads `Fixtures/xdlms/*.json` (see Fixtures/README.md, section xdlms/) and compares decoded
/// APDUs with the hand-written expectations in them.
enum XDLMSFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "Fixtures/xdlms/\(name) not found in the DLMSTests resource bundle" }
    }

    static func data(_ name: String) throws -> Data {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("xdlms").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
        }
        throw Missing(name: name)
    }

    /// One u9n/dlms-cosem vector with the APDU located inside it.
    struct U9Vector: Decodable, CustomStringConvertible {
        let index: Int
        let file: String
        let line: Int
        let test: String
        let hex: String
        let framing: String
        let apdu_offset: Int
        let apdu_length: Int
        let expect: JSONValue?
        let not: JSONValue?
        let error: String?
        var apdu: ArraySlice<UInt8> {
            let b = (try? HexText.parse(hex)) ?? []
            guard apdu_offset >= 0, apdu_length >= 0, apdu_offset + apdu_length <= b.count else { return [] }
            return b[apdu_offset..<(apdu_offset + apdu_length)]
        }
        var description: String { "#\(index) \(file):\(line) \(test)" }
    }

    struct U9File: Decodable {
        let count: Int
        let vectors: [U9Vector]
    }

    /// One xDLMS APDU cut from the Gurux loopback exchanges.
    struct GuruxAPDU: Decodable, CustomStringConvertible {
        let session: String
        let line: Int
        let direction: String
        let framing: String
        let apdu: String
        let expect: JSONValue
        var bytes: [UInt8] { (try? HexText.parse(apdu)) ?? [] }
        var description: String { "\(session) line \(line) \(direction)" }
    }

    struct GuruxFile: Decodable {
        let count: Int
        let apdus: [GuruxAPDU]
    }

    static func u9() throws -> U9File { try JSONDecoder().decode(U9File.self, from: data("u9n_xdlms_vectors.json")) }
    static func gurux() throws -> GuruxFile { try JSONDecoder().decode(GuruxFile.self, from: data("gurux_xdlms_apdus.json")) }

    /// Differences between `actual` and the expected subset: every expected member must be present
    /// and equal (numbers compare by value). Two special keys: `absent` lists members that must be
    /// missing, `count` maps a dotted path to the length of the array found there.
    static func mismatches(_ actual: JSONValue, _ expected: JSONValue, path: String = "") -> [String] {
        switch (actual, expected) {
        case let (.object, .object(members)):
            var out: [String] = []
            for (key, want) in members {
                switch key {
                case "absent":
                    guard case let .array(names) = want else { continue }
                    for case let .string(n) in names where actual[n] != nil { out.append("\(path).\(n) should be absent") }
                case "count":
                    guard case let .object(counts) = want else { continue }
                    for (dotted, n) in counts {
                        var v: JSONValue? = actual
                        for part in dotted.split(separator: ".") { v = v?[String(part)] }
                        guard case let .array(items)? = v else { out.append("\(path).\(dotted) is not an array"); continue }
                        if !numbersEqual(.uint(UInt64(items.count)), n) { out.append("\(path).\(dotted) has \(items.count) items, expected \(n)") }
                    }
                default:
                    guard let got = actual[key] else { out.append("\(path).\(key) missing"); continue }
                    out += mismatches(got, want, path: path + "." + key)
                }
            }
            return out
        case let (.array(a), .array(e)):
            guard a.count == e.count else { return ["\(path) has \(a.count) items, expected \(e.count)"] }
            return zip(a, e).enumerated().flatMap { mismatches($1.0, $1.1, path: "\(path)[\($0)]") }
        default:
            return numbersEqual(actual, expected) || actual == expected ? [] : ["\(path) is \(actual.serialized()), expected \(expected.serialized())"]
        }
    }

    static func numbersEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        func value(_ v: JSONValue) -> Double? {
            switch v {
            case let .int(i): Double(i)
            case let .uint(u): Double(u)
            case let .double(d): d
            default: nil
            }
        }
        guard let x = value(a), let y = value(b) else { return false }
        return x == y
    }
}

/// The shared deterministic generator (CodecSupport).
typealias XDLMSSeededGenerator = SplitMix64
