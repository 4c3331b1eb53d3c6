/// Who the DLMS/COSEM reference server is: its addresses, clients, secrets and keys.
///
/// ``default`` matches the DLMS driver's default PIXIT, so that `meterproof run --target sim:dlms`
/// needs no device profile. The secrets are test values, published here on purpose.
public struct DLMSSimulatorIdentity: Sendable, Equatable {
    /// Server upper HDLC address (logical device; 1 = management logical device) and wrapper wPort.
    public var logicalDevice: UInt16
    /// Server lower HDLC address (physical device).
    public var physicalDevice: UInt16
    /// Client SAP of the public client: no authentication, no ciphering.
    public var publicClient: UInt16
    /// Client SAP of the reader client: low-level security (password).
    public var readerClient: UInt16
    /// Client SAP of the manager client: HLS mechanism 5 (GMAC) and suite-0 ciphering.
    public var managerClient: UInt16
    /// The reader's LLS password (ASCII).
    public var password: [UInt8]
    /// Server system title (8 bytes: 3-letter manufacturer flag + 5 bytes).
    public var systemTitle: [UInt8]
    /// Global unicast encryption key (GUEK), 16 bytes.
    public var globalUnicastKey: [UInt8]
    /// Global broadcast encryption key (GBEK), 16 bytes.
    public var globalBroadcastKey: [UInt8]
    /// Authentication key (GAK), 16 bytes.
    public var authenticationKey: [UInt8]
    /// Logical device name (COSEM 0.0.42.0.0.255), 16 ASCII bytes starting with the flag id.
    public var logicalDeviceName: [UInt8]
    /// Largest APDU the server receives and sends (server-max-receive-pdu-size).
    public var maxPDUSize: UInt16

    public init(logicalDevice: UInt16, physicalDevice: UInt16, publicClient: UInt16, readerClient: UInt16,
                managerClient: UInt16, password: [UInt8], systemTitle: [UInt8], globalUnicastKey: [UInt8],
                globalBroadcastKey: [UInt8], authenticationKey: [UInt8], logicalDeviceName: [UInt8], maxPDUSize: UInt16) {
        self.logicalDevice = logicalDevice
        self.physicalDevice = physicalDevice
        self.publicClient = publicClient
        self.readerClient = readerClient
        self.managerClient = managerClient
        self.password = password
        self.systemTitle = systemTitle
        self.globalUnicastKey = globalUnicastKey
        self.globalBroadcastKey = globalBroadcastKey
        self.authenticationKey = authenticationKey
        self.logicalDeviceName = logicalDeviceName
        self.maxPDUSize = maxPDUSize
    }

    /// The reference server: logical device 1, physical device 17; clients 16 (public),
    /// 32 (reader, LLS "12345678"), 1 (manager, HLS-GMAC); system title "MPR" 00 00 00 00 01;
    /// keys 000102…0F (GUEK), 101112…1F (GBEK), D0D1…DF (GAK, Gurux's default); PDU size 512.
    public static let `default` = DLMSSimulatorIdentity(
        logicalDevice: 1,
        physicalDevice: 17,
        publicClient: 16,
        readerClient: 32,
        managerClient: 1,
        password: Array("12345678".utf8),
        systemTitle: [0x4D, 0x50, 0x52, 0x00, 0x00, 0x00, 0x00, 0x01],
        globalUnicastKey: Array(0x00...0x0F),
        globalBroadcastKey: Array(0x10...0x1F),
        authenticationKey: Array(0xD0...0xDF),
        logicalDeviceName: Array("MPR0000000000001".utf8),
        maxPDUSize: 512
    )
}
