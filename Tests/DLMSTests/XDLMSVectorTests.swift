import CodecSupport
import Testing
@testable import DLMS

/// Independent truth: the xDLMS APDUs among the u9n/dlms-cosem test literals and the ones recorded
/// between the Gurux example client and server decode to what their tests and logs say, and
/// re-encode to the same bytes.
@Suite("xDLMS vectors")
struct XDLMSVectorTests {
    @Test("u9n/dlms-cosem: 110 APDUs decode to the meaning of their test, 51 misdirected inputs do not")
    func u9nVectors() throws {
        let file = try XDLMSFixtures.u9()
        #expect(file.count == 161)
        #expect(file.vectors.count == 161)
        var decodedPositives = 0, negatives = 0
        var kinds: [String: Int] = [:]
        for v in file.vectors {
            let bytes = v.apdu
            #expect(bytes.count == v.apdu_length, "\(v)")
            if let expect = v.expect {
                do {
                    let apdu = try XDLMSAPDU(decoding: bytes)
                    #expect(apdu.encoded() == Array(bytes), "\(v): re-encoding differs")
                    let diff = XDLMSFixtures.mismatches(apdu.json, expect)
                    #expect(diff.isEmpty, "\(v): \(diff)")
                    decodedPositives += 1
                    kinds[apdu.name, default: 0] += 1
                } catch {
                    Issue.record("\(v): \(error)")
                }
            } else {
                negatives += 1
                let result = Result { () throws(DLMSError) in try XDLMSAPDU(decoding: bytes) }
                switch result {
                case let .success(apdu):
                    #expect(apdu.encoded() == Array(bytes), "\(v): re-encoding differs")
                    #expect(v.error == nil, "\(v): decoded as \(apdu.json.serialized()), expected \(v.error ?? "")")
                    if let not = v.not {
                        #expect(!XDLMSFixtures.mismatches(apdu.json, not).isEmpty, "\(v): decoded as the class it must not be")
                    }
                case let .failure(error):
                    if let code = v.error { #expect(error.code.rawValue == code, "\(v): \(error)") }
                }
            }
        }
        #expect(decodedPositives == 110)
        #expect(negatives == 51)
        #expect(kinds["get-request"] == 11)
        #expect(kinds["get-response"] == 29)
        #expect(kinds["set-request"] == 2)
        #expect(kinds["set-response"] == 2)
        #expect(kinds["action-request"] == 4)
        #expect(kinds["action-response"] == 11)
        #expect(kinds["data-notification"] == 3)
        #expect(kinds["initiateRequest"] == 12)
        #expect(kinds["initiateResponse"] == 9)
        #expect(kinds["confirmedServiceError"] == 2)
        #expect(kinds["glo-initiateRequest"] == 5)
        #expect(kinds["glo-initiateResponse"] == 1)
        #expect(kinds["general-glo-ciphering"] == 19)
    }

    @Test("Gurux loopback: 11 GET requests, 11 GET responses, 1 ACTION pair and 13 initiate PDUs")
    func guruxExchanges() throws {
        let file = try XDLMSFixtures.gurux()
        #expect(file.count == 37)
        var kinds: [String: Int] = [:]
        for a in file.apdus {
            do {
                let apdu = try XDLMSAPDU(decoding: a.bytes)
                #expect(apdu.encoded() == a.bytes, "\(a): re-encoding differs")
                let diff = XDLMSFixtures.mismatches(apdu.json, a.expect)
                #expect(diff.isEmpty, "\(a): \(diff)")
                kinds[apdu.name, default: 0] += 1
            } catch {
                Issue.record("\(a): \(error)")
            }
        }
        #expect(kinds == ["get-request": 11, "get-response": 11, "action-request": 1, "action-response": 1,
                          "initiateRequest": 5, "initiateResponse": 8])
    }

    @Test("Gurux wrapper lines through the Wrapper codec give the APDUs the fixture cut by hand")
    func guruxThroughWrapperCodec() throws {
        let file = try XDLMSFixtures.gurux()
        let cut = Set(file.apdus.map(\.apdu))
        // wrapper_none lines 8 and 9 of gurux_loopback_exchanges.txt, copied verbatim.
        #expect(cut.contains("C001C100030100010800FF0200"))
        #expect(cut.contains("C401C100050001E240"))
        let getRequest = try XDLMSAPDU(decoding: try WrapperFrame.decode(
            HexText.parse("00 01 00 10 00 01 00 0D C0 01 C1 00 03 01 00 01 08 00 FF 02 00")).apdu)
        #expect(getRequest == .getRequest(.normal(InvokeIDAndPriority(rawValue: 0xC1), AttributeDescriptorWithSelection(
            CosemAttributeDescriptor(classID: 3, instanceID: OBISCode(1, 0, 1, 8, 0), attributeID: 2)))))
        let response = try XDLMSAPDU(decoding: try WrapperFrame.decode(
            HexText.parse("00 01 00 01 00 10 00 09 C4 01 C1 00 05 00 01 E2 40")).apdu)
        #expect(response == .getResponse(.normal(InvokeIDAndPriority(rawValue: 0xC1), .data(.doubleLong(123_456)))))
    }
}
