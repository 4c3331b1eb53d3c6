/// The medium / device type byte of the fixed header (EN 13757-3; fact sheet §2.4).
///
/// Names follow libmbus's lookup where the implementations agree; codes only libmbus names
/// (0x10–0x13, 0x30) or only jMBus/exmbus name (0x31–0x33, 0x38) are named with that source in the doc.
public struct DeviceType: Sendable, Equatable, Hashable, RawRepresentable {
    /// The transmitted code.
    public let rawValue: UInt8
    /// Wraps a transmitted code.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let other = DeviceType(rawValue: 0x00)
    public static let oil = DeviceType(rawValue: 0x01)
    public static let electricity = DeviceType(rawValue: 0x02)
    public static let gas = DeviceType(rawValue: 0x03)
    public static let heatOutlet = DeviceType(rawValue: 0x04)
    public static let steam = DeviceType(rawValue: 0x05)
    public static let warmWater = DeviceType(rawValue: 0x06)
    public static let water = DeviceType(rawValue: 0x07)
    public static let heatCostAllocator = DeviceType(rawValue: 0x08)
    public static let heatInlet = DeviceType(rawValue: 0x0C)
    public static let hotWater = DeviceType(rawValue: 0x15)
    public static let coldWater = DeviceType(rawValue: 0x16)

    /// The medium's name, or "Reserved (0xNN)" for codes no table names.
    public var name: String {
        switch rawValue {
        case 0x00: return "Other"
        case 0x01: return "Oil"
        case 0x02: return "Electricity"
        case 0x03: return "Gas"
        case 0x04: return "Heat: Outlet"
        case 0x05: return "Steam"
        case 0x06: return "Warm water (30-90°C)"
        case 0x07: return "Water"
        case 0x08: return "Heat Cost Allocator"
        case 0x09: return "Compressed air"
        case 0x0A: return "Cooling load meter: Outlet"
        case 0x0B: return "Cooling load meter: Inlet"
        case 0x0C: return "Heat: Inlet"
        case 0x0D: return "Heat / Cooling load meter"
        case 0x0E: return "Bus/System"
        case 0x0F: return "Unknown medium"
        case 0x10: return "Irrigation water"          // libmbus only
        case 0x11: return "Water data logger"         // libmbus only
        case 0x12: return "Gas data logger"           // libmbus only
        case 0x13: return "Gas converter"             // libmbus only
        case 0x14: return "Calorific value"
        case 0x15: return "Hot water (>=90°C)"
        case 0x16: return "Cold water"
        case 0x17: return "Dual water"
        case 0x18: return "Pressure"
        case 0x19: return "A/D Converter"
        case 0x1A: return "Smoke detector"
        case 0x1B: return "Room sensor"
        case 0x1C: return "Gas detector"
        case 0x20: return "Breaker: Electricity"
        case 0x21: return "Valve: Gas or Water"
        case 0x25: return "Customer unit: Display device"
        case 0x28: return "Waste water"
        case 0x29: return "Garbage"
        case 0x2A: return "Carbon dioxide"
        case 0x30: return "Service unit"              // libmbus only
        case 0x31: return "Communication controller"  // jMBus, exmbus, rtl_433
        case 0x32: return "Unidirectional repeater"   // jMBus, exmbus, rtl_433
        case 0x33: return "Bidirectional repeater"    // jMBus, exmbus, rtl_433
        case 0x36: return "Radio converter: system side"
        case 0x37: return "Radio converter: meter side"
        case 0x38: return "Bus control unit: meter side" // libmbus comment, exmbus
        default: return "Reserved (0x\(String(rawValue, radix: 16, uppercase: true)))"
        }
    }
}
