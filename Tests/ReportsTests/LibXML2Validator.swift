import CLibXML2

/// XSD validation and XPath queries through libxml2, with network access disabled.
///
/// This file imports no Foundation: libxml2's headers pull in the system ICU headers, whose
/// `UErrorCode` clashes with Foundation's bundled ICU when one file sees both.
final class LibXMLDocument {
    private let document: xmlDocPtr

    /// Parses `text`; nil when it is not well-formed.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        let options = Int32(XML_PARSE_NONET.rawValue)
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), "junit.xml", "UTF-8", options)
            }
        }) else { return nil }
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    /// The problems libxml2 finds validating against the XSD `schema`; empty when valid.
    func validate(againstXSD schema: [UInt8]) -> [String] {
        let messages = MessageBox()
        let parsed: xmlSchemaPtr? = schema.withUnsafeBytes { raw in
            guard let parser = xmlSchemaNewMemParserCtxt(raw.bindMemory(to: CChar.self).baseAddress, Int32(raw.count)) else { return nil }
            defer { xmlSchemaFreeParserCtxt(parser) }
            return xmlSchemaParse(parser)
        }
        guard let parsed else { return ["the XSD does not parse"] }
        defer { xmlSchemaFree(parsed) }
        guard let context = xmlSchemaNewValidCtxt(parsed) else { return ["cannot create a validation context"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let box = Unmanaged.passRetained(messages)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(context, { userData, error in
            guard let userData, let error else { return }
            let messages = Unmanaged<MessageBox>.fromOpaque(userData).takeUnretainedValue()
            let text = error.pointee.message.map { String(cString: $0) } ?? "?"
            messages.lines.append("line \(error.pointee.line): \(text.split(separator: "\n").joined(separator: " "))")
        }, box.toOpaque())
        let status = xmlSchemaValidateDoc(context, document)
        if status != 0 && messages.lines.isEmpty { messages.lines.append("xmlSchemaValidateDoc returned \(status)") }
        return messages.lines
    }

    /// The XPath 1.0 expression's value as a string (`string(...)`, `count(...)`).
    func string(_ expression: String) -> String? {
        guard let context = xmlXPathNewContext(document) else { return nil }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression(expression, context) else { return nil }
        defer { xmlXPathFreeObject(result) }
        guard let text = xmlXPathCastToString(result) else { return nil }
        defer { meterproof_xmlFree(text) }
        return String(cString: text)
    }

    /// The XPath expression's value as a number.
    func number(_ expression: String) -> Int? {
        string(expression).flatMap { Double($0) }.map { Int($0) }
    }
}

private final class MessageBox {
    var lines: [String] = []
}
