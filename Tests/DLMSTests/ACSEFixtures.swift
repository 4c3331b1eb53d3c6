import CodecSupport
import DLMS
import Foundation
import Testing

/// Loads `Fixtures/acse/` and checks a decoded APDU against a fixture's `expected` object.
enum ACSEFixtures {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        var description: String { "Fixtures/acse/\(name) not found in the DLMSTests resource bundle" }
    }

    /// One APDU from a fixture: where it came from, its bytes and what it must mean.
    struct Vector: Sendable {
        let label: String
        let framing: String
        let input: [UInt8]
        let apduOffset: Int
        let expected: JSONValue
    }

    static func json(_ name: String) throws -> JSONValue {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("acse").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) {
                return try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
            }
        }
        throw NotFound(name: name)
    }

    static func bytes(_ text: String) -> [UInt8] { (try? HexText.parse(text)) ?? [] }

    /// The u9n/dlms-cosem ACSE vectors (`u9n_acse_vectors.json`).
    static func u9n() throws -> [Vector] {
        guard case .array(let items)? = try json("u9n_acse_vectors.json")["vectors"] else { return [] }
        return items.map { v in
            Vector(label: "u9n #\(v.acseInt("index") ?? -1) \(v.acseString("test") ?? "")",
                   framing: v.acseString("framing") ?? "none",
                   input: bytes(v.acseString("hex") ?? ""),
                   apduOffset: Int(v.acseInt("apdu_offset") ?? 0),
                   expected: v["expected"] ?? .null)
        }
    }

    /// The Gurux loopback ACSE APDUs (`gurux_acse_exchanges.json`), framing already stripped.
    static func gurux() throws -> [Vector] {
        guard case .array(let items)? = try json("gurux_acse_exchanges.json")["exchanges"] else { return [] }
        return items.map { v in
            Vector(label: "gurux \(v.acseString("session") ?? "") line \(v.acseInt("line") ?? -1) \(v.acseString("direction") ?? "")",
                   framing: v.acseString("framing") ?? "",
                   input: bytes(v.acseString("frame") ?? ""),
                   apduOffset: Int(v.acseInt("apdu_offset") ?? 0),
                   expected: v["expected"] ?? .null)
        }
    }

    /// Every APDU of both fixtures that decodes (the fuzz seeds).
    static func validAPDUs() throws -> [[UInt8]] {
        try (u9n() + gurux()).compactMap { v in
            let apdu = try v.apdu()
            return (try? ACSEAPDU(decoding: apdu)) == nil ? nil : apdu
        }
    }

    /// Checks `apdu` against `expected`; every key present must match.
    static func check(_ apdu: ACSEAPDU, _ e: JSONValue, _ label: String, input: [UInt8]) {
        #expect(apdu.name == e.acseString("apdu"), "\(label): apdu")
        var context: ApplicationContextName?
        var mechanism: MechanismName?
        var authentication: AuthenticationValue?
        var requirements: ACSERequirements?
        var userInformation: UserInformation?
        switch apdu {
        case .aarq(let a):
            context = a.applicationContextName
            mechanism = a.mechanismName
            authentication = a.callingAuthenticationValue
            requirements = a.senderACSERequirements
            userInformation = a.userInformation
            #expect(a.callingAPTitle.map { HexText.format($0, separator: "") } == e.acseString("calling_ap_title"), "\(label): calling AP title")
        case .aare(let a):
            context = a.applicationContextName
            mechanism = a.mechanismName
            authentication = a.respondingAuthenticationValue
            requirements = a.responderACSERequirements
            userInformation = a.userInformation
            #expect(a.result.rawValue == e.acseInt("result"), "\(label): result")
            #expect(a.resultSourceDiagnostic.source == e.acseString("diagnostic_source"), "\(label): diagnostic source")
            #expect(a.resultSourceDiagnostic.value == e.acseInt("diagnostic"), "\(label): diagnostic value")
        case .rlrq(let r):
            userInformation = r.userInformation
            #expect(r.reason?.rawValue == e.acseInt("reason"), "\(label): reason")
        case .rlre(let r):
            userInformation = r.userInformation
            #expect(r.reason?.rawValue == e.acseInt("reason"), "\(label): reason")
        }
        #expect(context?.name == e.acseString("context"), "\(label): context")
        #expect(mechanism?.name == e.acseString("mechanism"), "\(label): mechanism")
        #expect(authentication.map { Int64($0.bytes.count) } == e.acseInt("authentication_length"), "\(label): authentication length")
        #expect((requirements?.hasAuthentication ?? false) == (e["acse_requirements_authentication"] == .bool(true)),
                "\(label): acse requirements")
        #expect(userInformation?.kind == e.acseString("user_information"), "\(label): user-information kind")
        if let secretHex = e.acseString("authentication_value_hex") {
            let secret = bytes(secretHex)
            #expect(authentication?.bytes == secret, "\(label): authentication value")
            #expect(apdu.secretRanges.count == 1, "\(label): one secret range")
            if let range = apdu.secretRanges.first, range.upperBound <= input.count {
                #expect(Array(input[range]) == secret, "\(label): secret range points at the value")
            }
            let text = apdu.json.serialized()
            #expect(text.contains("\"value\":\"***\""), "\(label): masked")
            #expect(!text.contains(secretHex) && !text.contains(HexText.format(secret, separator: "").lowercased()),
                    "\(label): JSON leaks the authentication value")
            if let ascii = String(bytes: secret, encoding: .utf8), secret.allSatisfy({ (0x20...0x7E).contains($0) }) {
                #expect(!text.contains("\"\(ascii)\""), "\(label): JSON leaks the password text")
                #expect(!String(describing: apdu).contains(ascii), "\(label): description leaks the password text")
            }
        } else if e.acseInt("authentication_length") == nil {
            #expect(apdu.secretRanges.isEmpty, "\(label): no secret")
        }
    }
}

extension ACSEFixtures.Vector {
    /// The APDU bytes: the input with its framing removed (HDLC frames through the HDLC codec).
    func apdu() throws -> [UInt8] {
        if framing == "hdlc_frame" {
            let frame = try HDLCFrame.decode(input)
            return Array(HDLCLLC.split(frame.information).rest)
        }
        return Array(input.dropFirst(apduOffset).prefix(input.count - apduOffset - (framing == "hdlc" ? 3 : 0)))
    }
}

extension JSONValue {
    func acseString(_ key: String) -> String? {
        if case .string(let s)? = self[key] { return s }
        return nil
    }

    func acseInt(_ key: String) -> Int64? {
        switch self[key] {
        case .int(let i)?: return i
        case .uint(let u)?: return Int64(exactly: u)
        case .double(let d)?: return Int64(exactly: d)
        default: return nil
        }
    }
}

/// The shared deterministic generator (CodecSupport).
typealias ACSESeededGenerator = SplitMix64

/// The `DLMSError` a call throws, or nil.
func acseError<T>(_ body: () throws(DLMSError) -> T) -> DLMSError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
