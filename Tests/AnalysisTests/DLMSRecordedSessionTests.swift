import Analysis
import Foundation
import Testing

/// The DLMS sessions `scripts/make-captures tcp` recorded against the reference server (clean and
/// with faults, over the wrapper and HDLC on TCP) analyse to exactly these PDUs and findings, and
/// each fault shows as the finding that names it. The clean sessions' findings are the harness's
/// own negative cases (a wrong LLS password → AARE rejected; a GET after release → refused).
@Suite("Recorded DLMS sessions")
struct DLMSRecordedSessionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let expected: [(name: String, pdus: Int, findings: [String: Int])] = [
        ("hdlc-clean", 66, ["dlms.confirmed-service-error": 1]),
        ("hdlc-bad-fcs", 28, ["dlms.malformed-pdu": 6, "dlms.request-without-response": 6]),
        ("hdlc-invoke-id-not-echoed", 50, ["dlms.confirmed-service-error": 1, "dlms.invoke-id-mismatch": 3]),
        ("wrapper-clean", 42, ["dlms.aare-rejected": 1, "dlms.confirmed-service-error": 1]),
        ("wrapper-invocation-counter-replay", 22, ["dlms.aare-rejected": 1, "dlms.confirmed-service-error": 1, "dlms.invocation-counter-replay": 1]),
        ("wrapper-invoke-id-not-echoed", 22, ["dlms.aare-rejected": 1, "dlms.confirmed-service-error": 1, "dlms.invoke-id-mismatch": 1]),
        ("wrapper-malformed-rlre-length", 40, ["dlms.aare-rejected": 1, "dlms.malformed-pdu": 4, "dlms.request-without-response": 4]),
        ("wrapper-plaintext-response", 22, ["dlms.aare-rejected": 1, "dlms.cleartext-meter-data": 2, "dlms.confirmed-service-error": 1]),
        ("wrapper-wrong-aare-diagnostic", 42, ["dlms.aare-rejected": 1, "dlms.confirmed-service-error": 1]),
    ]

    static func analysed(_ name: String) -> Analysed {
        Analysed(root.appendingPathComponent("Captures/dlms/\(name).pcapng").path)
    }

    @Test(arguments: DLMSRecordedSessionTests.expected.map(\.name))
    func exactPDUsAndFindings(name: String) throws {
        let expectation = try #require(Self.expected.first { $0.name == name })
        let a = Self.analysed(name)
        #expect(a.result.problem == nil, "\(name): \(String(describing: a.result.problem))")
        #expect(a.result.pduCount == expectation.pdus, "\(name)")
        #expect(a.result.findingCounts == expectation.findings, "\(name): \(a.result.findingCounts)")
    }

    @Test func theAARERejectionNamesTheWrongDiagnostic() {
        // Same counts as the clean session: the fault is in what the AARE says.
        let clean = Self.analysed("wrapper-clean").result.findings.filter { $0.rule.id == "dlms.aare-rejected" }
        let faulty = Self.analysed("wrapper-wrong-aare-diagnostic").result.findings.filter { $0.rule.id == "dlms.aare-rejected" }
        #expect(clean.count == 1 && clean.allSatisfy { $0.message.contains("authentication-failure") })
        #expect(faulty.count == 1 && faulty.allSatisfy { $0.message.contains("no-reason-given") })
    }
}
