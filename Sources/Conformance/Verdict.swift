/// A TTCN-3 verdict (ETSI ES 201 873-1, `setverdict`): `none < pass < inconc < fail < error`.
///
/// Verdicts only ever get worse: merging keeps the worse of the two.
public enum Verdict: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible, Codable {
    /// Nothing has been decided yet.
    case none = 0
    /// The device behaved as the standard requires.
    case pass = 1
    /// A precondition could not be established, or the behaviour is not confirmed by any source.
    case inconc = 2
    /// The device did something the standard forbids.
    case fail = 3
    /// The harness or the transport failed.
    case error = 4

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The TTCN-3 spelling: `none`, `pass`, `inconc`, `fail`, `error`.
    public var description: String {
        switch self {
        case .none: "none"
        case .pass: "pass"
        case .inconc: "inconc"
        case .fail: "fail"
        case .error: "error"
        }
    }

    /// `setverdict` semantics: the worse of `self` and `other`.
    public func merged(with other: Verdict) -> Verdict { max(self, other) }

    /// The verdict a case may give when its behaviour is not confirmed by any public source:
    /// `fail` becomes `inconc`; every other verdict is unchanged.
    public func capped(forUnconfirmed unconfirmed: Bool) -> Verdict {
        unconfirmed && self == .fail ? .inconc : self
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let verdict = Verdict.allCases.first(where: { $0.description == text }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown verdict \(text)"))
        }
        self = verdict
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
