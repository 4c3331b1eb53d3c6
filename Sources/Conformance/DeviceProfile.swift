/// A device under test: transport, PICS and PIXIT (`*.device.yaml`).
///
/// ```yaml
/// transport: serial:///dev/ttyUSB0?baud=2400&parity=even
/// pics:
///   mbus.secondary_addressing: true
/// pixit:
///   primary_address: 5
///   secondary_address: "12345678FFFFFFFF"
///   password: env:METER_PASSWORD        # env:/file: values are always secrets
///   lls_key: {secret: "literal text"}   # an explicit literal secret
/// ```
public struct DeviceProfile: Sendable {
    /// The transport URL, parsed by the Transport module.
    public var transport: String
    /// Declared PICS items; an item not given counts as false.
    public var pics: [String: Bool]
    /// PIXIT values by name.
    public var pixit: [String: PIXITValue]
    /// The file it was loaded from.
    public var path: String

    public init(transport: String, pics: [String: Bool], pixit: [String: PIXITValue], path: String) {
        self.transport = transport
        self.pics = pics
        self.pixit = pixit
        self.path = path
    }
}

/// One PIXIT value.
public enum PIXITValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([PIXITValue])
    case secret(Secret)
}
