// Test-side access to the libmbus corpus in Fixtures/libmbus (see its README.md for the
// attribution and the BSD-3-Clause notice).
//
// Depends only on Foundation (and FoundationXML on Linux) and CodecSupport.HexText, so that the
// corpus can be loaded whatever state the MeterBus module is in.

import CodecSupport
import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What libmbus wrote for one frame: its `.xml` (raw) or `.norm.xml` (normalised) decoding.
struct LibmbusExpectation: Sendable, Equatable {
    /// One `<DataRecord id="N">` element.
    struct Record: Sendable, Equatable {
        var id: Int
        var function: String?
        var storageNumber: Int?
        var tariff: Int?
        var device: Int?
        var unit: String?
        /// Only in `.norm.xml`.
        var quantity: String?
        var value: String?
    }

    /// The children of `<SlaveInformation>` by element name: Id, Manufacturer, Version,
    /// ProductName, Medium, AccessNumber, Status, Signature, or Error for the error frames.
    var slave: [String: String]
    var records: [Record]

    /// libmbus's error text, for the error frames that have one.
    var error: String? { slave["Error"] }
}

/// The three folders of the corpus.
enum LibmbusFolder: String, CaseIterable, Sendable {
    /// 76 long frames with `.xml` and `.norm.xml`.
    case testFrames = "test-frames"
    /// 20 frames libmbus rejects; 10 with an `.xml` giving the error text.
    case errorFrames = "error-frames"
    /// 7 frames libmbus cannot decode, no expected output.
    case unsupportedFrames = "unsupported-frames"
}

/// One frame of the corpus: its `.hex` file and whichever expectation files sit beside it.
struct LibmbusFrame: Sendable, CustomStringConvertible {
    /// The file name without `.hex`, e.g. `ACW_Itron-BM-plus-m`.
    var name: String
    var folder: LibmbusFolder
    var hexURL: URL
    /// `NAME.xml`, if present.
    var xmlURL: URL?
    /// `NAME.norm.xml`, if present.
    var normalizedXMLURL: URL?

    var description: String { "\(folder.rawValue)/\(name)" }

    /// The text of the `.hex` file, as it is.
    func hexText() throws -> String {
        let data = try Data(contentsOf: hexURL)
        guard let text = String(data: data, encoding: .utf8) else {
            throw LibmbusCorpusError.notText(hexURL.lastPathComponent)
        }
        return text
    }

    /// The frame's bytes, parsed strictly with `HexText.parse` (lines may wrap or end in CRLF).
    func bytes() throws -> [UInt8] {
        try HexText.parse(hexText())
    }

    /// libmbus's raw decoding (`NAME.xml`), or nil when the corpus has none.
    func expectation() throws -> LibmbusExpectation? {
        guard let url = xmlURL else { return nil }
        return try LibmbusCorpus.parseExpectation(contentsOf: url)
    }

    /// libmbus's normalised decoding (`NAME.norm.xml`), or nil when the corpus has none.
    func normalizedExpectation() throws -> LibmbusExpectation? {
        guard let url = normalizedXMLURL else { return nil }
        return try LibmbusCorpus.parseExpectation(contentsOf: url)
    }
}

enum LibmbusCorpusError: Error, CustomStringConvertible {
    case fixturesNotFound
    case notText(String)
    case xml(file: String, line: Int, message: String)
    case badInteger(file: String, element: String, text: String)

    var description: String {
        switch self {
        case .fixturesNotFound: "Fixtures/libmbus not found in the MeterBusTests resource bundle"
        case .notText(let f): "\(f) is not text"
        case .xml(let f, let line, let m): "\(f):\(line): XML error: \(m)"
        case .badInteger(let f, let e, let t): "\(f): <\(e)> is not an integer: '\(t)'"
        }
    }
}

enum LibmbusCorpus {
    /// The `Fixtures/libmbus` folder inside the test bundle's resources.
    static func root() throws -> URL {
        let candidates = [
            Bundle.module.url(forResource: "Fixtures", withExtension: nil),
            Bundle.module.resourceURL?.appendingPathComponent("Fixtures"),
        ]
        for case let fixtures? in candidates {
            let url = fixtures.appendingPathComponent("libmbus", isDirectory: true)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url
            }
        }
        throw LibmbusCorpusError.fixturesNotFound
    }

    /// The frames of one folder, sorted by name.
    static func frames(in folder: LibmbusFolder) throws -> [LibmbusFrame] {
        let directory = try root().appendingPathComponent(folder.rawValue, isDirectory: true)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        return names.filter { $0.hasSuffix(".hex") }.sorted().map { file in
            let name = String(file.dropLast(".hex".count))
            let xml = name + ".xml"
            let norm = name + ".norm.xml"
            return LibmbusFrame(
                name: name,
                folder: folder,
                hexURL: directory.appendingPathComponent(file),
                xmlURL: names.contains(xml) ? directory.appendingPathComponent(xml) : nil,
                normalizedXMLURL: names.contains(norm) ? directory.appendingPathComponent(norm) : nil
            )
        }
    }

    /// Every frame of the corpus, folder by folder.
    static func allFrames() throws -> [LibmbusFrame] {
        try LibmbusFolder.allCases.flatMap { try frames(in: $0) }
    }

    static func parseExpectation(contentsOf url: URL) throws -> LibmbusExpectation {
        try parseExpectation(Data(contentsOf: url), fileName: url.lastPathComponent)
    }

    /// Parses libmbus's XML.
    ///
    /// Encoding: every file declares `encoding="ISO-8859-1"`, but libmbus writes its unit texts
    /// from UTF-8 C literals, so the non-ASCII bytes in the corpus are UTF-8 (`°C` is C2 B0, the
    /// `´` in "DIFE´s" is C2 B4). Honouring the declaration would give "Â°C". So the bytes are
    /// read as UTF-8 when they are valid UTF-8 (all 162 files are), as Latin-1 otherwise, and
    /// handed to XMLParser as UTF-8 with the declaration rewritten to say so.
    static func parseExpectation(_ data: Data, fileName: String = "<data>") throws -> LibmbusExpectation {
        let text = String(data: data, encoding: .utf8)
            ?? String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))  // Latin-1
        let redeclared = text.replacingOccurrences(
            of: #"encoding\s*=\s*["'][^"']*["']"#,
            with: #"encoding="UTF-8""#,
            options: [.regularExpression],
            range: text.range(of: "?>").map { text.startIndex..<$0.upperBound }
        )
        let parser = XMLParser(data: Data(redeclared.utf8))
        let delegate = LibmbusXMLDelegate(fileName: fileName)
        parser.delegate = delegate
        let ok = parser.parse()
        if let failure = delegate.failure { throw failure }
        guard ok else {
            throw LibmbusCorpusError.xml(
                file: fileName, line: parser.lineNumber,
                message: parser.parserError.map { String(describing: $0) } ?? "unknown error")
        }
        return LibmbusExpectation(slave: delegate.slave, records: delegate.records)
    }
}

/// SAX delegate for libmbus's `<MBusData>` documents. Leaf texts are kept exactly (not trimmed);
/// an empty element (`<Unit></Unit>`) gives "".
private final class LibmbusXMLDelegate: NSObject, XMLParserDelegate {
    let fileName: String
    var slave: [String: String] = [:]
    var records: [LibmbusExpectation.Record] = []
    var failure: LibmbusCorpusError?

    private var path: [String] = []
    private var text = ""
    private var record: LibmbusExpectation.Record?

    init(fileName: String) { self.fileName = fileName }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        path.append(elementName)
        text = ""
        if elementName == "DataRecord" {
            let idText = attributeDict["id"] ?? ""
            guard let id = Int(idText) else {
                fail(.badInteger(file: fileName, element: "DataRecord id", text: idText), parser)
                return
            }
            record = LibmbusExpectation.Record(id: id)
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        defer {
            path.removeLast()
            text = ""
        }
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        switch (parent, elementName) {
        case ("SlaveInformation", _):
            slave[elementName] = text
        case (_, "DataRecord"):
            if let r = record { records.append(r) }
            record = nil
        case ("DataRecord", "Function"): record?.function = text
        case ("DataRecord", "StorageNumber"): record?.storageNumber = integer(elementName, parser)
        case ("DataRecord", "Tariff"): record?.tariff = integer(elementName, parser)
        case ("DataRecord", "Device"): record?.device = integer(elementName, parser)
        case ("DataRecord", "Unit"): record?.unit = text
        case ("DataRecord", "Quantity"): record?.quantity = text
        case ("DataRecord", "Value"): record?.value = text
        default: break
        }
    }

    private func integer(_ element: String, _ parser: XMLParser) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let n = Int(trimmed) else {
            fail(.badInteger(file: fileName, element: element, text: text), parser)
            return nil
        }
        return n
    }

    private func fail(_ error: LibmbusCorpusError, _ parser: XMLParser) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }
}

extension LibmbusExpectation.Record {
    init(id: Int) {
        self.init(
            id: id, function: nil, storageNumber: nil, tariff: nil, device: nil, unit: nil,
            quantity: nil, value: nil)
    }
}
