import MeterBus

/// What the reference heat meter reads, on a fixed clock, so that replies are byte-identical across runs.
///
/// The read-out is split over ``telegramCount`` RSP_UD telegrams (fact sheet §1.5, §3.5): the first
/// ends with DIF 1F (more records follow), the last with DIF 0F and ``manufacturerData``. Values
/// must fit their fields (8, 6 or 4 BCD digits as each property says).
public struct MBusHeatMeterReadings: Sendable, Equatable {
    /// Energy now, in kWh (BCD, VIF 06).
    public var energyKWh: Int64
    /// Energy at the last billing date (storage 1), in kWh; lower than ``energyKWh``.
    public var billingEnergyKWh: Int64
    /// Volume now, in units of 0.01 m³ (BCD, VIF 14).
    public var volumeHundredthsM3: Int64
    /// Power now, in W (BCD, VIF 2B).
    public var powerW: Int64
    /// Volume flow now, in l/h = 0.001 m³/h (BCD, VIF 3B).
    public var volumeFlowLitresPerHour: Int64
    /// Flow temperature, in 0.1 °C (BCD, VIF 5A).
    public var flowTemperatureTenthsC: Int64
    /// Return temperature, in 0.1 °C (BCD, VIF 5E).
    public var returnTemperatureTenthsC: Int64
    /// On time, in hours (32-bit integer, VIF 22).
    public var onTimeHours: Int64
    /// Fabrication number, 8 digits (BCD, VIF 78).
    public var fabricationNumber: Int64
    /// The meter's clock now (type F, VIF 6D).
    public var currentDateTime: DateTimeTypeF
    /// The last billing date (type G, VIF 6C, storage 1); before ``currentDateTime``.
    public var billingDate: DateTypeG
    /// The manufacturer-specific bytes after DIF 0F in the last telegram.
    public var manufacturerData: [UInt8]

    /// Readings with the given values.
    public init(energyKWh: Int64, billingEnergyKWh: Int64, volumeHundredthsM3: Int64, powerW: Int64,
                volumeFlowLitresPerHour: Int64, flowTemperatureTenthsC: Int64, returnTemperatureTenthsC: Int64,
                onTimeHours: Int64, fabricationNumber: Int64, currentDateTime: DateTimeTypeF,
                billingDate: DateTypeG, manufacturerData: [UInt8]) {
        self.energyKWh = energyKWh
        self.billingEnergyKWh = billingEnergyKWh
        self.volumeHundredthsM3 = volumeHundredthsM3
        self.powerW = powerW
        self.volumeFlowLitresPerHour = volumeFlowLitresPerHour
        self.flowTemperatureTenthsC = flowTemperatureTenthsC
        self.returnTemperatureTenthsC = returnTemperatureTenthsC
        self.onTimeHours = onTimeHours
        self.fabricationNumber = fabricationNumber
        self.currentDateTime = currentDateTime
        self.billingDate = billingDate
        self.manufacturerData = manufacturerData
    }

    /// The reference values: 12345 kWh (11800 kWh on 2025-12-31), 456.78 m³, 1234 W, 0.123 m³/h,
    /// 65.2 °C / 42.3 °C, 17520 h, fabrication number 25000123, clock 2026-01-15 10:30.
    public static let reference = MBusHeatMeterReadings(
        energyKWh: 12_345, billingEnergyKWh: 11_800, volumeHundredthsM3: 45_678, powerW: 1_234,
        volumeFlowLitresPerHour: 123, flowTemperatureTenthsC: 652, returnTemperatureTenthsC: 423,
        onTimeHours: 17_520, fabricationNumber: 25_000_123,
        currentDateTime: DateTimeTypeF(year: 2026, month: 1, day: 15, hour: 10, minute: 30)!,
        billingDate: DateTypeG(year: 2025, month: 12, day: 31)!,
        manufacturerData: [0x4D, 0x50, 0x46, 0x01, 0x00, 0x2A])

    /// Temperature difference flow − return, in 0.1 K (BCD, VIF 62).
    public var temperatureDifferenceTenthsK: Int64 { flowTemperatureTenthsC - returnTemperatureTenthsC }

    /// How many RSP_UD telegrams one read-out takes.
    public static let telegramCount = 2

    /// The records of telegram `index` (0-based, below ``telegramCount``).
    public func records(telegram index: Int) -> [DataRecord] {
        switch index {
        case 0:
            return [
                Self.bcd(8, vif: 0x06, energyKWh),                     // energy, kWh
                Self.bcd(8, vif: 0x06, billingEnergyKWh, storage: 1),  // energy at the billing date
                Self.record(.int16, vif: 0x6C, .date(billingDate), storage: 1),  // billing date, type G
                Self.bcd(8, vif: 0x14, volumeHundredthsM3),            // volume, 0.01 m³
                Self.bcd(6, vif: 0x2B, powerW),                        // power, W
                Self.bcd(6, vif: 0x3B, volumeFlowLitresPerHour),       // volume flow, 0.001 m³/h
            ]
        default:
            return [
                Self.bcd(4, vif: 0x5A, flowTemperatureTenthsC),        // flow temperature, 0.1 °C
                Self.bcd(4, vif: 0x5E, returnTemperatureTenthsC),      // return temperature, 0.1 °C
                Self.bcd(4, vif: 0x62, temperatureDifferenceTenthsK),  // temperature difference, 0.1 K
                Self.record(.int32, vif: 0x22, .integer(onTimeHours)), // on time, hours
                Self.record(.int32, vif: 0x6D, .dateTime(currentDateTime)),  // date and time, type F
                Self.bcd(8, vif: 0x78, fabricationNumber),             // fabrication number
            ]
        }
    }

    /// Telegram `index` of the read-out under `header`: DIF 1F after all but the last, DIF 0F and
    /// the manufacturer data after the last.
    public func variableData(telegram index: Int, header: LongHeader) -> VariableDataStructure {
        let last = index >= Self.telegramCount - 1
        return VariableDataStructure(
            header: .long(header), records: records(telegram: index),
            manufacturerData: last ? manufacturerData[...] : nil, moreRecordsFollow: !last)
    }

    private static func bcd(_ digits: Int, vif: UInt8, _ value: Int64, storage: UInt64 = 0) -> DataRecord {
        let coding: DataFieldCoding = switch digits {
        case 4: .bcd4
        case 6: .bcd6
        default: .bcd8
        }
        // The reference values fit their fields; BCDNumber is nil only when they do not.
        return record(coding, vif: vif, .bcd(BCDNumber(value, byteCount: digits / 2)!), storage: storage)
    }

    private static func record(_ coding: DataFieldCoding, vif: UInt8, _ value: DataValue, storage: UInt64 = 0) -> DataRecord {
        DataRecord(dib: DataInformationBlock(coding: coding, storage: storage)!, vib: ValueInformationBlock(vif: vif), value: value)
    }
}
