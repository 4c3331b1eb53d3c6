import CodecSupport
import Testing
@testable import DLMS

/// The fact sheet's worked APDUs and the variants no vector carries, written as specifications:
/// bytes, what they mean, and the same bytes back.
@Suite("xDLMS APDUs")
struct XDLMSAPDUTests {
    struct Example: CustomStringConvertible, Sendable {
        let hex: String
        let apdu: XDLMSAPDU
        var bytes: [UInt8] { (try? HexText.parse(hex)) ?? [] }
        var description: String { hex }
    }

    static let high = InvokeIDAndPriority(rawValue: 0xC1)
    static let clock = CosemAttributeDescriptor(classID: 8, instanceID: .clock, attributeID: 2)
    static let association = CosemMethodDescriptor(classID: 15, instanceID: .currentAssociation, methodID: 1)

    /// Layouts from fact sheet §5.4–5.10 (JD/WS ASN.1, GX, U9).
    static let examples: [Example] = [
        // §5.12 U9 worked examples.
        Example(hex: "C0 01 C1 00 01 00 00 2B 01 00 FF 02 00", apdu: .getRequest(.normal(high, .init(
            CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 43, 1, 0), attributeID: 2))))),
        Example(hex: "C0 02 C1 00 00 00 01", apdu: .getRequest(.next(high, blockNumber: 1))),
        Example(hex: "C4 01 C1 00 06 00 00 13 91", apdu: .getResponse(.normal(high, .data(.doubleLongUnsigned(5009))))),
        Example(hex: "C4 01 C1 01 01", apdu: .getResponse(.normal(high, .dataAccessResult(.hardwareFault)))),
        Example(hex: "C5 01 C1 00", apdu: .setResponse(.normal(high, .success))),
        Example(hex: "C7 01 C0 00 00", apdu: .actionResponse(.normal(InvokeIDAndPriority(rawValue: 0xC0), .init(result: .success)))),
        // GET-Response-With-List with one error item.
        Example(hex: "C4 03 C1 02 00 11 05 01 04", apdu: .getResponse(.withList(high, [.data(.unsigned(5)), .dataAccessResult(.objectUndefined)]))),
        // SET variants (§5.8).
        Example(hex: "C1 02 C1 00 08 00 00 01 00 00 FF 02 00 00 00 00 00 01 03 09 0C 07",
                apdu: .setRequest(.withFirstDatablock(high, .init(clock), DataBlockSA(lastBlock: false, blockNumber: 1, rawData: [0x09, 0x0C, 0x07])))),
        Example(hex: "C1 03 C1 01 00 00 00 02 02 E5 01",
                apdu: .setRequest(.withDatablock(high, DataBlockSA(lastBlock: true, blockNumber: 2, rawData: [0xE5, 0x01])))),
        Example(hex: "C1 04 C1 02 00 08 00 00 01 00 00 FF 02 00 00 01 00 00 2A 00 00 FF 02 01 02 02 04 06 00 00 00 01 06 00 00 00 0A 12 00 01 12 00 00 02 11 01 11 02",
                apdu: .setRequest(.withList(high, [
                    .init(clock),
                    .init(CosemAttributeDescriptor(classID: 1, instanceID: .logicalDeviceName, attributeID: 2),
                          accessSelection: SelectiveAccessDescriptor(accessSelector: 2, accessParameters: .structure([
                              .doubleLongUnsigned(1), .doubleLongUnsigned(10), .longUnsigned(1), .longUnsigned(0)]))),
                ], values: [.unsigned(1), .unsigned(2)]))),
        Example(hex: "C1 05 C1 01 00 08 00 00 01 00 00 FF 02 00 00 00 00 00 01 01 00",
                apdu: .setRequest(.withListAndFirstDatablock(high, [.init(clock)], DataBlockSA(lastBlock: false, blockNumber: 1, rawData: [0x00])))),
        Example(hex: "C5 02 C1 00 00 00 01", apdu: .setResponse(.datablock(high, blockNumber: 1))),
        Example(hex: "C5 03 C1 03 00 00 00 02", apdu: .setResponse(.lastDatablock(high, .readWriteDenied, blockNumber: 2))),
        Example(hex: "C5 04 C1 02 00 0B 00 00 00 03", apdu: .setResponse(.lastDatablockWithList(high, [.success, .objectUnavailable], blockNumber: 3))),
        Example(hex: "C5 05 C1 02 00 FA", apdu: .setResponse(.withList(high, [.success, .otherReason]))),
        // ACTION variants (§5.8).
        Example(hex: "C3 02 C1 00 00 00 04", apdu: .actionRequest(.nextPblock(high, blockNumber: 4))),
        Example(hex: "C3 03 C1 02 00 0F 00 00 28 00 00 FF 01 00 08 00 00 01 00 00 FF 06 02 00 0F 00",
                apdu: .actionRequest(.withList(high, [association, CosemMethodDescriptor(classID: 8, instanceID: .clock, methodID: 6)],
                                               parameters: [.nullData, .integer(0)]))),
        Example(hex: "C3 04 C1 00 0F 00 00 28 00 00 FF 01 00 00 00 00 01 02 09 11",
                apdu: .actionRequest(.withFirstPblock(high, association, DataBlockSA(lastBlock: false, blockNumber: 1, rawData: [0x09, 0x11])))),
        Example(hex: "C3 05 C1 01 00 0F 00 00 28 00 00 FF 01 01 00 00 00 01 00",
                apdu: .actionRequest(.withListAndFirstPblock(high, [association], DataBlockSA(lastBlock: true, blockNumber: 1, rawData: [])))),
        Example(hex: "C3 06 C1 01 00 00 00 02 01 AA", apdu: .actionRequest(.withPblock(high, DataBlockSA(lastBlock: true, blockNumber: 2, rawData: [0xAA])))),
        Example(hex: "C7 02 C1 00 00 00 00 01 01 BB", apdu: .actionResponse(.withPblock(high, DataBlockSA(lastBlock: false, blockNumber: 1, rawData: [0xBB])))),
        Example(hex: "C7 03 C1 02 00 00 0B 01 00 12 00 05",
                apdu: .actionResponse(.withList(high, [.init(result: .success), .init(result: .objectUnavailable, returnParameters: .data(.longUnsigned(5)))]))),
        Example(hex: "C7 04 C1 00 00 00 02", apdu: .actionResponse(.nextPblock(high, blockNumber: 2))),
        // §5.4 ConfirmedServiceError (U9): write, service, service-unsupported… `0E 01 06 01` = initiateError, initiate, dlms-version-too-low.
        Example(hex: "0E 01 06 01", apdu: .confirmedServiceError(ConfirmedServiceError(service: 1, errorChoice: 6, errorValue: 1))),
        Example(hex: "0E 05 05 02", apdu: .confirmedServiceError(ConfirmedServiceError(service: 5, errorChoice: 5, errorValue: 2))),
        // §5.5 ExceptionResponse.
        Example(hex: "D8 01 02", apdu: .exceptionResponse(ExceptionResponse(stateError: .serviceNotAllowed, serviceError: .serviceNotSupported))),
        Example(hex: "D8 02 06 00 00 01 2C",
                apdu: .exceptionResponse(ExceptionResponse(stateError: .serviceUnknown, serviceError: .invocationCounterError, invocationCounter: 300))),
        // §5.10 EventNotification, time absent / ASN.1 OPTIONAL / GX tagged octet-string.
        Example(hex: "C2 00 00 01 00 00 60 0B 00 FF 02 12 00 07",
                apdu: .eventNotificationRequest(EventNotificationRequest(
                    attributeDescriptor: CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 96, 11, 0), attributeID: 2),
                    attributeValue: .longUnsigned(7)))),
        Example(hex: "C2 01 07 E5 01 18 FF 0E 30 39 50 FF C4 00 00 01 00 00 60 0B 00 FF 02 12 00 07",
                apdu: .eventNotificationRequest(EventNotificationRequest(
                    time: [0x07, 0xE5, 0x01, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50, 0xFF, 0xC4, 0x00], timeEncoding: .optionalFlag,
                    attributeDescriptor: CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 96, 11, 0), attributeID: 2),
                    attributeValue: .longUnsigned(7)))),
        Example(hex: "C2 09 0C 07 E5 01 18 FF 0E 30 39 50 FF C4 00 00 01 00 00 60 0B 00 FF 02 12 00 07",
                apdu: .eventNotificationRequest(EventNotificationRequest(
                    time: [0x07, 0xE5, 0x01, 0x18, 0xFF, 0x0E, 0x30, 0x39, 0x50, 0xFF, 0xC4, 0x00], timeEncoding: .taggedOctetString,
                    attributeDescriptor: CosemAttributeDescriptor(classID: 1, instanceID: OBISCode(0, 0, 96, 11, 0), attributeID: 2),
                    attributeValue: .longUnsigned(7)))),
        // DataNotification with a date-time (GX form: `0C` + 12 bytes).
        Example(hex: "0F C0 00 00 05 0C 07 E3 0C 10 01 07 3B 28 FF 80 00 FF 11 01",
                apdu: .dataNotification(DataNotification(longInvokeIDAndPriority: LongInvokeIDAndPriority(rawValue: 0xC000_0005),
                    dateTime: [0x07, 0xE3, 0x0C, 0x10, 0x01, 0x07, 0x3B, 0x28, 0xFF, 0x80, 0x00, 0xFF], notificationBody: .unsigned(1)))),
        // §5.2 InitiateRequest with response-allowed sent explicitly and a quality of service.
        Example(hex: "01 00 01 00 01 05 06 5F 1F 04 00 00 7E 1F 04 B0",
                apdu: .initiateRequest(InitiateRequest(responseAllowed: false, proposedQualityOfService: 5,
                    proposedConformance: Conformance(rawValue: 0x007E1F), clientMaxReceivePDUSize: 1200))),
        Example(hex: "08 00 06 5F 1F 04 00 00 10 00 01 F4 FA 00",
                apdu: .initiateResponse(InitiateResponse(negotiatedConformance: Conformance(rawValue: 0x001000), serverMaxReceivePDUSize: 500, vaaName: 0xFA00))),
    ]

    @Test("Worked and constructed APDUs decode to their meaning and encode back", arguments: examples)
    func roundTrip(_ e: Example) throws {
        let decoded = try XDLMSAPDU(decoding: e.bytes)
        #expect(decoded == e.apdu)
        #expect(e.apdu.encoded() == e.bytes)
    }

    @Test("Invoke-id-and-priority bits (JD InvokeIdAndPrioTest: C1, 81, 41)")
    func invokeIDBits() {
        let c1 = InvokeIDAndPriority(rawValue: 0xC1)
        #expect(c1.invokeID == 1 && c1.priority == .high && c1.serviceClass == .confirmed)
        #expect(InvokeIDAndPriority(invokeID: 1, serviceClass: .unconfirmed, priority: .high).rawValue == 0x81)
        #expect(InvokeIDAndPriority(invokeID: 1, serviceClass: .confirmed, priority: .normal).rawValue == 0x41)
        let odd = InvokeIDAndPriority(rawValue: 0x3F)
        #expect(odd.invokeID == 15 && odd.reservedBits == 3 && odd.priority == .normal && odd.serviceClass == .unconfirmed)
        let long = LongInvokeIDAndPriority(rawValue: 0xF000_01DB)
        #expect(long.longInvokeID == 0x1DB && long.selfDescriptive && long.processingOption == .breakOnError)
        #expect(long.serviceClass == .confirmed && long.priority == .high)
    }

    @Test("JSON uses stable snake_case names")
    func json() throws {
        let apdu = try XDLMSAPDU(decoding: HexText.parse(
            "C0 01 C1 00 07 01 00 63 01 00 FF 02 01 02 02 04 06 00 00 00 01 06 00 00 00 0A 12 00 01 12 00 00"))
        let j = apdu.json
        #expect(j["apdu"] == .string("get-request"))
        #expect(j["type"] == .string("normal"))
        #expect(j["invoke_id"] == .uint(1))
        #expect(j["priority"] == .string("high"))
        #expect(j["service_class"] == .string("confirmed"))
        #expect(j["class_id"] == .uint(7))
        #expect(j["obis"] == .string("1-0:99.1.0*255"))
        #expect(j["attribute_id"] == .int(2))
        #expect(j["access_selector"] == .uint(2))
        #expect(j["access_parameters"]?["type"] == .string("structure"))
        let e = try XDLMSAPDU(decoding: HexText.parse("0E 06 03 02")).json
        #expect(e["service"] == .string("write"))
        #expect(e["service_error"] == .string("service"))
        #expect(e["service_error_name"] == .string("service-unsupported"))
        let x = try XDLMSAPDU(decoding: HexText.parse("D8 01 06 00 00 00 09")).json
        #expect(x["state_error"] == .string("service-not-allowed"))
        #expect(x["invocation_counter"] == .uint(9))
    }

    @Test("Defects are typed errors at the right offset")
    func errors() throws {
        func code(_ hex: String) -> (DLMSError.Code, Int)? {
            do { _ = try XDLMSAPDU(decoding: HexText.parse(hex)); return nil } catch let e as DLMSError { return (e.code, e.offset) } catch { return nil }
        }
        #expect(code("")! == (.truncated, 0))
        #expect(code("C9")! == (.truncated, 1))                       // glo-set-request, length missing
        #expect(code("77 00")! == (.unknownTag, 0))
        #expect(code("05 01 02")! == (.unsupported, 0))               // SN readRequest
        #expect(code("C0 04 C1")! == (.unknownTag, 1))
        #expect(code("C0 01 C1 00 01 00 00 2B 01")! == (.truncated, 5))  // OBIS (from offset 5) cut short
        #expect(code("C0 01 C1 00 01 00 00 2B 01 00 FF 02 02")! == (.invalidValue, 12))
        #expect(code("C4 01 C1 01 05")! == (.unknownTag, 4))          // Data-Access-Result 5 undefined
        #expect(code("C4 01 C1 02")! == (.unknownTag, 3))
        #expect(code("C4 02 C1 02 00 00 00 01 00 00")! == (.invalidValue, 3))  // last-block 02
        #expect(code("C4 03 C1 7F 00 11")! == (.badLength, 3))         // 127 results in 2 bytes
        #expect(code("C4 03 C1 81 05 00 11 01")! == (.badLength, 3))   // non-minimal count
        #expect(code("C7 01 C1 05 00")! == (.unknownTag, 3))           // Action-Result 5 undefined
        #expect(code("01 00 00 00 06 5F 1F 04 00 00 7E")! == (.truncated, 5))
        #expect(code("01 00 00 00 06 5F 1E 04 00 00 7E 1F 04 B0")! == (.badFraming, 5))
        #expect(code("0E 00 06 01")! == (.unknownTag, 1))
        #expect(code("0E 01 0B 01")! == (.unknownTag, 2))
        #expect(code("D8 03 01")! == (.unknownTag, 1))
        #expect(code("D8 01 07")! == (.unknownTag, 2))
        #expect(code("D8 01 06 00 00")! == (.truncated, 3))
        #expect(code("D8 01 02 00")! == (.trailingBytes, 3))
        #expect(code("C2 02")! == (.invalidValue, 1))
        #expect(code("C2 09 0B")! == (.badLength, 2))
        #expect(code("C5 01 C1 00 00")! == (.trailingBytes, 4))
    }

    @Test("Ciphered tags come back as .ciphered(CipheredAPDU), unchanged")
    func ciphered() throws {
        let bytes = try HexText.parse("DB 08 2F 19 22 91 99 16 41 03 3B 30 00 00 01 E5" + String(repeating: " 00", count: 54))
        guard case let .ciphered(c) = try XDLMSAPDU(decoding: bytes) else { Issue.record("not ciphered"); return }
        #expect(c.tag == .generalGloCiphering && c.invocationCounter == 485)
        #expect(XDLMSAPDU.ciphered(c).encoded() == bytes)
    }

    @Test("Nested Data deeper than the A-XDR limit is refused, not recursed into")
    func depthBound() {
        var deep: [UInt8] = []
        for _ in 0..<4000 { deep += [0x02, 0x01] }
        deep.append(0x00)
        #expect(throws: DLMSError.self) { try XDLMSAPDU(decoding: [0xC4, 0x01, 0xC1, 0x00] + deep) }
    }
}

@Suite("xDLMS hand-built values")
struct XDLMSHandBuiltTests {
    @Test("Names of hand-built values outside the tables do not trap")
    func outOfTable() {
        let e = ConfirmedServiceError(service: 200, errorChoice: 99, errorValue: 7)
        #expect(e.serviceName == "service(200)")
        #expect(e.errorName == "choice(99)")
        #expect(e.errorValueName == nil)
        #expect(XDLMSAPDU.confirmedServiceError(e).encoded() == [0x0E, 200, 99, 7])
        _ = XDLMSAPDU.confirmedServiceError(e).json.serialized()
    }
}
