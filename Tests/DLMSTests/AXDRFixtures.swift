import CodecSupport
import Foundation
@testable import DLMS

/// Loads `Fixtures/axdr/*.json` from the test bundle (see Fixtures/README.md for their origin).
enum AXDRFixtures {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "Fixtures/axdr/\(name) not found in the DLMSTests resource bundle" }
    }

    static func url(_ name: String) throws -> URL {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("axdr").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw Missing(name: name)
    }

    /// One vector of `u9n_data_vectors.json`.
    struct U9Vector: Decodable, CustomStringConvertible {
        let file: String
        let test: String
        let line: Int
        let kind: String
        let data_offset: Int
        let hex: String
        let note: String
        var bytes: [UInt8] { (try? HexText.parse(hex)) ?? [] }
        var payload: ArraySlice<UInt8> { bytes.dropFirst(data_offset) }
        var description: String { "\(file):\(line) \(test)" }
    }

    struct U9File: Decodable {
        let source: String
        let vectors: [U9Vector]
    }

    static func u9Vectors() throws -> [U9Vector] {
        try JSONDecoder().decode(U9File.self, from: Data(contentsOf: url("u9n_data_vectors.json"))).vectors
    }

    /// The vector from `file` at `line`.
    static func u9(_ fileSuffix: String, line: Int) throws -> U9Vector {
        guard let v = try u9Vectors().first(where: { $0.file.hasSuffix(fileSuffix) && $0.line == line }) else {
            throw Missing(name: "u9n_data_vectors.json entry \(fileSuffix):\(line)")
        }
        return v
    }

    struct GuruxExchange: Decodable {
        let exchange: String
        let request: String
        let response_apdu: String
        let data_offset: Int
        var apdu: [UInt8] { (try? HexText.parse(response_apdu)) ?? [] }
        var data: ArraySlice<UInt8> { apdu.dropFirst(data_offset) }
        /// The requested OBIS code: bytes 4…9 of the GET-request-normal after the wrapper header (C0 01 id, class u16).
        var requestedOBIS: OBISCode? {
            guard let b = try? HexText.parse(request), b.count >= 8 + 13 else { return nil }
            return try? OBISCode(bytes: b[(8 + 5)..<(8 + 11)])
        }
    }

    struct GuruxConformance: Decodable {
        let exchange: String
        let pdu: String
        let ber: String
    }

    struct GuruxFile: Decodable {
        let exchanges: [GuruxExchange]
        let conformance_blocks: [GuruxConformance]
    }

    static func gurux() throws -> GuruxFile {
        try JSONDecoder().decode(GuruxFile.self, from: Data(contentsOf: url("gurux_get_responses.json")))
    }
}

/// `[UInt8]` from hex text in tests (traps only on a typo in a literal, never on data under test).
func hexBytes(_ text: String) -> [UInt8] {
    guard let b = try? HexText.parse(text) else { preconditionFailure("bad hex literal in a test: \(text)") }
    return b
}
