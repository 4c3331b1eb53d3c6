import CodecSupport
import DLMS
import Testing

@Suite("HDLC frame JSON (stable field names)")
struct HDLCJSONTests {
    @Test("UA with parameters")
    func ua() throws {
        let json = try HDLCFrame.parse(try HexText.parse(HDLCFactSheet.uaWithParameters)).json
        #expect(json.serialized() == #"{"type":"UA","control":"73","destination":{"size":1,"upper":16,"lower":null,"hex":"21"},"source":{"size":2,"upper":1,"lower":17,"hex":"02 23"},"segmented":false,"frame_length":31,"n_s":null,"n_r":null,"poll_final":true,"hcs":"E6 C7","hcs_ok":true,"fcs":"CC A2","fcs_ok":true,"llc":null,"info":"81 80 12 05 01 9A 06 01 9A 07 04 00 00 00 01 08 04 00 00 00 01","parameters":{"max_info_field_length_tx":154,"max_info_field_length_rx":154,"window_size_tx":1,"window_size_rx":1,"defaulted":[]},"frmr":null}"#)
    }

    @Test("I frame: n_s, n_r, llc; SNRM without information: defaults, no HCS")
    func iAndSnrm() throws {
        let i = try HDLCFrame.parse(try HexText.parse(HDLCFactSheet.iFrameAARQ)).json
        #expect(i["type"] == .string("I") && i["n_s"] == .int(0) && i["n_r"] == .int(0) && i["llc"] == .string("command"))
        #expect(i["hcs_ok"] == .bool(true) && i["parameters"] == .null)
        let snrm = try HDLCFrame.parse(try HexText.parse(HDLCFactSheet.snrm)).json
        #expect(snrm["hcs"] == .null && snrm["hcs_ok"] == .null && snrm["info"] == .string(""))
        #expect(snrm["parameters"]?["max_info_field_length_rx"] == .int(128))
        #expect(snrm["parameters"]?["defaulted"] == .array([.string("max_info_field_length_tx"), .string("max_info_field_length_rx"),
                                                            .string("window_size_tx"), .string("window_size_rx")]))
    }

    @Test("bad FCS shows fcs_ok false")
    func badFCS() throws {
        var bytes = try HexText.parse(HDLCFactSheet.uaWithoutInformation)
        bytes[6] ^= 0x10
        #expect(try HDLCFrame.parse(bytes).json["fcs_ok"] == .bool(false))
    }
}
