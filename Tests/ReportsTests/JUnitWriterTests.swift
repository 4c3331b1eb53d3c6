import Conformance
import Foundation
@testable import Reports
import Testing

/// `junit.xml` validates against the Jenkins xunit plugin's `junit-10.xsd` (both stored versions,
/// Fixtures/junit/README.md) and carries the counts, verdict types and reasons of report.json.
@Suite("junit.xml")
struct JUnitWriterTests {
    static let schemas = ["junit-10.xsd", "junit-10-0c37522.xsd"]

    static func schema(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/junit/\(name)", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    static func parse(_ report: RunReport) throws -> LibXMLDocument {
        try #require(LibXMLDocument(JUnitWriter(hostname: "bench-1").render(report)), "junit.xml is not well-formed")
    }

    @Test("validates against junit-10.xsd", arguments: schemas)
    func validatesAgainstTheXSD(schemaName: String) throws {
        let schema = try Self.schema(schemaName)
        for report in [SampleReport.make(), SampleReport.make(interrupted: false, harnessError: "device <gone> & \u{01}")] {
            let problems = try Self.parse(report).validate(againstXSD: schema)
            #expect(problems.isEmpty, "\(schemaName): \(problems.joined(separator: "\n"))")
        }
    }

    @Test("the XSD check can fail: an attribute the schema does not know is reported", arguments: schemas)
    func theXSDCheckCanFail(schemaName: String) throws {
        let xml = JUnitWriter().render(SampleReport.make()).replacingOccurrences(of: "<testsuites ", with: "<testsuites colour=\"red\" ")
        let document = try #require(LibXMLDocument(xml))
        #expect(!document.validate(againstXSD: try Self.schema(schemaName)).isEmpty)
    }

    @Test("totals and per-suite counts equal report.json's summary")
    func countsEqualTheSummary() throws {
        let report = SampleReport.make()
        let document = try Self.parse(report)
        let summary = report.summary
        #expect(document.number("string(/testsuites/@tests)") == summary.total)
        #expect(document.number("string(/testsuites/@failures)") == summary.fail + summary.inconc)
        #expect(document.number("string(/testsuites/@errors)") == summary.error)
        #expect(document.number("sum(/testsuites/testsuite/@skipped)") == summary.none + summary.notApplicable)
        #expect(document.number("sum(/testsuites/testsuite/@tests)") == summary.total)
        #expect(document.number("count(//testcase)") == summary.total)
        #expect(document.number("count(//testcase[failure])") == summary.fail + summary.inconc)
        #expect(document.number("count(//testcase[error])") == summary.error)
        #expect(document.number("count(//testcase[skipped])") == summary.none + summary.notApplicable)
        for suite in report.suites {
            let counts = JUnitWriter.Counts(summary: RunReport.Summary(counting: [suite]))
            let path = "/testsuites/testsuite[@name='\(suite.id)']"
            #expect(document.number("string(\(path)/@tests)") == counts.tests)
            #expect(document.number("string(\(path)/@failures)") == counts.failures)
            #expect(document.number("string(\(path)/@errors)") == counts.errors)
            #expect(document.number("string(\(path)/@skipped)") == counts.skipped)
        }
        #expect(document.string("string(/testsuites/@time)") == "6.500")
    }

    @Test("each verdict maps to its element; reasons survive escaping exactly")
    func verdictsMapToElements() throws {
        let report = SampleReport.make()
        let document = try Self.parse(report)
        for (index, testCase) in SampleReport.cases(of: report).enumerated() {
            let node = "(//testcase)[\(index + 1)]"
            #expect(document.string("string(\(node)/@name)") == "\(testCase.id): \(Self.xmlSafe(testCase.title))")
            let expectedReason = Self.xmlSafe(testCase.displayReason)
            switch testCase.outcome {
            case .pass:
                #expect(document.number("count(\(node)/*[self::failure or self::error or self::skipped])") == 0)
            case .fail:
                #expect(document.string("string(\(node)/failure/@type)") == "fail")
                #expect(document.string("string(\(node)/failure/@message)") == expectedReason)
            case .inconc:
                #expect(document.string("string(\(node)/failure/@type)") == "inconc", "inconc is a failure of type inconc")
                #expect(document.string("string(\(node)/failure/@message)") == expectedReason)
            case .error:
                #expect(document.number("count(\(node)/error)") == 1)
                #expect(document.string("string(\(node)/error/@message)") == expectedReason)
            case .notApplicable, .notRun:
                #expect(document.string("string(\(node)/skipped/@message)") == expectedReason, "\(testCase.id)")
            }
        }
        // A case not reached without a recorded reason still says why.
        #expect(document.string("string(//testcase[starts-with(@name, 'MBUS_AL_P05')]/skipped/@message)") == "not run: interrupted")
        #expect(document.string("string(//testcase[starts-with(@name, 'MBUS_LL_P09')]/skipped/@message)")?
            .hasPrefix("requires mbus.secondary_addressing") == true)
    }

    @Test("classname is the suite id, time in seconds, system-out has the step log with frames")
    func caseAttributesAndStepLog() throws {
        let document = try Self.parse(SampleReport.make())
        let first = "//testcase[starts-with(@name, 'MBUS_LL_P01')]"
        #expect(document.string("string(\(first)/@classname)") == "mbus-link-layer")
        #expect(document.string("string(\(first)/@time)") == "0.250")
        let out = try #require(document.string("string(\(first)/system-out)"))
        #expect(out.contains("step 1 send_frame (line 10): pass"))
        #expect(out.contains("frame #1 +250 ms to_device: 10 40 05 45 16"))
        #expect(out.contains("frame #1 +125 ms event (connection opened: sim:mbus (2400 8E1))"))
        #expect(out.contains("| received E5 after 125 ms"))
        let failing = try #require(document.string("string(//testcase[starts-with(@name, 'MBUS_LL_N02')]/system-out)"))
        #expect(failing.contains("reason: answered within 330 bit times"))
        #expect(failing.contains("does not decode: checksum 0x80 at offset 7"))
    }

    @Test("properties carry device identity, transport, PICS as true/false and the redacted PIXIT")
    func properties() throws {
        let document = try Self.parse(SampleReport.make())
        func property(_ name: String) -> String? {
            document.string("string((//testsuite)[1]/properties/property[@name='\(name)']/@value)")
        }
        #expect(property("device.transport") == "serial:///dev/ttyUSB0?baud=2400&parity=even")
        #expect(property("device.identity.manufacturer") == "ABC")
        #expect(property("pics.mbus.checksum") == "true")
        #expect(property("pics.mbus.secondary_addressing") == "false")
        #expect(property("pixit.password") == "***")
        #expect(property("tool.version") == "0.2.0")
        #expect(document.string("string((//testsuite)[1]/@hostname)") == "bench-1")
    }

    @Test("XML 1.0 forbidden characters are replaced, markup is escaped")
    func escaping() {
        #expect(TextEscaping.xmlAttribute("a<b>&\"'\n\u{01}\u{FFFE}") == "a&lt;b&gt;&amp;&quot;&apos;&#10;\\x01\\uFFFE")
        #expect(TextEscaping.xmlText("x\u{1B}y\r\n°C") == "x\\x1By&#13;\n°C")
        let xml = JUnitWriter().render(SampleReport.make())
        #expect(!xml.unicodeScalars.contains { !TextEscaping.isAllowedInXML($0) })
        #expect(!xml.contains("<script>"))
    }

    /// What a text reads as after the writer replaced forbidden characters.
    static func xmlSafe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if TextEscaping.isAllowedInXML(scalar) { out.unicodeScalars.append(scalar) } else { out += TextEscaping.placeholder(for: scalar) }
        }
        return out
    }
}
