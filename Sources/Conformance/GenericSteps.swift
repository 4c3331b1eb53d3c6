/// Steps the engine offers to every protocol: `loop`, `compare`, `wait`, `expect_silence`.
public enum GenericSteps {
    /// Repeats a body of steps for each element of a list, binding it to a variable.
    public static let loop = StepKind(
        name: "loop",
        summary: "Runs `do` once for every element of `over`, with `${as}` bound to the element.",
        parameters: [
            ParameterSpec("over", .list, required: true, "The elements: a YAML list, or a `${…}` PIXIT list."),
            ParameterSpec("as", .string, required: true, "The variable name the body refers to as `${name}`."),
            ParameterSpec("do", .steps, required: true, "The body."),
        ]
    )

    /// Compares two values, giving `fail` with both values when the comparison does not hold.
    public static let compare = StepKind(
        name: "compare",
        summary: "Checks `left op right`; values may be `${…}` references to earlier `read_value` results or PIXIT.",
        parameters: [
            ParameterSpec("left", .any, required: true, "The observed value."),
            ParameterSpec("right", .any, required: true, "The expected value."),
            ParameterSpec("op", .oneOfWords(["eq", "ne", "lt", "le", "gt", "ge"]), "The comparison; `eq` when absent."),
            ParameterSpec("reason", .string, "Words for the verdict when the comparison fails."),
        ]
    )

    /// Waits without checking anything.
    public static let wait = StepKind(
        name: "wait",
        summary: "Waits for `duration`; anything received meanwhile is recorded, not judged.",
        parameters: [ParameterSpec("duration", .duration, required: true, "How long to wait.")]
    )

    /// Expects nothing to be received for a duration.
    public static let expectSilence = StepKind(
        name: "expect_silence",
        summary: "Gives `fail` if any byte arrives within `duration`.",
        parameters: [ParameterSpec("duration", .duration, required: true, "How long the line must stay silent.")]
    )

    /// All generic step kinds.
    public static let all: [StepKind] = [loop, compare, wait, expectSilence]
}
