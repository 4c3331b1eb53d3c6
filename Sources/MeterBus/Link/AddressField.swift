/// The A field (primary address) of a short, control or long frame (EN 13757-2; fact sheet §1.6).
public struct AddressField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The A byte as sent.
    public let rawValue: UInt8

    /// Wraps an A byte; every value is representable.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Wraps an A byte.
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// The classes of A values (§1.6).
    public enum Category: String, Hashable, Sendable, CaseIterable {
        /// 0: factory default, unconfigured slave (mbus4j `UNCONFIGURED_PRIMARY_ADDRESS`).
        case unconfigured
        /// 1–250: a regular primary address.
        case primary
        /// 251–252: named by no implementation; treated as reserved (UNCONFIRMED).
        case reserved
        /// 253 (FD): network layer, i.e. the slave selected by secondary address (§1.8).
        case networkLayer
        /// 254 (FE): broadcast, every slave replies (expect collisions).
        case broadcastWithReply
        /// 255 (FF): broadcast, no slave replies.
        case broadcastWithoutReply
    }

    /// The class of this address (§1.6).
    public var category: Category {
        switch rawValue {
        case 0: return .unconfigured
        case 1...250: return .primary
        case 251...252: return .reserved
        case 253: return .networkLayer
        case 254: return .broadcastWithReply
        default: return .broadcastWithoutReply
        }
    }

    /// 0: the factory-default address of an unconfigured slave (§1.6).
    public static let unconfigured = AddressField(0)
    /// 253 (FD): the address of the slave selected by secondary address (§1.6, §1.8).
    public static let networkLayer = AddressField(0xFD)
    /// 254 (FE): broadcast with reply (§1.6).
    public static let broadcastWithReply = AddressField(0xFE)
    /// 255 (FF): broadcast without reply (§1.6).
    public static let broadcastWithoutReply = AddressField(0xFF)

    /// True for 0–250, the addresses a single slave can own and a scan polls (§1.6).
    public var isSlaveAddress: Bool { rawValue <= 250 }

    /// True when libmbus would accept this as the new address of a set-primary-address
    /// command: anything but FD, FE and FF (§1.9, `mbus_set_primary_address`).
    public var isAssignable: Bool { rawValue < 0xFD }

    /// True unless this is the no-reply broadcast 255 (§1.6). FD gets a reply only while a
    /// slave is selected.
    public var mayBeAnswered: Bool { rawValue != 0xFF }

    /// The decimal value and its class, e.g. "253 (networkLayer)".
    public var description: String { "\(rawValue) (\(category.rawValue))" }
}
