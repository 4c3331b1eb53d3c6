import CLibPcap
import CLibXML2
import Testing

// The CLibPcap and CLibXML2 shims are `.systemLibrary` targets found through pkg-config.
// These tests fail to build (not just fail) when libpcap-dev or libxml2-dev is missing.
@Suite("SystemLibraries")
struct SystemLibraryTests {
    @Test func libpcapLinks() throws {
        let version = try #require(pcap_lib_version())
        let text = String(cString: version)
        #expect(text.contains("libpcap version"), "\(text)")
    }

    @Test func libpcapOpensADeadHandle() throws {
        // No capture device or file needed: a "dead" handle for Ethernet, 65535-byte snaplen.
        let handle = try #require(pcap_open_dead(DLT_EN10MB, 65535))
        defer { pcap_close(handle) }
        #expect(pcap_datalink(handle) == DLT_EN10MB)
        #expect(pcap_snapshot(handle) == 65535)
    }

    @Test func libxml2VersionMatchesHeaders() {
        // Aborts the process if the runtime library is older than the headers we compiled with.
        xmlCheckVersion(LIBXML_VERSION)
        // xmlParserVersion is a macro over __xmlParserVersion(), which Swift cannot import.
        let runtime = String(cString: __xmlParserVersion().pointee!)
        #expect(Int(runtime) ?? 0 >= 20900, "libxml2 \(runtime)")
    }

    @Test func libxml2ParsesATinyDocument() throws {
        let xml = #"<?xml version="1.0" encoding="UTF-8"?><MBusData><DataRecord id="7"><Unit>°C</Unit></DataRecord></MBusData>"#
        let options = Int32(XML_PARSE_NONET.rawValue)  // never fetch anything over the network
        let doc = try #require(xml.withCString { buffer in
            xmlReadMemory(buffer, Int32(xml.utf8.count), "tiny.xml", nil, options)
        })
        defer { xmlFreeDoc(doc) }
        let root = try #require(xmlDocGetRootElement(doc))
        #expect(String(cString: root.pointee.name) == "MBusData")
        let record = try #require(root.pointee.children)
        let idProperty: UnsafeMutablePointer<xmlChar>? = xmlGetProp(record, "id")
        let id = try #require(idProperty)
        defer { meterproof_xmlFree(id) }
        #expect(String(cString: id) == "7")
        let contentText: UnsafeMutablePointer<xmlChar>? = xmlNodeGetContent(record)
        let content = try #require(contentText)
        defer { meterproof_xmlFree(content) }
        #expect(String(cString: content) == "°C")
    }

    @Test func libxml2RejectsMalformedXML() {
        let bad = "<a><b></a>"
        let doc = bad.withCString { buffer in
            xmlReadMemory(buffer, Int32(bad.utf8.count), "bad.xml", nil,
                          Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue))
        }
        #expect(doc == nil)
        if let doc { xmlFreeDoc(doc) }
    }
}
