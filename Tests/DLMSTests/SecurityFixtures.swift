import CodecSupport
import DLMS
import Foundation
import Testing

/// Loads the security fixtures (`Fixtures/security/`) and builds the contexts their keys describe.
enum SecurityFixtures {
    struct NotFound: Error, CustomStringConvertible {
        let name: String
        var description: String { "Fixtures/security/\(name) not found in the DLMSTests resource bundle" }
    }

    /// The Green Book example keys (EK 000102…0F, AK D0…DF).
    static let greenBookEK = bytes("000102030405060708090A0B0C0D0E0F")
    static let greenBookAK = bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")
    /// The key of u9n/dlms-cosem `test_gen_glo_cipher_to_apdu`, used as EK and AK.
    static let dummyGlobalKey = Array("MYDUMMYGLOBALKEY".utf8)

    static func data(_ name: String) throws -> Data {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("security").appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return try Data(contentsOf: url) }
        }
        throw NotFound(name: name)
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data(name))
    }

    /// Hex from a fixture; a malformed literal is a broken fixture, reported as an empty array
    /// that the comparisons then reject.
    static func bytes(_ text: String) -> [UInt8] {
        (try? HexText.parse(text)) ?? []
    }

    static func title(_ text: String) throws -> SystemTitle {
        try SystemTitle(bytes(text))
    }

    /// A context in which both parties use `title` (the examples cipher with one title).
    static func context(ek: [UInt8], ak: [UInt8], title: String, counter: UInt32 = 0) throws -> SecurityContext {
        let t = try self.title(title)
        return SecurityContext(
            globalUnicastKey: ek, authenticationKey: ak, clientSystemTitle: t, serverSystemTitle: t,
            clientInvocationCounter: counter, serverInvocationCounter: counter)
    }
}

extension JSONValue {
    /// The string under `key`, or nil.
    func securityField(_ key: String) -> String? {
        if case .string(let s)? = self[key] { return s }
        return nil
    }

    /// The members of an array, or none.
    var securityItems: [JSONValue] {
        if case .array(let a) = self { return a }
        return []
    }
}

/// The code and offset of a ``DLMSError`` (tests compare these, never the wording).
struct SecurityFailure: Equatable, CustomStringConvertible {
    let code: DLMSError.Code
    let offset: Int

    init(_ code: DLMSError.Code, _ offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// What `body` threw, or nil when it returned (any error other than ``DLMSError`` is an issue).
    static func of(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> SecurityFailure? {
        do {
            try body()
            return nil
        } catch let error as DLMSError {
            return SecurityFailure(error.code, error.offset)
        } catch {
            Issue.record("not a DLMSError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    var description: String { "\(code) at \(offset)" }
}
