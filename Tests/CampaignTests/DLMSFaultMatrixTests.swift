import Campaign
import Conformance
import Foundation
import Testing

/// The DLMS reference server proves the DLMS suites: clean, every applicable case passes over the
/// wrapper and over HDLC; with each named fault, a named case fails for the rule the fault breaks.
@Suite("Fault matrix (DLMS reference server)")
struct DLMSFaultMatrixTests {
    static var dlmsSuites: String { CampaignSupport.repositoryRoot.appendingPathComponent("TestSuites/dlms").path }

    @Test func theCleanServerPassesEverySuiteOverTheWrapper() async throws {
        let result = try await CampaignSupport.run([Self.dlmsSuites], device: .target(url: "sim:dlms"), name: "dlms-clean-wrapper")
        let report = result.report
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(report))")
        #expect(report.summary.fail == 0 && report.summary.inconc == 0 && report.summary.error == 0)
        #expect(report.summary.pass >= 40)
        // The HDLC cases do not apply to a wrapper transport, and say why.
        let hdlcCase = try #require(CampaignSupport.cases(report)["HDLC_INFO_P1"])
        #expect(hdlcCase.notApplicable && hdlcCase.reason?.contains("dlms.hdlc") == true)
        #expect(CampaignSupport.missingFiles(in: result.folder).isEmpty)
    }

    @Test func theCleanServerPassesEverySuiteOverHDLC() async throws {
        let result = try await CampaignSupport.run([Self.dlmsSuites], device: .target(url: "sim:dlms-hdlc"), name: "dlms-clean-hdlc")
        let report = result.report
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(report))")
        #expect(report.summary.fail == 0 && report.summary.inconc == 0 && report.summary.error == 0)
        #expect(report.summary.pass >= 60)
    }

    /// Fault → the transport it shows on, the case that must fail and words its reason must contain.
    static let expectations: [(fault: String, url: String, caseId: String, reason: String)] = [
        ("wrong-aare-diagnostic", "sim:dlms", "MP_DLMS_APPL_N01", "authentication-failure"),
        ("accepts-wrong-password", "sim:dlms", "MP_DLMS_APPL_N01", "accepted where it must be rejected"),
        ("ignores-conformance", "sim:dlms", "APPL_OPEN_13", "did not propose"),
        ("invoke-id-not-echoed", "sim:dlms", "MP_DLMS_APPL_P05", "invoke-id"),
        ("ignores-access-rights", "sim:dlms", "MP_DLMS_COSEM_P01", "no_access"),
        ("wrong-data-type", "sim:dlms", "MP_DLMS_COSEM_P04", "12-byte octet-string"),
        ("wrong-logical-name", "sim:dlms", "MP_DLMS_COSEM_P01", "logical_name"),
        ("malformed-rlre-length", "sim:dlms", "APPL_REL_P1", "not a valid RLRE"),
        ("block-number-skip", "sim:dlms", "MP_DLMS_APPL_P04", "block number"),
        ("invocation-counter-replay", "sim:dlms", "SYMSEC_0_FraCount_3", "invocation counter"),
        ("plaintext-response", "sim:dlms", "SYMSEC_0_FraCount_3", "plaintext response"),
        ("corrupt-image-activated", "sim:dlms", "MP_DLMS_COSEM_P12", "differs from the image sent"),
        ("missing-llc-header", "sim:dlms-hdlc", "HDLC_INFO_P1", "LLC header"),
        ("bad-fcs", "sim:dlms-hdlc", "MP_DLMS_HDLC_P03", "FCS"),
        ("hdlc-ns-sequence-error", "sim:dlms-hdlc", "HDLC_INFO_P1", "N(S)"),
        ("ignores-disc", "sim:dlms-hdlc", "HDLC_FRAME_P1", "DISC"),
    ]

    @Test func everyFaultHasAnExpectation() {
        let faults = Set(Catalogue.faults.filter { $0.protocol == "dlms" }.map(\.name))
        #expect(faults == Set(Self.expectations.map(\.fault)))
    }

    @Test(arguments: DLMSFaultMatrixTests.expectations.map(\.fault))
    func eachFaultFailsItsNamedCase(fault: String) async throws {
        let expectation = try #require(Self.expectations.first { $0.fault == fault })
        let result = try await CampaignSupport.run([Self.dlmsSuites], device: .target(url: "\(expectation.url)?faults=\(fault)"),
                                                   cases: [expectation.caseId], name: "dlms-\(fault)")
        #expect(result.exitStatus == 1, "fault \(fault): exit \(result.exitStatus)\n\(CampaignSupport.describeFailures(result.report))")
        let testCase = try #require(CampaignSupport.cases(result.report)[expectation.caseId])
        #expect(testCase.verdict == .fail, "fault \(fault): \(expectation.caseId) is \(testCase.verdict): \(testCase.reason ?? "")")
        #expect(testCase.reason?.localizedCaseInsensitiveContains(expectation.reason) == true,
                "fault \(fault): \(expectation.caseId)'s reason '\(testCase.reason ?? "")' lacks '\(expectation.reason)'")
        // The reason names where the rule comes from.
        let reason = testCase.reason ?? ""
        #expect(["fact sheet", "§", "Gurux", "expected"].contains { reason.contains($0) },
                "fault \(fault): the reason '\(testCase.reason ?? "")' names no source")
    }

    @Test func theEvidenceOfAWrapperRunIsTCPToPort4059() async throws {
        let result = try await CampaignSupport.run([Self.dlmsSuites], device: .target(url: "sim:dlms"), cases: ["APPL_OPEN_1"], name: "dlms-capture")
        let capture = try Data(contentsOf: URL(fileURLWithPath: result.folder).appendingPathComponent("capture.pcapng"))
        // Port 4059 (0x0FDB) appears in the synthetic TCP headers, so Wireshark decodes DLMS.
        #expect(capture.range(of: Data([0x0F, 0xDB])) != nil)
        // The LLS-free public association carries no secret, but the AARQ is in the frames.
        #expect(result.report.frames.contains { $0.hex.hasPrefix("00 01 00 10 00 01") })
    }
}

/// Secrets of a DLMS run stay out of the run folder: the LLS password from the PIXIT, and the
/// deliberately wrong password of a negative case, which no key store holds (found by the AARQ's
/// structure).
@Suite("DLMS redaction")
struct DLMSRedactionTests {
    @Test func passwordsAreOverwrittenInTheCaptureAndTheFrameList() async throws {
        let result = try await CampaignSupport.run([DLMSFaultMatrixTests.dlmsSuites], device: .target(url: "sim:dlms"),
                                                   cases: ["MP_DLMS_APPL_P02", "MP_DLMS_APPL_N01"], name: "dlms-redaction")
        #expect(result.exitStatus == 0, "\(CampaignSupport.describeFailures(result.report))")
        let folder = URL(fileURLWithPath: result.folder)
        let capture = try Data(contentsOf: folder.appendingPathComponent("capture.pcapng"))
        // The calling-authentication-value component of an AARQ: AC 0A 80 08 <password>.
        let component: [UInt8] = [0xAC, 0x0A, 0x80, 0x08]
        let right = Data(component + Array("12345678".utf8))
        let wrong = Data(component + Array("00000000".utf8))  // wrong_password swaps every digit for 0 or 1
        #expect(capture.range(of: Data("12345678".utf8)) == nil)
        #expect(capture.range(of: right) == nil && capture.range(of: wrong) == nil)
        #expect(capture.range(of: Data(component + Array(repeating: 0x2A, count: 8))) != nil)
        // Both AARQs are in the frame list, marked redacted, with the authentication value filled with '*'.
        let aarqs = result.report.frames.filter { $0.direction == .toDevice && $0.hex.contains("AC 0A 80 08") }
        #expect(aarqs.count == 2)
        #expect(aarqs.allSatisfy { $0.redacted && $0.hex.contains("AC 0A 80 08 2A 2A 2A 2A 2A 2A 2A 2A") })
        for file in ["report.json", "report.html", "summary.md", "junit.xml"] {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("12345678") && !text.contains("3132333435363738"), "\(file) leaks the password")
        }
    }
}
