/// How bad a finding is: `error` makes `meterproof analyze` exit 1.
public enum FindingSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case error, warning, info

    var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// A check's rule: a stable id (`dlms.invoke-id-mismatch`), its severity, what it checks and
/// where the rule comes from (a fact sheet section under `/work/shared/reference`, or this
/// implementation when no source states it — never an invented clause number).
public struct FindingRule: Sendable, Hashable {
    /// Stable dotted id: `<protocol>.<rule>`.
    public var id: String
    /// Severity of every finding of this rule.
    public var severity: FindingSeverity
    /// One line: what the rule requires.
    public var title: String
    /// Where the rule comes from.
    public var source: String

    /// A rule.
    public init(id: String, severity: FindingSeverity, title: String, source: String) {
        self.id = id
        self.severity = severity
        self.title = title
        self.source = source
    }
}

/// One finding: a rule broken at a place in a capture.
public struct Finding: Sendable, Hashable {
    /// The rule.
    public var rule: FindingRule
    /// 1-based index of the capture among the command's arguments.
    public var fileIndex: Int
    /// The conversation (per-file number), when the finding concerns one.
    public var conversation: Int?
    /// The packets involved (1-based frame numbers in the file), in order.
    public var frames: [Int]
    /// Capture time of the last packet involved (ns since 1970), when known.
    public var time: Int64?
    /// What happened, in words (never a key).
    public var message: String

    /// A finding.
    public init(rule: FindingRule, fileIndex: Int, conversation: Int?, frames: [Int], time: Int64?, message: String) {
        self.rule = rule
        self.fileIndex = fileIndex
        self.conversation = conversation
        self.frames = frames
        self.time = time
        self.message = message
    }
}
