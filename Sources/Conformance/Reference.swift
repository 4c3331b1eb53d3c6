/// Where the behaviour a case checks is specified and what settles it.
///
/// The standards' texts are not public: `clause` is given only where it is known, never invented;
/// `source` names what actually settles the behaviour (a fact-sheet section or a public implementation).
public struct Reference: Sendable, Hashable, Codable {
    /// The standard, e.g. `EN 13757-2`.
    public var standard: String
    /// The clause where known, e.g. `5.7.2`.
    public var clause: String?
    /// What settles the behaviour, e.g. `fact sheet mbus.md §1.5` or `libmbus mbus_sendrecv_request`.
    public var source: String

    public init(standard: String, clause: String? = nil, source: String) {
        self.standard = standard
        self.clause = clause
        self.source = source
    }
}
