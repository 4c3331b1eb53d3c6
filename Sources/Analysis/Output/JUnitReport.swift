import Reports
/// junit.xml: one test suite per capture file plus one for the rules; a test case per finding
/// rule (failed when a finding of severity error was reported, its findings listed; warnings and
/// infos listed in `system-out` of a passing case), and a case per capture for reading it whole.
enum JUnitReport {
    static func render(_ report: AnalysisReport) -> String {
        let byID = Dictionary(uniqueKeysWithValues: report.findingsByID)
        let failures = report.rules.filter { $0.severity == .error && (byID[$0.id] ?? 0) > 0 }.count
        let errors = report.problems.count
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += "<testsuites name=\"meterproof analyze \(TextEscaping.xmlAttribute(report.runID))\" tests=\"\(report.rules.count + report.files.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        x += "  <testsuite name=\"captures\" tests=\"\(report.files.count)\" failures=\"0\" errors=\"\(errors)\">\n"
        for file in report.files {
            x += "    <testcase classname=\"captures\" name=\"\(TextEscaping.xmlAttribute("read \(file.path)"))\">\n"
            if let problem = file.problem {
                x += "      <error message=\"\(TextEscaping.xmlAttribute(problem.message))\"/>\n"
            }
            x += "      <system-out>\(TextEscaping.xmlAttribute("\(file.packets) packets, \(file.pduCount) PDUs, \(file.conversationCount) conversations"))</system-out>\n"
            x += "    </testcase>\n"
        }
        x += "  </testsuite>\n"
        x += "  <testsuite name=\"findings\" tests=\"\(report.rules.count)\" failures=\"\(failures)\" errors=\"0\">\n"
        let findings = report.findings
        for rule in report.rules {
            let count = byID[rule.id] ?? 0
            let listed = findings.filter { $0.rule.id == rule.id }
            let text = listed.map { f in
                "\(report.files[f.fileIndex - 1].path) frames \(f.frames.map(String.init).joined(separator: ",")): \(f.message)"
            }.joined(separator: "\n")
            x += "    <testcase classname=\"\(TextEscaping.xmlAttribute(rule.id.split(separator: ".").first.map(String.init) ?? rule.id))\" name=\"\(TextEscaping.xmlAttribute(rule.id))\">\n"
            x += "      <properties><property name=\"severity\" value=\"\(rule.severity.rawValue)\"/><property name=\"source\" value=\"\(TextEscaping.xmlAttribute(rule.source))\"/><property name=\"count\" value=\"\(count)\"/></properties>\n"
            if count > 0, rule.severity == .error {
                x += "      <failure message=\"\(TextEscaping.xmlAttribute("\(count) finding(s): \(rule.title)"))\">\(TextEscaping.xmlAttribute(text))</failure>\n"
            } else if count > 0 {
                x += "      <system-out>\(TextEscaping.xmlAttribute("\(count) \(rule.severity.rawValue) finding(s)\n" + text))</system-out>\n"
            }
            x += "    </testcase>\n"
        }
        x += "  </testsuite>\n</testsuites>\n"
        return x
    }
}
