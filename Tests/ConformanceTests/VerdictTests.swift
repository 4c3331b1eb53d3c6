import Testing
import Foundation
@testable import Conformance

@Suite("Verdicts (TTCN-3 setverdict)")
struct VerdictTests {
    @Test("verdicts are ordered none < pass < inconc < fail < error")
    func ordering() {
        #expect(Verdict.allCases == [.none, .pass, .inconc, .fail, .error])
        #expect(Verdict.allCases.sorted() == Verdict.allCases)
        #expect(Verdict.pass.merged(with: .fail) == .fail)
        #expect(Verdict.error.merged(with: .pass) == .error)
    }

    @Test("a verdict never improves, and keeps the reason given with the worst")
    func neverImproves() {
        var record = VerdictRecord()
        #expect(record.verdict == .none)
        record.set(.pass, reason: "E5 received")
        record.set(.fail, reason: "checksum 0x18 expected, 0x19 found")
        record.set(.pass, reason: "later step passed")
        record.set(.inconc, reason: "could not select the slave")
        #expect(record.verdict == .fail)
        #expect(record.reason == "checksum 0x18 expected, 0x19 found")
        record.set(.error, reason: "connection closed")
        #expect(record.verdict == .error)
        #expect(record.reason == "connection closed")
    }

    @Test("merging a step's record into its case's keeps the worst")
    func mergeRecords() {
        var caseRecord = VerdictRecord()
        var step1 = VerdictRecord(); step1.set(.inconc, reason: "no answer to selection")
        var step2 = VerdictRecord(); step2.set(.pass, reason: "ok")
        caseRecord.merge(step1)
        caseRecord.merge(step2)
        caseRecord.merge(VerdictRecord())
        #expect(caseRecord.verdict == .inconc)
        #expect(caseRecord.reason == "no answer to selection")
    }

    @Test("an unconfirmed behaviour can give inconc, never fail")
    func unconfirmedCap() {
        #expect(Verdict.fail.capped(forUnconfirmed: true) == .inconc)
        #expect(Verdict.fail.capped(forUnconfirmed: false) == .fail)
        for verdict in [Verdict.none, .pass, .inconc, .error] {
            #expect(verdict.capped(forUnconfirmed: true) == verdict)
        }
        var record = VerdictRecord(unconfirmed: true)
        record.set(.fail, reason: "FCB not toggled")
        #expect(record.verdict == .inconc)
        #expect(record.reason?.hasSuffix("FCB not toggled") == true)
    }

    @Test("not applicable never changes the exit status; anything but pass does")
    func outcomes() {
        #expect(CaseOutcome.notApplicable(reason: "requires mbus.baud_switch").affectsExitStatus == false)
        var pass = VerdictRecord(); pass.set(.pass, reason: "ok")
        #expect(CaseOutcome.executed(pass).affectsExitStatus == false)
        var inconc = VerdictRecord(); inconc.set(.inconc, reason: "x")
        #expect(CaseOutcome.executed(inconc).affectsExitStatus)
    }

    @Test("verdicts encode as their TTCN-3 names")
    func codable() throws {
        let data = try JSONEncoder().encode([Verdict.inconc, .error])
        #expect(String(decoding: data, as: UTF8.self) == #"["inconc","error"]"#)
        #expect(try JSONDecoder().decode([Verdict].self, from: data) == [.inconc, .error])
    }
}
