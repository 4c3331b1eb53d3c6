import Foundation
import Reports

/// Writes an analysis run folder like `meterproof run` does: report.json and its schema
/// (report.schema.json), junit.xml, report.html, summary.md, pdus.jsonl and manifest.sha256.
public enum RunFolder {
    /// File names in the folder.
    public static let reportFile = "report.json"
    public static let schemaFile = "report.schema.json"
    public static let pduFile = "pdus.jsonl"
    public static let junitFile = "junit.xml"
    public static let htmlFile = "report.html"
    public static let markdownFile = "summary.md"

    /// Output formats besides report.json, pdus.jsonl and the manifest (always written).
    public enum Format: String, Sendable, CaseIterable {
        case junit, html, markdown
    }

    /// `root/name` (with `-2`, `-3`, … when it exists), created.
    public static func create(root: String, name: String) throws -> String {
        let manager = FileManager.default
        var candidate = name
        var n = 1
        while manager.fileExists(atPath: (root as NSString).appendingPathComponent(candidate)) {
            n += 1
            candidate = "\(name)-\(n)"
        }
        let folder = (root as NSString).appendingPathComponent(candidate)
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The part file of the i-th capture's PDU records (0-based), joined into pdus.jsonl by ``write``.
    public static func pduPart(in folder: String, index: Int) -> String {
        (folder as NSString).appendingPathComponent(".pdus.\(index + 1).part")
    }

    /// Writes the report files into `folder`, joins the PDU part files in argument order (unless
    /// `pdus` is false: `--no-pdus`), then the manifest.
    public static func write(_ report: AnalysisReport, to folder: String, formats: Set<Format>, pdus: Bool = true) throws {
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        if pdus { try joinPDUParts(in: folder, count: report.files.count, into: path(pduFile)) }
        var reportBytes: [UInt8] = []
        JSONBytes.appendPretty(report.json, indent: 2, to: &reportBytes)
        reportBytes.append(0x0A)
        try Data(reportBytes).write(to: URL(fileURLWithPath: path(reportFile)), options: .atomic)
        try write(AnalysisReportSchema.text, to: path(schemaFile))
        if formats.contains(.junit) { try write(JUnitReport.render(report), to: path(junitFile)) }
        if formats.contains(.html) { try write(HTMLReport.render(report), to: path(htmlFile)) }
        if formats.contains(.markdown) { try write(MarkdownSummary.render(report), to: path(markdownFile)) }
        try Manifest.write(in: URL(fileURLWithPath: folder))
    }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func joinPDUParts(in folder: String, count: Int, into target: String) throws {
        let manager = FileManager.default
        if count == 1, manager.fileExists(atPath: pduPart(in: folder, index: 0)) {
            // One capture: its part file is the stream.
            try? manager.removeItem(atPath: target)
            try manager.moveItem(atPath: pduPart(in: folder, index: 0), toPath: target)
            return
        }
        guard manager.createFile(atPath: target, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        defer { try? output.close() }
        for index in 0..<count {
            let part = pduPart(in: folder, index: index)
            guard manager.fileExists(atPath: part) else { continue }
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: part))
            while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try input.close()
            try manager.removeItem(atPath: part)
        }
    }
}
