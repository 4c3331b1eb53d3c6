/// Whether a case applies to a device, and which cases a run selects.
public enum Applicability: Sendable, Hashable {
    case applicable
    /// The case's `requires` are not met; `unmet` lists the failing terms.
    case notApplicable(reason: String, unmet: [PICSRequirement])

    /// The outcome for a case that is not applicable; nil when applicable.
    public var outcome: CaseOutcome? {
        if case .notApplicable(let reason, _) = self { return .notApplicable(reason: reason) }
        return nil
    }
}

/// Case selection: `--case` globs first, then applicability to the device's PICS.
public struct CaseSelection: Sendable {
    /// `--case` globs (`*` any run, `?` one character); empty selects every case.
    public var caseGlobs: [String]
    /// The device's declared PICS.
    public var pics: [String: Bool]

    public init(caseGlobs: [String] = [], pics: [String: Bool]) {
        self.caseGlobs = caseGlobs
        self.pics = pics
    }

    /// Whether `--case` selects `id`.
    public func isSelected(_ id: String) -> Bool {
        caseGlobs.isEmpty || caseGlobs.contains { Self.glob($0, matches: id) }
    }

    /// Whether `testCase` applies, naming every unmet PICS term.
    public func applicability(of testCase: TestCase) -> Applicability {
        let unmet = testCase.requires.filter { !$0.isMet(by: pics) }
        guard !unmet.isEmpty else { return .applicable }
        let words = unmet.map { requirement in
            requirement.negated
                ? "\(requirement.item) is declared true"
                : (pics[requirement.item] == nil ? "\(requirement.item) is not declared" : "\(requirement.item) is declared false")
        }
        return .notApplicable(reason: "requires " + unmet.map(\.description).joined(separator: ", ") + "; " + words.joined(separator: ", "), unmet: unmet)
    }

    /// The selected cases of `suite`, in order, each with its applicability.
    public func select(from suite: TestSuite) -> [(testCase: TestCase, applicability: Applicability)] {
        suite.cases.filter { isSelected($0.id) }.map { ($0, applicability(of: $0)) }
    }

    /// Shell-style glob: `*` any run of characters, `?` one character, everything else literal.
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
