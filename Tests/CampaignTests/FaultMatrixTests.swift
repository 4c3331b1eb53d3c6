import Campaign
import Conformance
import Foundation
import Testing

/// The simulators prove the suites: the clean simulator passes everything applicable, and each
/// named fault makes a named case fail for the expected reason (ARCHITECTURE.md, "Simulators prove the suites").
@Suite("Fault matrix (M-Bus reference slave)")
struct FaultMatrixTests {
    @Test func theCleanSimulatorPassesEveryApplicableCase() async throws {
        let result = try await CampaignSupport.run(device: .target(url: "sim:mbus"), name: "clean")
        let report = result.report
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(report))")
        #expect(report.summary.fail == 0 && report.summary.inconc == 0 && report.summary.error == 0)
        #expect(report.summary.pass >= 25)
        // Not-applicable cases are reported with the reason, not dropped.
        let fixed = try #require(CampaignSupport.cases(report)["MBUS_AL_P10"])
        #expect(fixed.notApplicable && fixed.reason?.contains("mbus.fixed_data_structure") == true)
        #expect(CampaignSupport.missingFiles(in: result.folder).isEmpty)
    }

    /// Fault → the case that must fail and words its reason must contain.
    static let expectations: [(fault: String, caseId: String, reason: String)] = [
        ("bad-checksum", "MBUS_LL_P02", "checksum"),
        ("wrong-l-field", "MBUS_LL_P02", "L field"),
        ("no-reply", "MBUS_LL_P02", "no frame"),
        ("late-reply", "MBUS_LL_P05", "window"),
        ("ignores-fcb", "MBUS_LL_P07", "previous"),
        ("answers-wrong-selection", "MBUS_LL_N03", "must stay silent"),
        ("answers-broadcast", "MBUS_LL_N02", "must stay silent"),
        ("wrong-ci", "MBUS_LL_P03", "frame.ci"),
        ("truncated-record", "MBUS_AL_P03", "does not decode"),
        ("garbage-before-start", "MBUS_LL_P02", "garbage"),
    ]

    @Test func everyFaultHasAnExpectation() {
        let faults = Set(Catalogue.faults.filter { $0.protocol == "mbus" }.map(\.name))
        #expect(faults == Set(Self.expectations.map(\.fault)))
    }

    @Test(arguments: FaultMatrixTests.expectations.map(\.fault))
    func eachFaultFailsItsNamedCase(fault: String) async throws {
        let expectation = try #require(Self.expectations.first { $0.fault == fault })
        let result = try await CampaignSupport.run(device: .target(url: "sim:mbus?faults=\(fault)"), name: fault)
        #expect(result.exitStatus == 1, "fault \(fault): exit \(result.exitStatus)\n\(CampaignSupport.describeFailures(result.report))")
        let testCase = try #require(CampaignSupport.cases(result.report)[expectation.caseId])
        #expect(testCase.verdict == .fail, "fault \(fault): \(expectation.caseId) is \(testCase.verdict): \(testCase.reason ?? "")")
        #expect(testCase.reason?.localizedCaseInsensitiveContains(expectation.reason) == true,
                "fault \(fault): \(expectation.caseId)'s reason '\(testCase.reason ?? "")' lacks '\(expectation.reason)'")
    }
}
