import ArgumentParser
import Foundation
import Reports

/// `meterproof report RUN_DIR [--format html|junit|md|all]`.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rewrite the report files of a run folder from its report.json.",
        discussion: """
        report.json is the source of truth of a run folder. This command reads it and writes the \
        requested files again: report.html (one self-contained page), junit.xml (for Jenkins and \
        GitLab) or summary.md (for a merge request), then refreshes manifest.sha256 so that \
        `sha256sum -c manifest.sha256` still passes in the folder. report.json, report.schema.json \
        and capture.pcapng are never changed. Use it after upgrading meterproof, or when a file \
        was deleted or edited.

        FORMATS
          html    report.html
          junit   junit.xml
          md      summary.md
          all     all three (the default)

        EXIT STATUS
          0   the files were written
          2   the folder or its report.json is missing, unreadable or invalid (the
              message names the field), or a file could not be written

        EXAMPLES
          meterproof report Reports/20261125-101500-mbus
          meterproof report Reports/20261125-101500-mbus --format junit
          meterproof report /tmp/runs/bench-1 --format md
        """
    )

    /// What to rewrite.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, junit, md, all

        var formats: Set<ReportFormat> {
            switch self {
            case .html: [.html]
            case .junit: [.junit]
            case .md: [.markdown]
            case .all: Set(ReportFormat.allCases)
            }
        }
    }

    @Argument(help: ArgumentHelp("The run folder (the one holding report.json).", valueName: "run-dir"))
    var runDir: String

    @Option(help: "html, junit, md or all.")
    var format: Format = .all

    func run() throws {
        let folder = URL(fileURLWithPath: runDir)
        do {
            try RunFolderWriter.regenerate(runFolder: folder, formats: format.formats)
        } catch {
            throw ToolFailure(error.description)
        }
        let written = ReportFormat.allCases.filter { format.formats.contains($0) }.map(\.fileName) + [Manifest.fileName]
        print("wrote " + written.map { (runDir as NSString).appendingPathComponent($0) }.joined(separator: ", "))
    }
}
