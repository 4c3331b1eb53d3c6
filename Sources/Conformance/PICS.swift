/// A PICS item a protocol defines (ISO/IEC 9646-7): a feature a device declares it supports,
/// or which reading of a disputed behaviour it claims.
public struct PICSItem: Sendable, Hashable {
    /// Dotted name, prefixed by the protocol, e.g. `mbus.secondary_addressing`.
    public var name: String
    /// What `true` means for the device.
    public var summary: String

    public init(name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// One term of a case's `requires`: a PICS item that must be true, or with `not:` false.
public struct PICSRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The PICS item name.
    public var item: String
    /// `true` for `not:ITEM` (the item must be false).
    public var negated: Bool

    public init(item: String, negated: Bool = false) {
        self.item = item
        self.negated = negated
    }

    /// Parses `ITEM` or `not:ITEM`.
    public init(parsing text: String) {
        if text.hasPrefix("not:") {
            self.init(item: String(text.dropFirst(4)).trimmingWhitespace, negated: true)
        } else {
            self.init(item: text.trimmingWhitespace, negated: false)
        }
    }

    /// Whether a device declaring `pics` meets this term; an undeclared item counts as false.
    public func isMet(by pics: [String: Bool]) -> Bool {
        (pics[item] ?? false) != negated
    }

    /// `ITEM` or `not:ITEM`.
    public var description: String { negated ? "not:\(item)" : item }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
