import CodecSupport

/// What a step sees and changes while it runs: its parameters' variables, its verdict, its log
/// and the evidence entries it produced.
public struct StepContext {
    /// The case being run.
    public var caseId: String
    /// The device's PIXIT.
    public var pixit: [String: PIXITValue]
    /// Values bound by `loop` (`${as}`) and `read_value`, visible to later steps of the case.
    public var variables: [String: JSONValue]
    /// Decoded responses kept by `save_as`, by name, for later `compare` and check steps.
    public var saved: [String: JSONValue]
    /// The step's timeout.
    public var timeout: Duration
    /// The step's verdict so far.
    public var verdict: VerdictRecord
    /// What the step did, line by line.
    public var log: [String]
    /// Evidence ids of the frames the step sent and received.
    public var frames: [Int]

    public init(caseId: String, pixit: [String: PIXITValue], unconfirmed: Bool, timeout: Duration) {
        self.caseId = caseId
        self.pixit = pixit
        self.variables = [:]
        self.saved = [:]
        self.timeout = timeout
        self.verdict = VerdictRecord(unconfirmed: unconfirmed)
        self.log = []
        self.frames = []
    }

    /// Sets the verdict (TTCN-3 `setverdict`) and logs the reason.
    public mutating func setVerdict(_ verdict: Verdict, _ reason: String) {
        self.verdict.set(verdict, reason: reason)
        log.append("\(verdict): \(reason)")
    }

    /// `value` with every `${name}` reference replaced by a variable or PIXIT value.
    /// Throws the sentence for an `error` verdict when a name is not defined.
    public func resolve(_ value: ParameterValue) throws(UndefinedReference) -> ParameterValue {
        switch value {
        case .reference(let name):
            if let bound = variables[name] { return ParameterValue(json: bound) }
            if let pixitValue = pixit[name] { return ParameterValue(pixit: pixitValue) }
            throw UndefinedReference(name: name)
        case .list(let items):
            var resolved: [ParameterValue] = []
            for item in items { resolved.append(try resolve(item)) }
            return .list(resolved)
        case .map(let pairs):
            var resolved: [(key: String, value: ParameterValue)] = []
            for pair in pairs { resolved.append((pair.key, try resolve(pair.value))) }
            return .map(resolved)
        default:
            return value
        }
    }

    /// The resolved parameter `name` of `step`, or nil when absent.
    public func parameter(_ name: String, of step: Step) throws(UndefinedReference) -> ParameterValue? {
        guard let value = step.parameters[name] else { return nil }
        return try resolve(value)
    }
}

/// A `${name}` that is neither a variable nor a PIXIT value: the profile is incomplete.
public struct UndefinedReference: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var description: String {
        "'${\(name)}' is neither a PIXIT value of the device profile nor a variable set by an earlier step"
    }
}

extension ParameterValue {
    /// A JSON value as a parameter (objects become maps).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .string("")
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(Int(i))
        case .uint(let u): self = u <= UInt64(Int.max) ? .int(Int(u)) : .string(String(u))
        case .double(let d): self = d.rounded() == d && abs(d) < 1e15 ? .int(Int(d)) : .string(String(d))
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(ParameterValue.init(json:)))
        case .object(let members): self = .map(members.map { (key: $0.0, value: ParameterValue(json: $0.1)) })
        }
    }

    /// A PIXIT value as a parameter (a secret gives its text; it never reaches a report).
    public init(pixit: PIXITValue) {
        switch pixit {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .bool(let b): self = .bool(b)
        case .list(let items): self = .list(items.map(ParameterValue.init(pixit:)))
        case .secret(let secret): self = .string(secret.revealText() ?? HexText.format(secret.reveal(), separator: ""))
        }
    }

    /// The value as an integer: an int, or a decimal / `0x` string.
    public var intValue: Int? {
        switch self {
        case .int(let i): i
        case .string(let s): ValueText.integer(s)
        default: nil
        }
    }

    /// The value as text (numbers and booleans spelled out), nil for lists, maps and steps.
    public var textValue: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .bytes(let b): HexText.format(b, separator: " ")
        case .duration(let d): "\(d)"
        default: nil
        }
    }

    /// The value as JSON (for variables).
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(Int64(i))
        case .bool(let b): .bool(b)
        case .bytes(let b): .string(HexText.format(b, separator: ""))
        case .duration(let d): .string("\(d)")
        case .list(let items): .array(items.map(\.json))
        case .map(let pairs): .object(pairs.map { ($0.key, $0.value.json) })
        case .steps, .matchers: .null
        case .reference(let name): .string("${\(name)}")
        }
    }
}
