import Campaign
import Conformance
import Foundation
@testable import Reports
import Testing

/// Real run folders, not sample reports: the shipped M-Bus suites run against the reference
/// simulator, clean and with a fault, and each folder is checked file by file with the same
/// independent readers as the writer tests (jsonschema, libxml2 + junit-10.xsd, Chromium,
/// sha256sum, tshark).
@Suite("Real run folders (shipped suites against sim:mbus)")
struct RealRunFolderTests {
    static let clean = "sim:mbus"
    static let faulty = "sim:mbus?faults=bad-checksum"
    static let targets = [clean, faulty]

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The files every run folder holds.
    static let runFolderFiles = ["capture.pcapng", "report.json", "report.schema.json", "junit.xml", "report.html", "summary.md",
                                 "manifest.sha256"]

    /// One campaign per target, shared by every test (they run concurrently; the first one starts it).
    actor Runs {
        private var tasks: [String: Task<Campaign.Result, any Error>] = [:]

        func result(_ target: String) async throws -> Campaign.Result {
            if let task = tasks[target] { return try await task.value }
            let task = Task<Campaign.Result, any Error> {
                let root = try makeTemporaryFolder("real-run")
                let options = CampaignOptions(suitePaths: [RealRunFolderTests.repositoryRoot.appendingPathComponent("TestSuites/mbus").path],
                                              device: .target(url: target), reportRoot: root.path)
                let campaign = try Campaign(options: options)
                let folder = try campaign.makeRunFolder()
                return try await campaign.run(folder: folder)
            }
            tasks[target] = task
            return try await task.value
        }
    }

    static let runs = Runs()

    /// The run folder for `target` and its report.json as read back from disk.
    static func folder(_ target: String) async throws -> (url: URL, result: Campaign.Result, report: RunReport) {
        let result = try await runs.result(target)
        let url = URL(fileURLWithPath: result.folder)
        let report = try RunFolderWriter.readReport(runFolder: url)
        return (url, result, report)
    }

    @Test("all seven files are there; report.json is what the campaign returned", arguments: targets)
    func everyFileExists(target: String) async throws {
        let (url, result, report) = try await Self.folder(target)
        for name in Self.runFolderFiles {
            #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path), "\(target): \(name) missing")
        }
        // Dates aside (see timestampsMatchReportJSON), the folder holds what the campaign returned.
        let returned = result.report
        #expect(report.summary == returned.summary)
        #expect(report.suites.flatMap(\.cases).map { "\($0.id) \($0.verdict) \($0.reason ?? "")" }
            == returned.suites.flatMap(\.cases).map { "\($0.id) \($0.verdict) \($0.reason ?? "")" })
        #expect(report.frames.map { "\($0.number) \($0.direction) \($0.hex)" } == returned.frames.map { "\($0.number) \($0.direction) \($0.hex)" })
        #expect(report.exitStatus == Int(result.exitStatus))
        #expect(report.summary == RunReport.Summary(counting: report.suites), "report.json's summary is not its cases' count")
        #expect(report.summary.total >= 25)
    }

    @Test("every timestamp report.html, junit.xml and summary.md show is one report.json holds (to the millisecond)",
          arguments: targets)
    func timestampsMatchReportJSON(target: String) async throws {
        let (url, _, _) = try await Self.folder(target)
        let timestamp = try Regex(#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#)
        func timestamps(_ name: String) throws -> Set<String> {
            let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
            return Set(text.matches(of: timestamp).map { String(text[$0.range]) })
        }
        let source = try timestamps(RunFolderWriter.reportFileName)
        for name in [HTMLWriter.fileName, JUnitWriter.fileName, MarkdownWriter.fileName] {
            let shown = try timestamps(name)
            #expect(!shown.isEmpty || name == MarkdownWriter.fileName, "\(target): \(name) shows no timestamp")
            let unknown = shown.subtracting(source).sorted()
            #expect(unknown.isEmpty, "\(target): \(name) shows \(unknown.count) timestamps report.json does not hold: \(unknown.prefix(5))")
        }
    }

    @Test("the clean run exits 0; the bad-checksum run exits 1 with MBUS_LL_P02 failing on the checksum")
    func verdicts() async throws {
        let clean = try await Self.folder(Self.clean)
        #expect(clean.result.exitStatus == 0)
        #expect(clean.report.summary.fail == 0 && clean.report.summary.error == 0 && clean.report.summary.inconc == 0)

        let faulty = try await Self.folder(Self.faulty)
        #expect(faulty.result.exitStatus == 1)
        #expect(faulty.report.exitStatus == 1)
        let p02 = try #require(faulty.report.suites.flatMap(\.cases).first { $0.id == "MBUS_LL_P02" })
        #expect(p02.verdict == .fail)
        #expect(p02.reason?.localizedCaseInsensitiveContains("checksum") == true, "reason: \(p02.reason ?? "none")")
    }

    @Test("report.json validates against the folder's own report.schema.json (jsonschema, Draft 2020-12)",
          .enabled(if: ExternalTool.jsonschema.shouldRun, ExternalTool.jsonschema.skipComment), arguments: targets)
    func reportValidatesAgainstItsSchema(target: String) async throws {
        guard ExternalTool.jsonschema.available() else { return }
        let (url, _, _) = try await Self.folder(target)
        let schema = try Data(contentsOf: url.appendingPathComponent(ReportSchema.fileName))
        let json = try Data(contentsOf: url.appendingPathComponent(RunFolderWriter.reportFileName))
        let errors = try await ReportSchemaTests.validate([("report", json)], schema: schema)
        #expect(errors["report"] == [], "\(target): \((errors["report"] ?? ["not validated"]).prefix(20).joined(separator: "\n"))")
    }

    @Test("junit.xml validates against junit-10.xsd; its counts equal report.json's summary, per suite too", arguments: targets)
    func junitValidatesAndCounts(target: String) async throws {
        let (url, _, report) = try await Self.folder(target)
        let xml = try String(contentsOf: url.appendingPathComponent(JUnitWriter.fileName), encoding: .utf8)
        let document = try #require(LibXMLDocument(xml), "\(target): junit.xml is not well-formed")
        let problems = document.validate(againstXSD: try JUnitWriterTests.schema("junit-10.xsd"))
        #expect(problems.isEmpty, "\(target): \(problems.joined(separator: "\n"))")

        let s = report.summary
        #expect(document.number("string(/testsuites/@tests)") == s.total)
        #expect(document.number("string(/testsuites/@failures)") == s.fail + s.inconc)
        #expect(document.number("string(/testsuites/@errors)") == s.error)
        #expect(document.number("sum(/testsuites/testsuite/@skipped)") == s.none + s.notApplicable)
        #expect(document.number("count(/testsuites/testsuite)") == report.suites.count)
        #expect(document.number("count(//testcase)") == s.total)
        for suite in report.suites {
            let counts = RunReport.Summary(counting: [suite])
            let path = "/testsuites/testsuite[@name='\(suite.id)']"
            #expect(document.number("string(\(path)/@tests)") == counts.total, "\(target) \(suite.id) tests")
            #expect(document.number("string(\(path)/@failures)") == counts.fail + counts.inconc, "\(target) \(suite.id) failures")
            #expect(document.number("string(\(path)/@errors)") == counts.error, "\(target) \(suite.id) errors")
            #expect(document.number("string(\(path)/@skipped)") == counts.none + counts.notApplicable, "\(target) \(suite.id) skipped")
            #expect(document.number("count(\(path)/testcase)") == suite.cases.count, "\(target) \(suite.id) testcase elements")
        }
    }

    @Test("headless Chromium renders report.html with every case id and the summary counts",
          .enabled(if: ExternalTool.chromium.shouldRun, ExternalTool.chromium.skipComment), arguments: targets)
    func chromiumRendersTheReport(target: String) async throws {
        guard ExternalTool.chromium.available() else { return }
        let (url, _, report) = try await Self.folder(target)
        let scratch = try makeTemporaryFolder("real-run-html")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dom = try await ExternalTool.renderedDOM(of: url.appendingPathComponent(HTMLWriter.fileName),
                                               profile: scratch.appendingPathComponent("chromium-profile"))
        for testCase in report.suites.flatMap(\.cases) {
            #expect(dom.contains(testCase.id), "\(target): \(testCase.id) missing from the rendered page")
        }
        let s = report.summary
        let counts: [(String, Int)] = [
            ("total", s.total), ("pass", s.pass), ("inconc", s.inconc), ("fail", s.fail), ("error", s.error),
            ("notrun", s.none), ("na", s.notApplicable),
        ]
        for (name, count) in counts {
            #expect(dom.contains("id=\"count-\(name)\">\(count)<"), "\(target): count \(name) = \(count) not rendered")
        }
    }

    @Test("sha256sum -c manifest.sha256 passes in the folder and covers every file",
          .enabled(if: ExternalTool.sha256sum.shouldRun, ExternalTool.sha256sum.skipComment), arguments: targets)
    func manifestVerifies(target: String) async throws {
        guard ExternalTool.sha256sum.available() else { return }
        let sha256sum = try #require(ExternalTool.sha256sum.path)
        let (url, _, _) = try await Self.folder(target)
        let result = try await ToolProcess.run(sha256sum, ["-c", "--strict", Manifest.fileName], directory: url, timeout: 60)
        #expect(result.status == 0, "\(target): sha256sum -c: \(result.stdout)\(result.stderr)")
        for name in Self.runFolderFiles where name != Manifest.fileName {
            #expect(result.stdout.contains("\(name): OK"), "\(target): \(name) not in the manifest: \(result.stdout)")
        }
    }

    static let tshark = ExternalTool.find("tshark", candidates: ["tshark"])
    /// Serial traffic is LINKTYPE_USER0; this maps it to the `data` dissector (Captures/README.md).
    static let userDLT = #"uat:user_dlts:"User 0 (DLT=147)","data","0","","0","""#

    @Test("tshark reads capture.pcapng: as many packets as report.json's highest frame number, and the bytes match",
          .enabled(if: RealRunFolderTests.tshark.shouldRun, RealRunFolderTests.tshark.skipComment), arguments: targets)
    func tsharkReadsTheCapture(target: String) async throws {
        guard Self.tshark.available() else { return }
        let tshark = try #require(Self.tshark.path)
        let (url, _, report) = try await Self.folder(target)
        let result = try await ToolProcess.run(tshark, [
            "-n", "-r", url.appendingPathComponent("capture.pcapng").path, "-o", Self.userDLT,
            "-T", "fields", "-E", "separator=/t", "-E", "quote=n", "-e", "frame.number", "-e", "frame.len", "-e", "data.data",
        ], timeout: 120)
        try #require(result.status == 0 && !result.timedOut, "\(target): tshark exited \(result.status): \(result.stderr)")
        #expect(!result.stderr.contains("damaged") && !result.stderr.contains("corrupt") && !result.stderr.contains("isn't a capture file"),
                "\(target): \(result.stderr)")
        var packets: [Int: (length: Int, data: String)] = [:]
        var order: [Int] = []
        for line in result.stdout.split(separator: "\n") {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let number = try #require(Int(columns[0]), "\(target): bad tshark line \(line)")
            packets[number] = (Int(columns.count > 1 ? columns[1] : "") ?? -1, columns.count > 2 ? columns[2] : "")
            order.append(number)
        }
        let highest = try #require(report.frames.map(\.number).max())
        #expect(highest > 0)
        #expect(order.count == highest, "\(target): tshark shows \(order.count) packets, report.json's frames go up to \(highest)")
        #expect(order == Array(1...max(1, order.count)), "\(target): packet numbers are not 1…n")

        let withBytes = report.frames.filter { $0.direction != .event }
        #expect(Set(withBytes.map(\.number)).count == withBytes.count, "\(target): two frames claim one packet")
        // Every packet against its frame, and the first, a middle and the last spelled out.
        for frame in withBytes {
            let expected = frame.hex.replacingOccurrences(of: " ", with: "").lowercased()
            let packet = try #require(packets[frame.number], "\(target): frame \(frame.number) not in the capture")
            #expect(packet.data == expected, "\(target): packet \(frame.number) is \(packet.data), report.json says \(frame.hex)")
            #expect(packet.length == expected.count / 2, "\(target): packet \(frame.number) length")
        }
        try #require(withBytes.count >= 3)
        for frame in [withBytes[0], withBytes[withBytes.count / 2], withBytes[withBytes.count - 1]] {
            #expect(packets[frame.number]?.data == frame.hex.replacingOccurrences(of: " ", with: "").lowercased())
        }
    }

    @Test("every step's frame numbers are frames of report.json", arguments: targets)
    func stepFramesExist(target: String) async throws {
        let (_, _, report) = try await Self.folder(target)
        let numbers = Set(report.frames.map(\.number))
        var referenced = 0
        for testCase in report.suites.flatMap(\.cases) {
            for step in testCase.steps {
                for number in step.frames {
                    referenced += 1
                    #expect(number > 0 && numbers.contains(number), "\(target): \(testCase.id) step \(step.index) names frame \(number)")
                }
            }
        }
        #expect(referenced > 0, "\(target): no step names a frame")
    }
}
