import Campaign
import Conformance
import Foundation

/// Paths and helpers shared by the campaign tests.
enum CampaignSupport {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var mbusSuites: String { repositoryRoot.appendingPathComponent("TestSuites/mbus").path }

    /// A fresh folder for run folders.
    static func temporaryFolder(_ name: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("meterproof-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Runs `suites` against `device` and returns the result.
    static func run(
        _ suites: [String] = [mbusSuites], device: CampaignOptions.Device, cases: [String] = [], name: String = "run",
        interruption: Interruption = Interruption(), progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async throws -> Campaign.Result {
        let options = CampaignOptions(suitePaths: suites, device: device, reportRoot: try temporaryFolder(name), caseGlobs: cases)
        let campaign = try Campaign(options: options)
        let folder = try campaign.makeRunFolder()
        return try await campaign.run(folder: folder, interruption: interruption, progress: progress)
    }

    /// Every case result by id.
    static func cases(_ report: RunReport) -> [String: RunReport.CaseResult] {
        Dictionary(report.suites.flatMap(\.cases).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The files a run folder must hold.
    static let runFolderFiles = ["capture.pcapng", "report.json", "report.schema.json", "junit.xml", "report.html", "summary.md", "manifest.sha256"]

    /// Names of the files missing from `folder`.
    static func missingFiles(in folder: String) -> [String] {
        runFolderFiles.filter { !FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
    }

    /// A one-line description of the non-passing cases, for failure messages.
    static func describeFailures(_ report: RunReport) -> String {
        report.suites.flatMap(\.cases).filter { !$0.notApplicable && $0.verdict != .pass }
            .map { "\($0.id) \($0.verdict): \($0.reason ?? "")" }.joined(separator: "\n")
    }
}
