import CodecSupport
import Testing
@testable import DLMS

/// The interface-class table against the fact sheet (§8.3, §8.4, §8.5), its type checker on good
/// and bad values, and the structure decoders on values from the Gurux loopback GET responses.
@Suite("InterfaceClass")
struct InterfaceClassTests {
    // MARK: table

    @Test("attribute and method counts per class match the fact sheet §8.3")
    func counts() throws {
        let expected: [(UInt16, UInt8, Int, Int)] = [
            (1, 0, 2, 0), (3, 0, 3, 2), (4, 0, 5, 1), (5, 0, 9, 2), (7, 1, 8, 2), (8, 0, 9, 6), (9, 0, 2, 1),
            (15, 0, 8, 4), (15, 1, 9, 4), (15, 2, 11, 6), (17, 0, 2, 1), (18, 0, 7, 4), (20, 0, 10, 1), (23, 1, 9, 0),
            (40, 0, 7, 1), (40, 1, 10, 1), (40, 2, 13, 2), (64, 0, 5, 2), (64, 1, 6, 8), (70, 0, 4, 2), (71, 0, 11, 0),
        ]
        #expect(InterfaceClass.catalog.count == expected.count)
        for (id, version, attributes, methods) in expected {
            let ic = try #require(InterfaceClass.lookup(classID: id, version: version), "IC \(id) v\(version)")
            #expect(ic.attributes.count == attributes, "\(ic)")
            #expect(ic.methods.count == methods, "\(ic)")
            #expect(ic.attributes.map(\.index) == Array(1...attributes), "\(ic): attribute indices")
            #expect(ic.methods.map(\.index) == Array(0..<methods).map { $0 + 1 }, "\(ic): method indices")
            #expect(ic.attribute(1)?.name == "logical_name" && ic.attribute(1)?.type == .logicalName, "\(ic)")
        }
        let pairs = InterfaceClass.catalog.map { "\($0.classID)/\($0.version)" }
        #expect(Set(pairs).count == pairs.count, "duplicate class/version in the table")
    }

    @Test("names, classifications and disputed entries as the fact sheet marks them")
    func details() throws {
        #expect(InterfaceClass.clock.attribute(2)?.name == "time")
        #expect(InterfaceClass.clock.attribute(2)?.classification == .dynamic)
        #expect(InterfaceClass.clock.attribute(3)?.classification == .static)
        #expect(InterfaceClass.clock.method(6)?.name == "shift_time")
        #expect(InterfaceClass.data.attribute(2)?.classification == .notSpecific)
        #expect(InterfaceClass.register.method(2)?.unconfirmed == true)
        #expect(InterfaceClass.register.method(1)?.unconfirmed == false)
        #expect(InterfaceClass.sapAssignment.attributes.allSatisfy { $0.classification == .unconfirmed })
        #expect(InterfaceClass.sapAssignment.method(1)?.unconfirmed == true)
        #expect(InterfaceClass.associationLN(2).attribute(10)?.classification == .unconfirmed)
        #expect(InterfaceClass.associationLN(0).attribute(9) == nil)
        #expect(InterfaceClass.securitySetup(0).method(2)?.name == "global_key_transfer")
        #expect(InterfaceClass.securitySetup(1).method(2)?.name == "key_transfer")
        #expect(InterfaceClass.profileGeneric.method(3) == nil, "methods 3/4 are WS-only, UNCONFIRMED")
        // Image transfer is not in the fact sheet: its entry comes from Gurux and Renesas (catalog note).
        #expect(InterfaceClass.lookup(classID: 18, version: 0)?.name == "Image transfer")
        #expect(InterfaceClass.knownClassIDs == [1, 3, 4, 5, 7, 8, 9, 15, 17, 18, 20, 23, 40, 64, 70, 71])
        #expect(InterfaceClass.register.attribute(3)?.type.description == "structure{integer, enum}")
        #expect(InterfaceClass.clock.attribute(2)?.type.description == "date-time octet-string(12)")
    }

    // MARK: checker

    @Test("Clock attribute 2 is a 12-byte date-time octet-string")
    func clockTime() {
        let clock = InterfaceClass.clock
        let good: [UInt8] = [0x07, 0xEA, 0x0B, 0x19, 0xFF, 0x08, 0x08, 0x2C, 0x00, 0x00, 0x00, 0x00]
        #expect(clock.check(attribute: 2, value: .octetString(good)).isEmpty)
        #expect(clock.check(attribute: 2, value: .octetString(Array(good.prefix(11)))).count == 1)
        var badMonth = good
        badMonth[2] = 13
        #expect(clock.check(attribute: 2, value: .octetString(badMonth)).count == 1)
        #expect(!clock.check(attribute: 2, value: .visible("2026-11-25")).isEmpty)
        #expect(!clock.check(attribute: 2, value: .dateTime(COSEMDateTime())).isEmpty, "tag 25 is not the documented form")
        #expect(clock.check(attribute: 3, value: .long(-60)).isEmpty)
        #expect(!clock.check(attribute: 3, value: .integer(-60)).isEmpty)
        #expect(clock.check(attribute: 8, value: .bool(true)).isEmpty)
        #expect(clock.check(attribute: 10, value: .nullData) == ["Clock (IC 8, v0) has no attribute 10"])
    }

    @Test("Register attribute 3 is structure{integer scaler, enum unit}")
    func registerScalerUnit() {
        let register = InterfaceClass.register
        #expect(register.check(attribute: 3, value: .structure([.integer(-1), .enumerated(35)])).isEmpty)
        let wrongScaler = register.check(attribute: 3, value: .structure([.unsigned(1), .enumerated(35)]))
        #expect(wrongScaler == ["Register attribute 3 scaler_unit.0: expected integer, got unsigned"])
        #expect(!register.check(attribute: 3, value: .structure([.integer(0), .enumerated(30), .nullData])).isEmpty)
        #expect(!register.check(attribute: 3, value: .array([.integer(0), .enumerated(30)])).isEmpty)
        #expect(register.check(attribute: 2, value: .doubleLong(123_456)).isEmpty)
        #expect(!register.check(attribute: 2, value: .structure([])).isEmpty, "a register value is a simple type")
        #expect(register.check(attribute: 1, value: OBISCode.activeEnergyImport.data).isEmpty)
        #expect(!register.check(attribute: 1, value: .octetString([1, 0, 1, 8, 0])).isEmpty)
    }

    @Test("methods: integer 0, and both documented forms where sources disagree")
    func methods() {
        let clock = InterfaceClass.clock
        #expect(clock.check(method: 1, parameter: .integer(0)).isEmpty)
        #expect(!clock.check(method: 1, parameter: .integer(1)).isEmpty)
        let os12 = COSEMData.octetString(Array(repeating: 0xFF, count: 12))
        #expect(clock.check(method: 5, parameter: .structure([os12, os12, os12])).isEmpty, "GX form")
        let dt = COSEMData.dateTime(COSEMDateTime())
        #expect(clock.check(method: 5, parameter: .structure([dt, dt, dt])).isEmpty, "SP form")
        #expect(!clock.check(method: 5, parameter: .structure([os12, dt, os12])).isEmpty)
        #expect(clock.check(method: 6, parameter: .long(-900)).isEmpty)
        #expect(InterfaceClass.scriptTable.check(method: 1, parameter: .longUnsigned(3)).isEmpty)
        #expect(!InterfaceClass.limiter.check(method: 1, parameter: .integer(0)).isEmpty)
    }

    @Test("object_list element: method access is boolean in Association LN v0, enum from v1")
    func objectListVersions() {
        func element(_ access: COSEMData) -> COSEMData {
            .array([.structure([
                .longUnsigned(8), .unsigned(0), OBISCode.clock.data,
                .structure([
                    .array([.structure([.integer(2), .enumerated(3), .nullData])]),
                    .array([.structure([.integer(1), access])]),
                ]),
            ])])
        }
        #expect(InterfaceClass.associationLN(0).check(attribute: 2, value: element(.bool(true))).isEmpty)
        #expect(!InterfaceClass.associationLN(0).check(attribute: 2, value: element(.enumerated(1))).isEmpty)
        #expect(InterfaceClass.associationLN(1).check(attribute: 2, value: element(.enumerated(1))).isEmpty)
        #expect(!InterfaceClass.associationLN(2).check(attribute: 2, value: element(.bool(true))).isEmpty)
    }

    @Test("Push setup repetition_delay changes form at v2; v1 push_object_list is unchecked (UNCONFIRMED)")
    func pushSetup() {
        #expect(InterfaceClass.pushSetup(0).check(attribute: 7, value: .longUnsigned(10)).isEmpty)
        let v2 = COSEMData.structure([.longUnsigned(1), .longUnsigned(2), .longUnsigned(3)])
        #expect(InterfaceClass.pushSetup(2).check(attribute: 7, value: v2).isEmpty)
        #expect(!InterfaceClass.pushSetup(2).check(attribute: 7, value: .longUnsigned(10)).isEmpty)
        #expect(InterfaceClass.pushSetup(1).attribute(2)?.type == .array(.unconfirmed("v1 push_object_list element has 5 elements, not listed")))
        #expect(InterfaceClass.pushSetup(0).attribute(11) == nil)
    }

    // MARK: decoders

    @Test("scaler_unit from the §8.5 examples, with the COSEMUnit name")
    func scalerUnit() throws {
        let cases: [(String, Int8, UInt8, String)] = [
            ("02020F00161B", 0, 27, "W"), ("02020FFF1621", -1, 33, "A"), ("02020FFF1623", -1, 35, "V"),
            ("02020F00161E", 0, 30, "Wh"),
        ]
        for (hex, scaler, unit, symbol) in cases {
            let value = try COSEMData(decodingExactly: try HexText.parse(hex)[...])
            #expect(InterfaceClass.register.check(attribute: 3, value: value).isEmpty, "\(hex)")
            let su = try ScalerUnit(data: value)
            #expect(su.scaler == scaler && su.unit.rawValue == unit && su.unit.symbol == symbol, "\(hex)")
            #expect(su.unitName != nil)
            #expect(su.data == value)
        }
        let amps = ScalerUnit(scaler: -1, unit: .ampere)
        #expect(abs(amps.physicalValue(123) - 12.3) < 1e-9)
        #expect(ScalerUnit(scaler: 3, unit: .watt).physicalValue(2) == 2000)
        #expect(ScalerUnit(scaler: 0, unit: .volt).unitName == "voltage")
        #expect(throws: DLMSError.self) { try ScalerUnit(data: .structure([.unsigned(0), .enumerated(27)])) }
        #expect(throws: DLMSError.self) { try ScalerUnit(data: .structure([.integer(0)])) }
    }

    @Test("capture_objects decode and re-encode; a wrong element type is refused")
    func captureObjects() throws {
        let defs = [
            CaptureObjectDefinition(classID: 8, logicalName: .clock, attributeIndex: 2),
            CaptureObjectDefinition(classID: 3, logicalName: .activeEnergyImport, attributeIndex: 2, dataIndex: 0),
        ]
        let value = COSEMData.array(defs.map(\.data))
        #expect(InterfaceClass.profileGeneric.check(attribute: 3, value: value).isEmpty)
        #expect(try CaptureObjectDefinition.decodeList(value) == defs)
        #expect(defs[0].description == "IC 8 0-0:1.0.0*255 attr 2 [0]")
        let bad = COSEMData.array([.structure([.unsigned(8), OBISCode.clock.data, .integer(2), .longUnsigned(0)])])
        #expect(throws: DLMSError.self) { try CaptureObjectDefinition.decodeList(bad) }
        #expect(!InterfaceClass.profileGeneric.check(attribute: 3, value: bad).isEmpty)
    }

    @Test("an object_list element after the §8.4 example (Clock v0, access rights) decodes")
    func objectListExample() throws {
        let element = COSEMData.structure([
            .longUnsigned(8), .unsigned(0), OBISCode.clock.data,
            .structure([
                .array([
                    .structure([.integer(1), .enumerated(1), .nullData]),
                    .structure([.integer(2), .enumerated(3), .nullData]),
                    .structure([.integer(3), .enumerated(6), .array([.integer(1), .integer(2)])]),
                ]),
                .array((1...6).map { .structure([.integer(Int8($0)), .enumerated(1)]) }),
            ]),
        ])
        let e = try ObjectListElement(data: element)
        #expect(e.classID == 8 && e.version == 0 && e.logicalName == .clock)
        #expect(e.attributeAccess.map(\.accessMode) == [.readOnly, .readAndWrite, .authenticatedReadAndWrite])
        #expect(e.attributeAccess[2].selectors == [1, 2] && e.attributeAccess[0].selectors == nil)
        #expect(e.methodAccess.count == 6 && e.methodAccess.allSatisfy { $0.accessMode == .access && !$0.isBoolean })
        #expect(e.interfaceClass == .clock && e.unknownReason == nil)
        #expect(InterfaceClass.associationLN(2).check(attribute: 2, value: .array([element])).isEmpty)

        let unknown = try ObjectListElement(data: .structure([
            .longUnsigned(21), .unsigned(0), OBISCode(0, 0, 16, 0, 0).data, .structure([.array([]), .array([])]),
        ]))
        #expect(unknown.unknownReason == "unknown class 21 (0-0:16.0.0*255)")
        let newer = try ObjectListElement(data: .structure([
            .longUnsigned(8), .unsigned(3), OBISCode.clock.data, .structure([.array([]), .array([])]),
        ]))
        #expect(newer.unknownReason?.hasPrefix("Clock (IC 8) version 3 not documented") == true)
        #expect(throws: DLMSError.self) {
            try ObjectListElement(data: .structure([.longUnsigned(8), .unsigned(0), OBISCode.clock.data]))
        }
    }

    // MARK: Gurux loopback GET responses

    /// The data of every normal get-response in the Gurux fixture, paired with the request before it.
    static func guruxReads() throws -> [(request: AttributeDescriptorWithSelection, data: COSEMData, where: String)] {
        let file = try XDLMSFixtures.gurux()
        var out: [(AttributeDescriptorWithSelection, COSEMData, String)] = []
        var pending: AttributeDescriptorWithSelection?
        for a in file.apdus {
            switch try XDLMSAPDU(decoding: a.bytes) {
            case let .getRequest(.normal(_, d)): pending = d
            case let .getResponse(.normal(_, .data(value))):
                if let request = pending { out.append((request, value, a.description)) }
                pending = nil
            default: pending = nil
            }
        }
        return out
    }

    @Test("Gurux GET responses: each value has the type its class declares; object_list entries name known classes")
    func guruxResponses() throws {
        let reads = try Self.guruxReads()
        #expect(reads.count == 11)
        var objectLists = 0, clocks = 0
        for read in reads {
            let d = read.request.descriptor
            let attribute = Int(d.attributeID)
            // The object_list names each object's version; the Association itself is version 2 there.
            let version: UInt8 = d.classID == 15 ? 2 : (d.classID == 7 || d.classID == 23 ? 1 : 0)
            let ic = try #require(InterfaceClass.lookup(classID: d.classID, version: version), "\(read.where)")
            #expect(ic.check(attribute: attribute, value: read.data).isEmpty, "\(read.where): \(ic.check(attribute: attribute, value: read.data))")
            if d.classID == 15 && attribute == 2 {
                objectLists += 1
                let list = try ObjectListElement.decodeList(read.data)
                #expect(list.map(\.classID) == [15, 1, 8, 3, 1], "\(read.where)")
                #expect(list.map(\.logicalName.dotted) == ["0.0.40.0.0.255", "0.0.42.0.0.255", "0.0.1.0.0.255", "1.0.1.8.0.255", "0.0.43.1.0.255"])
                #expect(list.first?.version == 2)
                for e in list { #expect(e.unknownReason == nil, "\(read.where): \(e)") }
                #expect(list.allSatisfy { $0.attributeAccess.isEmpty && $0.methodAccess.isEmpty })
            }
            if d.classID == 8 && attribute == 2 {
                clocks += 1
                let bytes = try #require(read.data.octets)
                let dt = try COSEMDateTime(bytes: bytes[...])
                #expect(dt.date.year == 2026 && dt.date.month == 11 && dt.date.dayOfMonth == 25)
                #expect(dt.time.hour == 8 && dt.time.minute == 8 && dt.time.second == 44)
            }
        }
        #expect(objectLists == 4)
        #expect(clocks == 1)
    }
}
