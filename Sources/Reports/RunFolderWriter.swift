import Conformance
import Foundation

/// A report file `meterproof report` can regenerate from `report.json`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// `report.html`.
    case html
    /// `junit.xml`.
    case junit
    /// `summary.md`.
    case markdown = "md"

    /// The file it is written to.
    public var fileName: String {
        switch self {
        case .html: HTMLWriter.fileName
        case .junit: JUnitWriter.fileName
        case .markdown: MarkdownWriter.fileName
        }
    }

    /// The file's text for a report.
    public func render(_ report: RunReport) -> String {
        switch self {
        case .html: HTMLWriter().render(report)
        case .junit: JUnitWriter().render(report)
        case .markdown: MarkdownWriter().render(report)
        }
    }
}

/// Writes the report files of a run folder: `report.json`, `report.schema.json`, `junit.xml`,
/// `report.html`, `summary.md`, and `manifest.sha256` last, over every file there (the capture too).
public enum RunFolderWriter {
    /// `report.json`, the source of truth.
    public static let reportFileName = "report.json"

    /// Writes every report file for `report` into `folder` (which must exist), then the manifest.
    ///
    /// The other files are rendered from `report.json`'s bytes as written, so they show exactly
    /// what the source of truth says. `capture` names the capture file the runner already wrote
    /// there (e.g. `capture.pcapng`); when given, its absence is an error rather than a manifest
    /// without it. Returns the manifest entries.
    @discardableResult
    public static func write(_ report: RunReport, to folder: URL, capture: String? = nil) throws(ReportsError) -> [Manifest.Entry] {
        try requireFolder(folder)
        if let capture, !FileManager.default.fileExists(atPath: folder.appendingPathComponent(capture).path) {
            throw ReportsError("the capture \(folder.appendingPathComponent(capture).path) is missing")
        }
        let json: Data
        let written: RunReport
        do {
            json = try report.encodedJSON()
            written = try RunReport.decode(json: json)
        } catch {
            throw ReportsError("cannot encode the report: \(error)")
        }
        try write(json, to: folder.appendingPathComponent(reportFileName))
        try write(try ReportSchema.data(), to: folder.appendingPathComponent(ReportSchema.fileName))
        for format in [ReportFormat.junit, .html, .markdown] {
            try write(Data(format.render(written).utf8), to: folder.appendingPathComponent(format.fileName))
        }
        return try Manifest.write(in: folder)
    }

    /// Writes every report file into the folder at `path`.
    @discardableResult
    public static func write(_ report: RunReport, toPath path: String, capture: String? = nil) throws(ReportsError) -> [Manifest.Entry] {
        try write(report, to: URL(fileURLWithPath: path), capture: capture)
    }

    /// Reads `report.json` of `runFolder`, rewrites the files of `formats` from it and refreshes
    /// the manifest. `report.json` itself is never rewritten. Returns the report read.
    @discardableResult
    public static func regenerate(runFolder: URL, formats: Set<ReportFormat> = Set(ReportFormat.allCases)) throws(ReportsError) -> RunReport {
        let report = try readReport(runFolder: runFolder)
        for format in ReportFormat.allCases where formats.contains(format) {
            try write(Data(format.render(report).utf8), to: runFolder.appendingPathComponent(format.fileName))
        }
        try Manifest.write(in: runFolder)
        return report
    }

    /// Reads and decodes `report.json` of `runFolder`, with an error that says which part failed.
    public static func readReport(runFolder: URL) throws(ReportsError) -> RunReport {
        try requireFolder(runFolder)
        let url = runFolder.appendingPathComponent(reportFileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ReportsError("\(url.path) does not exist: is \(runFolder.path) a run folder?")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportsError("cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            return try RunReport.decode(json: data)
        } catch let error as DecodingError {
            throw ReportsError("\(url.path) is not a valid report: \(describe(error))")
        } catch {
            throw ReportsError("\(url.path) is not a valid report: \(error.localizedDescription)")
        }
    }

    private static func requireFolder(_ folder: URL) throws(ReportsError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else {
            throw ReportsError("run folder \(folder.path) does not exist")
        }
        guard isDirectory.boolValue else { throw ReportsError("\(folder.path) is not a folder") }
    }

    private static func write(_ data: Data, to url: URL) throws(ReportsError) {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ReportsError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// `DecodingError` in one line: what and where (`suites[0].cases[2].verdict`).
    static func describe(_ error: DecodingError) -> String {
        /// The key as report.json spells it (the decoder reports camelCase).
        func snakeCase(_ key: String) -> String {
            key.reduce(into: "") { out, character in
                if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
            }
        }
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                let name = snakeCase(key.stringValue)
                return text.isEmpty ? name : text + "." + name
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case let .keyNotFound(key, context):
            return "missing field \(path(context.codingPath + [key]))"
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)) is not \(type): \(context.debugDescription)"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)) is null, expected \(type)"
        case let .dataCorrupted(context):
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "\(path(context.codingPath)): \(underlying ?? context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
