import CodecSupport
import Foundation
import Testing
@testable import DLMS

/// Loads `Fixtures/manifest/dlms_cosem_vectors_manifest.json` (built by make_manifest.py from
/// the per-area fixtures, without our decoder; see Fixtures/README.md, section manifest/).
enum VectorManifest {
    struct Entry: Decodable, CustomStringConvertible, Sendable {
        let index: Int
        let hex: String
        let file: String
        let line: Int
        let test: String
        let kind: String
        let valid: Bool
        let check: String?
        let reason: String?
        let error: String?
        let apdu: String?
        let apdu_offset: Int?
        let offset: Int?
        let expect: JSONValue?
        let not: JSONValue?
        let user_information: String?
        let user_information_offset: Int?
        let expect_user_information: JSONValue?
        var bytes: [UInt8] { (try? HexText.parse(hex)) ?? [] }
        var description: String { "#\(index) \(file):\(line) \(test)" }
    }

    struct File: Decodable, Sendable {
        let count: Int
        let counts: [String: Int]
        let valid: Int
        let invalid: Int
        let entries: [Entry]
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "Fixtures/manifest/dlms_cosem_vectors_manifest.json not found in the DLMSTests resource bundle" }
    }

    static func load() throws -> File {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("manifest").appendingPathComponent("dlms_cosem_vectors_manifest.json")
            if FileManager.default.fileExists(atPath: url.path) {
                return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
            }
        }
        throw Missing()
    }

    /// The name of a decoded APDU (ACSE or xDLMS).
    static func name(_ apdu: DLMSMessage.APDU) -> String {
        switch apdu {
        case .acse(let a): a.name
        case .xdlms(let x): x.name
        }
    }
}

@Suite("DLMS vector manifest")
struct VectorManifestTests {
    @Test("the manifest classifies all 305 u9n/dlms-cosem vectors; counts per kind")
    func counts() throws {
        let file = try VectorManifest.load()
        #expect(file.count == 305)
        #expect(file.entries.count == 305)
        #expect(file.entries.map(\.index) == Array(0..<305))
        var kinds: [String: Int] = [:]
        for e in file.entries { kinds[e.kind, default: 0] += 1 }
        #expect(kinds == file.counts)
        let expected: [String: Int] = [
            "acse-apdu": 25, "block-raw-data": 4, "challenge": 4, "ciphered-apdu": 8, "ciphertext": 6,
            "conformance": 2, "cosem-data": 20, "cosem-data-sequence": 2, "date": 1, "date-time": 4,
            "gmac-input": 1, "gmac-tag": 2, "hdlc-frame": 15, "invocation-counter": 4, "iv": 1, "key": 25,
            "llc-information-field": 2, "obis": 2, "other-bytes": 5, "password": 2, "plaintext": 1,
            "system-title": 34, "time": 1, "wrapper-frame": 13, "wrapper-header": 2, "xdlms-apdu": 119,
        ]
        #expect(kinds == expected)
        #expect(file.entries.filter(\.valid).count == 248)
        #expect(file.entries.filter { !$0.valid }.count == 57)
        #expect(file.entries.filter { $0.check == "throws" }.count == 13)
        #expect(file.entries.filter { $0.check == "not" }.count == 44)
        #expect(file.valid == 248 && file.invalid == 57)
    }

    @Test("every entry: our decoder agrees with the manifest")
    func decoderAgrees() throws {
        let file = try VectorManifest.load()
        var checked: [String: Int] = [:]
        for e in file.entries {
            let bytes = e.bytes
            #expect(bytes.count * 2 == e.hex.count, "\(e)")
            if e.valid {
                do {
                    try Self.checkValid(e, bytes)
                    checked[e.kind, default: 0] += 1
                } catch {
                    Issue.record("\(e) (\(e.kind)): \(error)")
                }
            } else {
                Self.checkInvalid(e, bytes)
                checked["invalid", default: 0] += 1
            }
        }
        #expect(checked.values.reduce(0, +) == 305)
        #expect(checked["invalid"] == 57)
    }

    /// Decodes with the decoder of `e.kind` and re-encodes; throws on any disagreement.
    static func checkValid(_ e: VectorManifest.Entry, _ bytes: [UInt8]) throws {
        struct Mismatch: Error, CustomStringConvertible { let description: String }
        func require(_ ok: Bool, _ what: @autoclosure () -> String) throws { if !ok { throw Mismatch(description: what()) } }
        switch e.kind {
        case "hdlc-frame":
            let parsed = try HDLCFrame.parse(bytes)
            try require(parsed.checkError == nil, "check sequence: \(String(describing: parsed.checkError))")
            try require(try parsed.encoded() == bytes, "HDLC re-encoding differs")
            if let apdu = e.apdu {
                let message = try DLMSMessage.decode(bytes)
                try require(message.framing == .hdlc, "framing \(message.framing)")
                try require(message.apduError == nil, "APDU error \(String(describing: message.apduError))")
                try require(message.apdu.map(VectorManifest.name) == apdu, "APDU \(String(describing: message.apdu))")
                if let expect = e.expect, case .xdlms(let x)? = message.apdu {
                    let diff = XDLMSFixtures.mismatches(x.json, expect)
                    try require(diff.isEmpty, "\(diff)")
                }
            }
        case "llc-information-field":
            let offset = e.apdu_offset ?? 3
            let acse = try ACSEAPDU(decoding: bytes[offset...])
            try require(acse.name == e.apdu, "decoded as \(acse.name)")
            try require(bytes[..<offset] == [0xE6, 0xE6, 0x00] || bytes[..<offset] == [0xE6, 0xE7, 0x00], "LLC header")
            try require(acse.encoded() == Array(bytes[offset...]), "ACSE re-encoding differs")
        case "wrapper-frame":
            let frame = try WrapperFrame.decode(bytes)
            try require(try frame.encoded() == bytes, "wrapper re-encoding differs")
            let message = try DLMSMessage.decode(bytes)
            try require(message.framing == .wrapper, "framing \(message.framing)")
            let x = try XDLMSAPDU(decoding: frame.apdu)
            try require(x.name == e.apdu, "decoded as \(x.name)")
            try require(x.encoded() == Array(frame.apdu), "APDU re-encoding differs")
            if let expect = e.expect {
                let diff = XDLMSFixtures.mismatches(x.json, expect)
                try require(diff.isEmpty, "\(diff)")
            }
        case "wrapper-header":
            let header = try WrapperHeader.decode(bytes[...])
            try require(header.encoded() == bytes, "wrapper header re-encoding differs")
            // The header announces 70 bytes that are not there: as a whole frame it must be refused.
            try require((try? WrapperFrame.decode(bytes)) == nil, "an 8-byte header alone decoded as a frame")
        case "acse-apdu":
            let acse = try ACSEAPDU(decoding: bytes)
            try require(acse.name == e.apdu, "decoded as \(acse.name)")
            try require(acse.encoded() == bytes, "ACSE re-encoding differs")
            let message = try DLMSMessage.decode(bytes)
            try require(message.apdu.map(VectorManifest.name) == e.apdu, "DLMSMessage: \(String(describing: message.apdu))")
            if let offset = e.user_information_offset, let expect = e.expect_user_information {
                let x = try XDLMSAPDU(decoding: bytes[offset...].prefix(while: { _ in true }))
                let diff = XDLMSFixtures.mismatches(x.json, expect)
                try require(x.name == e.user_information, "user-information decoded as \(x.name)")
                try require(diff.isEmpty, "user-information: \(diff)")
            }
        case "xdlms-apdu", "ciphered-apdu":
            let x = try XDLMSAPDU(decoding: bytes)
            try require(x.name == e.apdu, "decoded as \(x.name)")
            try require(x.encoded() == bytes, "APDU re-encoding differs")
            if e.kind == "ciphered-apdu" {
                let c = try CipheredAPDU(decoding: bytes)
                try require(c.encoded() == bytes, "CipheredAPDU re-encoding differs")
            }
            if let expect = e.expect {
                let diff = XDLMSFixtures.mismatches(x.json, expect)
                try require(diff.isEmpty, "\(diff)")
            }
            let message = try DLMSMessage.decode(bytes)
            try require(message.framing == .apdu, "framing \(message.framing)")
            try require(message.apdu.map(VectorManifest.name) == e.apdu, "DLMSMessage: \(String(describing: message.apdu))")
        case "cosem-data":
            let offset = e.offset ?? 0
            let (value, consumed) = try COSEMData.decode(bytes[offset...])
            try require(consumed == bytes.count - offset, "consumed \(consumed) of \(bytes.count - offset)")
            try require(value.encoded() == Array(bytes[offset...]), "Data re-encoding differs")
        case "cosem-data-sequence":
            var rest = bytes[...], again: [UInt8] = [], values = 0
            while !rest.isEmpty {
                let (value, consumed) = try COSEMData.decode(rest)
                try require(consumed > 0, "no progress")
                again += value.encoded()
                rest = rest.dropFirst(consumed)
                values += 1
            }
            // #2 holds structure(7), the Get-Data-Result choice 00 (which reads as null-data), structure(5).
            try require(values == (e.index == 2 ? 3 : 2), "\(values) values")
            try require(again == bytes, "Data re-encoding differs")
        case "date":
            try require(try COSEMDate(bytes: bytes[...]).encoded == bytes, "date re-encoding differs")
        case "time":
            try require(try COSEMTime(bytes: bytes[...]).encoded == bytes, "time re-encoding differs")
        case "date-time":
            try require(try COSEMDateTime(bytes: bytes[...]).encoded == bytes, "date-time re-encoding differs")
        case "obis":
            try require(try OBISCode(bytes: bytes).bytes == bytes, "OBIS re-encoding differs")
        case "conformance":
            let offset = e.offset ?? 1
            try require(bytes[0] == 0, "unused-bits byte")
            try require(try Conformance(bytes: bytes[offset...]).bytes == Array(bytes[offset...]), "conformance re-encoding differs")
        case "system-title":
            try require(bytes.count == 8, "a system title has 8 bytes, got \(bytes.count)")
        case "key":
            // AES-128 keys; #40 is the 4-byte b"1234" the upstream test passes only to turn on general-protection.
            try require(bytes.count == 16 || (e.index == 40 && bytes.count == 4), "key length \(bytes.count)")
        case "invocation-counter":
            try require(bytes.count == 4, "invocation counter length \(bytes.count)")
        case "iv":
            try require(bytes.count == 12, "IV length \(bytes.count)")
        case "gmac-tag":
            try require(bytes.count == 12, "tag length \(bytes.count)")
        case "password", "challenge":
            try require(bytes.count == 8 && bytes.allSatisfy { (0x20..<0x7F).contains($0) }, "8 printable bytes")
        case "gmac-input":
            try require(bytes.count == 25 && bytes[0] == 0x10, "SC 10 + AK + StoC")
        case "ciphertext", "plaintext", "block-raw-data", "other-bytes":
            // Fragments with no decoder of their own (ciphertext ‖ tag, a piece of a block transfer, …).
            try require(!bytes.isEmpty, "empty")
        default:
            throw Mismatch(description: "unknown kind \(e.kind)")
        }
    }

    /// Deliberately invalid: "throws" — every decoder that could apply throws a DLMSError;
    /// "not" — the xDLMS decoder throws, or yields a different class than the one named.
    static func checkInvalid(_ e: VectorManifest.Entry, _ bytes: [UInt8]) {
        switch (e.kind, e.check) {
        case ("hdlc-frame", "throws"), ("other-bytes", "throws"):
            let r = Result { () throws(DLMSError) in try HDLCFrame.parse(bytes) }
            if case .success = r { Issue.record("\(e): HDLCFrame.parse accepted it (\(e.reason ?? ""))") }
        case ("xdlms-apdu", "throws"):
            switch Result(catching: { () throws(DLMSError) in try XDLMSAPDU(decoding: bytes) }) {
            case .success(let x): Issue.record("\(e): decoded as \(x.json.serialized()) (\(e.reason ?? ""))")
            case .failure(let error):
                if let code = e.error { #expect(error.code.rawValue == code, "\(e): \(error)") }
            }
        case ("xdlms-apdu", "not"):
            switch Result(catching: { () throws(DLMSError) in try XDLMSAPDU(decoding: bytes) }) {
            case .success(let x):
                #expect(x.encoded() == bytes, "\(e): re-encoding differs")
                if let not = e.not {
                    #expect(!XDLMSFixtures.mismatches(x.json, not).isEmpty, "\(e): decoded as the class it must not be")
                }
            case .failure: break
            }
        default:
            Issue.record("\(e): no rule for invalid \(e.kind)/\(e.check ?? "-")")
        }
    }
}
