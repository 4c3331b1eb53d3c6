import Foundation
import Testing
@testable import Conformance

@Suite("Device profiles, secrets and the key store")
struct ProfileTests {
    @Test("a profile resolves env: and file: secrets and keeps PICS and PIXIT")
    func profile() throws {
        let variable = "METERPROOF_TEST_SECRET_PW"
        setenv(variable, "pw-from-env-7f3a", 1)
        defer { unsetenv(variable) }
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-\(UUID().uuidString).key").path
        try "key-from-file-91c2\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: keyFile) }
        let text = try String(contentsOfFile: Fixture.path("profiles/meter.device.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "KEYFILE", with: keyFile)
        let secrets = SecretRegistry()
        let profile = try ProfileLoader.load(yaml: text, path: "meter.device.yaml", registry: Fixture.registry, secrets: secrets)

        #expect(profile.transport == "serial:///dev/ttyUSB0?baud=2400&parity=even")
        #expect(profile.pics == ["mbus.secondary_addressing": true, "mbus.fcb_handling": false])
        #expect(profile.pixit["primary_address"] == .int(5))
        #expect(profile.pixit["secondary_address"] == .string("12345678FFFFFFFF"))
        guard case .secret(let password)? = profile.pixit["password"], case .secret(let key)? = profile.pixit["key_text"],
              case .secret(let literal)? = profile.pixit["literal"] else {
            Issue.record("secrets not loaded as Secret"); return
        }
        #expect(password.revealText() == "pw-from-env-7f3a")
        #expect(key.revealText() == "key-from-file-91c2")
        #expect(literal.revealText() == "hunter2-literal")
        let scrubbed = secrets.scrub("pw=pw-from-env-7f3a hex=\(Array("hunter2-literal".utf8).map { String(format: "%02X", $0) }.joined())")
        #expect(scrubbed == "pw=*** hex=***")
    }

    @Test("an unset variable, a missing file and an unknown PICS item are reported with their line")
    func profileErrors() {
        let text = "transport: tcp://127.0.0.1:1\npixit:\n  a: env:METERPROOF_TEST_UNSET_8d1e\n  b: file:/nonexistent/meterproof/key\n"
        do {
            _ = try ProfileLoader.load(yaml: text, path: "p.yaml", registry: Fixture.registry, secrets: SecretRegistry())
            Issue.record("accepted unresolvable secrets")
        } catch {
            #expect(error.diagnostics.map(\.kind) == [.unresolvedSecret, .unresolvedSecret])
            #expect(error.diagnostics.map(\.location.line) == [3, 4])
            #expect(error.diagnostics[0].message.contains("METERPROOF_TEST_UNSET_8d1e is not set"))
        }
        do {
            _ = try ProfileLoader.load(path: Fixture.path("profiles/unknown-pics.device.yaml"), registry: Fixture.registry, secrets: SecretRegistry())
            Issue.record("accepted an unknown PICS item")
        } catch {
            #expect(error.diagnostics.map(\.kind) == [.unknownPICSItem])
            #expect(error.diagnostics[0].location.line == 3)
        }
    }

    @Test("a Secret never shows its value: interpolation, debug, dump, JSON")
    func secretNeverPrints() throws {
        let secret = Secret(text: "s3cr3t-value", registry: SecretRegistry())
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "***")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
        var dumpedProfile = ""
        dump(PIXITValue.secret(secret), to: &dumpedProfile)
        #expect(!dumpedProfile.contains("s3cr3t") && !dumpedProfile.contains("115"))
        let json = String(decoding: try JSONEncoder().encode(["password": secret]), as: UTF8.self)
        #expect(json == #"{"password":"***"}"#)
    }

    @Test("the key store reads DLMS, C12.22 and wM-Bus keys from hex, env: and file:")
    func keyStore() throws {
        let variable = "METERPROOF_TEST_WMBUS_KEY"
        setenv(variable, "000102030405060708090A0B0C0D0E0F", 1)
        defer { unsetenv(variable) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let akFile = directory.appendingPathComponent("ak.hex").path
        try "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF\n".write(toFile: akFile, atomically: true, encoding: .utf8)
        let storePath = directory.appendingPathComponent("keys.yaml").path
        try """
        dlms:
          "4D4D4D0000BC614E": {ek: 000102030405060708090A0B0C0D0E0F, ak: "file:\(akFile)"}
        c1222:
          "3": 00112233445566778899AABBCCDDEEFF
        wmbus:
          "12345678": env:\(variable)
        """.write(toFile: storePath, atomically: true, encoding: .utf8)
        let secrets = SecretRegistry()
        let store = try KeyStore.load(path: storePath, secrets: secrets)
        #expect(store.dlms["4D4D4D0000BC614E"]?.ak?.reveal() == Array(0xD0...0xDF))
        #expect(store.dlms["4D4D4D0000BC614E"]?.ek?.reveal() == Array(0x00...0x0F))
        #expect(store.c1222[3]?.reveal().count == 16)
        #expect(store.wmbus["12345678"]?.reveal() == Array(0x00...0x0F))
        #expect(secrets.scrub("ak d0d1d2d3d4d5d6d7d8d9dadbdcdddedf") == "ak ***")
        #expect(throws: SecretResolutionError.self) { try KeyStore.key("not-hex", secrets: secrets) }
    }
}

@Suite("Case selection")
struct CaseSelectionTests {
    let suite: TestSuite

    init() throws {
        suite = try SuiteLoader.load(path: Fixture.path("suites/valid.yaml"), registry: Fixture.registry)
    }

    @Test("a case whose PICS are not met is not applicable, naming every unmet item")
    func applicability() {
        let selection = CaseSelection(pics: ["mbus.ack_after_snd_nke": true, "mbus.fcb_handling": false, "mbus.multi_telegram": true])
        let result = selection.select(from: suite)
        #expect(result.map(\.testCase.id) == ["MBUS_LL_P01", "MBUS_LL_P02", "MBUS_LL_N01"])
        #expect(result[0].applicability == .applicable)
        #expect(result[1].applicability == .applicable)
        guard case .notApplicable(let reason, let unmet) = result[2].applicability else {
            Issue.record("MBUS_LL_N01 should not apply"); return
        }
        #expect(unmet.map(\.description) == ["mbus.fcb_handling", "not:mbus.multi_telegram"])
        #expect(reason.contains("mbus.fcb_handling is declared false"))
        #expect(reason.contains("mbus.multi_telegram is declared true"))
        #expect(result[2].applicability.outcome?.affectsExitStatus == false)
    }

    @Test("an undeclared PICS item counts as false and says so")
    func undeclared() {
        let applicability = CaseSelection(pics: [:]).applicability(of: suite.cases[0])
        guard case .notApplicable(let reason, _) = applicability else { Issue.record("applied"); return }
        #expect(reason.contains("mbus.ack_after_snd_nke is not declared"))
    }

    @Test("--case globs select by id")
    func globs() {
        #expect(CaseSelection.glob("MBUS_LL_*", matches: "MBUS_LL_P01"))
        #expect(!CaseSelection.glob("MBUS_LL_*", matches: "MBUS_AL_P01"))
        #expect(CaseSelection.glob("MBUS_LL_?01", matches: "MBUS_LL_N01"))
        #expect(CaseSelection.glob("*N*", matches: "MBUS_LL_N01"))
        #expect(!CaseSelection.glob("MBUS_LL_P0", matches: "MBUS_LL_P01"))
        let selection = CaseSelection(caseGlobs: ["MBUS_LL_P*"], pics: [:])
        #expect(selection.select(from: suite).map(\.testCase.id) == ["MBUS_LL_P01", "MBUS_LL_P02"])
    }
}
