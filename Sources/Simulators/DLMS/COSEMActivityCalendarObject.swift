import DLMS

/// IC 20 Activity calendar (v0) at 0.0.13.0.0.255: a two-rate tariff (rate 2 on weekdays
/// 07:00–22:00) calling the tariff script table 0.0.10.0.100.255. The manager writes the passive
/// calendar (attributes 6–10) and activates it with method 1 (passive copied to active).
final class COSEMActivityCalendarObject: COSEMStaticObject {
    /// A date-time with every field not specified (FFFF FF FF FF FF FF FF FF 8000 FF).
    static let wildcardDateTime: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x00, 0xFF]

    init() {
        let script = OBISCode(0, 0, 10, 0, 100).data
        func time(_ h: UInt8) -> COSEMData { .octetString([h, 0, 0, 0]) }
        let season: COSEMData = .array([.structure([
            .octetString(Array("S1".utf8)),
            .octetString([0xFF, 0xFF, 0x01, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF]),
            .octetString(Array("W1".utf8)),
        ])])
        let week: COSEMData = .array([.structure([.octetString(Array("W1".utf8))] + [1, 1, 1, 1, 1, 2, 2].map { .unsigned($0) })])
        let day: COSEMData = .array([
            .structure([.unsigned(1), .array([
                .structure([time(0), script, .longUnsigned(1)]),
                .structure([time(7), script, .longUnsigned(2)]),
                .structure([time(22), script, .longUnsigned(1)]),
            ])]),
            .structure([.unsigned(2), .array([.structure([time(0), script, .longUnsigned(1)])])]),
        ])
        super.init(classID: 20, version: 0, logicalName: OBISCode(0, 0, 13, 0, 0),
                   policy: COSEMAccessPolicy(visibility: .readerAndManager, writable: [6, 7, 8, 9, 10]), values: [
            2: .octetString(Array("MPR-TOU1".utf8)), 3: season, 4: week, 5: day,
            6: .octetString(Array("MPR-TOU2".utf8)), 7: season, 8: week, 9: day,
            10: .octetString(Self.wildcardDateTime),
        ])
    }

    override func invoke(_ method: Int, parameter: COSEMData, in ctx: COSEMCallContext) -> COSEMActionOutcome {
        guard method == 1 else { return .failure(.objectUndefined) }
        for attribute in 2...5 { values[attribute] = values[attribute + 4] }
        return .success
    }
}
