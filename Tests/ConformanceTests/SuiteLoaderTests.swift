import Foundation
import Testing
@testable import Conformance

@Suite("Suite loading: a valid suite")
struct SuiteLoaderValidTests {
    let suite: TestSuite

    init() throws {
        suite = try SuiteLoader.load(path: Fixture.path("suites/valid.yaml"), registry: Fixture.registry)
    }

    @Test("suite header and cases in file order")
    func header() {
        #expect(suite.id == "mbus-link-layer-sample")
        #expect(suite.protocolName == "mbus")
        #expect(suite.cases.map(\.id) == ["MBUS_LL_P01", "MBUS_LL_P02", "MBUS_LL_N01"])
    }

    @Test("a case keeps references, use cases, PICS terms and step timeouts")
    func firstCase() throws {
        let p01 = suite.cases[0]
        #expect(p01.references == [Reference(standard: "EN 13757-2", source: "fact sheet mbus.md §1.5")])
        #expect(p01.usecases == ["F1 remote reading"])
        #expect(p01.requires == [PICSRequirement(item: "mbus.ack_after_snd_nke")])
        #expect(p01.steps.map(\.kind) == ["send", "expect_ack"])
        let send = p01.steps[0]
        #expect(send.parameters["frame"] == .string("snd_nke"))
        #expect(send.parameters["address"] == .reference("primary_address"))
        #expect(p01.timeout(for: send) == .milliseconds(500))
        #expect(p01.timeout(for: p01.steps[1]) == .seconds(1), "suite default_timeout applies")
        #expect(send.location.line == 14)
        #expect(send.location.file.hasSuffix("suites/valid.yaml"))
    }

    @Test("hex frames, clauses, expect matchers and loop bodies are typed")
    func secondCase() throws {
        let p02 = suite.cases[1]
        #expect(p02.references[0].clause == "5.7")
        #expect(p02.steps[0].parameters["frame"] == .bytes([0x10, 0x5B, 0x05, 0x60, 0x16]))
        guard case .matchers(let matchers)? = p02.steps[1].parameters["expect"] else {
            Issue.record("expect_frame has no matchers"); return
        }
        #expect(matchers.map(\.field) == ["frame.type", "frame.c", "frame.checksum_ok", "header.id", "records[0].unit"])
        #expect(matchers.map(\.expected) == [.string("long"), .int(8), .bool(true), .string("12345678"), .string("Wh")])
        guard case .steps(let body)? = p02.steps[2].parameters["do"] else {
            Issue.record("loop has no body"); return
        }
        #expect(body.map(\.kind) == ["wait"])
        #expect(body[0].parameters["duration"] == .duration(.milliseconds(50)))
        #expect(p02.steps[2].parameters["over"] == .list([.int(1), .int(2)]))
    }

    @Test("an unconfirmed, disputed case is PICS-gated, with not: terms and its own timeout")
    func thirdCase() {
        let n01 = suite.cases[2]
        #expect(n01.unconfirmed)
        #expect(n01.disputed != nil)
        #expect(n01.requires == [PICSRequirement(item: "mbus.fcb_handling"), PICSRequirement(item: "mbus.multi_telegram", negated: true)])
        #expect(n01.defaultStepTimeout == .seconds(3))
        #expect(n01.steps[0].parameters["fcb"] == .bool(true))
    }
}

@Suite("Suite loading: rejections name file, line, column and what was wrong")
struct SuiteLoaderRejectionTests {
    func only(_ name: String) -> LoadDiagnostic? {
        let diagnostics = Fixture.rejection(name)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        return diagnostics.first
    }

    @Test("an unknown step")
    func unknownStep() throws {
        let d = try #require(only("unknown-step"))
        #expect(d.kind == .unknownStep)
        #expect(d.location.file.hasSuffix("suites/unknown-step.yaml"))
        #expect((d.location.line, d.location.column) == (10, 9))
        #expect(d.message.contains("Unknown step 'expect_frmae'"))
        #expect(d.message.contains("expect_frame"), "lists the known steps")
    }

    @Test("an unknown parameter")
    func unknownParameter() throws {
        let d = try #require(Fixture.rejection("unknown-parameter").first { $0.kind == .unknownParameter })
        #expect(d.location.line == 9)
        #expect(d.message.contains("Step 'send' has no parameter 'adress'"))
    }

    @Test("a missing required parameter")
    func missingParameter() throws {
        let d = try #require(only("missing-parameter"))
        #expect(d.kind == .missingParameter)
        #expect(d.location.line == 9)
        #expect(d.message.contains("Step 'switch_baud' needs parameter 'baud'"))
    }

    @Test("a parameter of the wrong type")
    func wrongType() throws {
        let d = try #require(only("wrong-type"))
        #expect(d.kind == .wrongType)
        #expect((d.location.line, d.location.column) == (9, 26))
        #expect(d.message.contains("'duration'") && d.message.contains("'soon'") && d.message.contains("a duration such as 500ms"))
    }

    @Test("an unknown expect field")
    func unknownExpectField() throws {
        let d = try #require(only("unknown-expect-field"))
        #expect(d.kind == .unknownExpectField)
        #expect(d.location.line == 12)
        #expect(d.message.contains("cannot expect field 'header.serial'"))
    }

    @Test("an unknown PICS item")
    func unknownPICS() throws {
        let d = try #require(only("unknown-pics"))
        #expect(d.kind == .unknownPICSItem)
        #expect(d.location.line == 8)
        #expect(d.message.contains("'mbus.teleportation'"))
    }

    @Test("a duplicate case id points at both")
    func duplicateID() throws {
        let d = try #require(only("duplicate-id"))
        #expect(d.kind == .duplicateCaseID)
        #expect(d.location.line == 10)
        #expect(d.message.contains("'MBUS_X_01' is already used at line 5"))
    }

    @Test("a case without id, title or references")
    func missingFields() {
        let diagnostics = Fixture.rejection("missing-fields")
        #expect(diagnostics.allSatisfy { $0.kind == .missingField && $0.location.line == 5 })
        let text = diagnostics.map(\.message).joined(separator: "\n")
        #expect(text.contains("no 'id'"))
        #expect(text.contains("no 'title'"))
        #expect(text.contains("no 'references'"))
    }

    @Test("a disputed case not gated by a PICS item")
    func disputedUngated() throws {
        let d = try #require(only("disputed-ungated"))
        #expect(d.kind == .disputedCaseNotGated)
        #expect(d.location.line == 8)
    }

    @Test("every error of a file is reported, in file order")
    func collectsAll() {
        let diagnostics = Fixture.rejection("many-errors")
        #expect(diagnostics.map(\.kind) == [.unknownPICSItem, .unknownStep, .wrongType, .wrongType])
        #expect(diagnostics.map(\.location.line) == [8, 10, 11, 12])
        #expect(diagnostics[3].message.contains("an integer from 0 to 255"))
    }

    @Test("invalid YAML and an unknown protocol")
    func invalidInput() {
        #expect(throws: SuiteLoadError.self) {
            try SuiteLoader.load(yaml: "id: [unclosed", path: "x.yaml", registry: Fixture.registry)
        }
        do {
            _ = try SuiteLoader.load(yaml: "id: a\ntitle: b\nprotocol: zigbee\ncases: []\n", path: "x.yaml", registry: Fixture.registry)
            Issue.record("accepted an unknown protocol")
        } catch {
            #expect(error.diagnostics.map(\.kind) == [.unknownProtocol])
            #expect(error.diagnostics[0].description.hasPrefix("x.yaml:3:11: Unknown protocol 'zigbee'"))
        }
    }
}

@Suite("Step vocabularies")
struct StepVocabularyTests {
    @Test("a protocol gets the generic steps, and its own step of the same name replaces the generic one")
    func generic() throws {
        let names = Fixture.registry.stepKinds(for: "mbus").map(\.name)
        for name in ["loop", "compare", "wait", "expect_silence", "send", "expect_frame", "select_secondary", "switch_baud"] {
            #expect(names.contains(name))
        }
        #expect(names.filter { $0 == "expect_silence" }.count == 1)
        let silence = try #require(Fixture.registry.stepKind(named: "expect_silence", protocol: "mbus"))
        #expect(silence.parameter(named: "duration")?.isRequired == false, "M-Bus defaults to the answer window")
    }

    @Test("expect fields accept any index")
    func indices() throws {
        let kind = try #require(Fixture.registry.stepKind(named: "expect_frame", protocol: "mbus"))
        #expect(kind.allowsExpectField("records[12].unit"))
        #expect(!kind.allowsExpectField("records[x].unit"))
        #expect(!kind.allowsExpectField("records.unit"))
    }

    @Test("every M-Bus PICS item is prefixed by the protocol")
    func picsPrefix() {
        #expect(MBusVocabulary().picsItems.allSatisfy { $0.name.hasPrefix("mbus.") })
    }
}
