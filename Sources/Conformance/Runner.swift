#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CodecSupport
import Transport

/// What a run executes: suites, the cases selected, the device's PIXIT and the protocol drivers.
public struct RunPlan: Sendable {
    public var suites: [TestSuite]
    /// `--case` globs and the device's PICS.
    public var selection: CaseSelection
    public var pixit: [String: PIXITValue]
    /// Drivers by protocol identifier.
    public var drivers: [String: any ProtocolDriver]

    public init(suites: [TestSuite], selection: CaseSelection, pixit: [String: PIXITValue], drivers: [any ProtocolDriver]) {
        self.suites = suites
        self.selection = selection
        self.pixit = pixit
        self.drivers = Dictionary(drivers.map { ($0.protocolName, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The number of selected cases (applicable or not).
    public var selectedCaseCount: Int {
        suites.reduce(0) { $0 + $1.cases.filter { selection.isSelected($0.id) }.count }
    }
}

/// Progress of a run, for the live line on a terminal.
public enum RunProgress: Sendable {
    /// Case `index` (1-based) of `total` started.
    case caseStarted(index: Int, total: Int, id: String, title: String)
    /// Case `index` ended; `counts` so far.
    case caseFinished(index: Int, total: Int, id: String, verdict: Verdict, notApplicable: Bool, counts: RunReport.Summary)
}

/// What the runner established; the campaign turns it into a `RunReport`.
public struct RunOutcome: Sendable {
    public var suites: [RunReport.SuiteResult]
    /// What the device said about itself.
    public var identity: [String: String]
    /// Whether the run stopped early on request.
    public var interrupted: Bool
    /// Why the harness could not run at all, if so.
    public var harnessError: String?

    /// 130 interrupted; 2 harness error or a case `error`; 1 a case `fail` or `inconc`; else 0.
    /// Not-applicable cases never count.
    public var exitStatus: Int32 {
        if interrupted { return 130 }
        if harnessError != nil { return 2 }
        let verdicts = suites.flatMap(\.cases).filter { !$0.notApplicable }.map(\.verdict)
        if verdicts.contains(.error) { return 2 }
        if verdicts.contains(.fail) || verdicts.contains(.inconc) { return 1 }
        return 0
    }
}

/// Runs suites against one device: cases in order, per-step timeouts, TTCN-3 verdicts, evidence.
///
/// A case that breaks the transport ends `error` and the stream is reopened for the next case;
/// a fail never stops the run. `Interruption` stops it after the current step.
public struct Runner: Sendable {
    /// Opens (or reopens) the stream to the device.
    public typealias Opener = @Sendable () async throws(TransportError) -> any ByteStream

    public let plan: RunPlan
    public let open: Opener
    /// How the transport is named in evidence events.
    public let transportName: String
    public let evidence: EvidenceLog
    public let interruption: Interruption
    public let progress: @Sendable (RunProgress) -> Void

    public init(
        plan: RunPlan, transportName: String, open: @escaping Opener, evidence: EvidenceLog,
        interruption: Interruption = Interruption(), progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) {
        self.plan = plan
        self.transportName = transportName
        self.open = open
        self.evidence = evidence
        self.interruption = interruption
        self.progress = progress
    }

    /// Runs every selected case and returns what happened; never throws.
    public func run() async -> RunOutcome {
        var state = RunState()
        do {
            state.stream = try await open()
            evidence.beginConnection(note: "opened \(transportName)")
        } catch {
            let reason = "the harness could not open \(transportName): \(error)"
            evidence.append(.event, bytes: [], note: reason)
            return RunOutcome(suites: notRun(reason: "not run: \(reason)"), identity: [:], interrupted: false, harnessError: reason)
        }
        let total = plan.selectedCaseCount
        var index = 0
        var counts = RunReport.Summary()
        var suiteResults: [RunReport.SuiteResult] = []
        for suite in plan.suites {
            var caseResults: [RunReport.CaseResult] = []
            for (testCase, applicability) in plan.selection.select(from: suite) {
                index += 1
                progress(.caseStarted(index: index, total: total, id: testCase.id, title: testCase.title))
                let result: RunReport.CaseResult
                if interruption.isRequested { state.interrupted = true }
                if state.interrupted {
                    result = Self.result(of: testCase, verdict: .none, reason: "not run: the run was interrupted")
                } else if case .notApplicable(let reason, _) = applicability {
                    result = Self.result(of: testCase, verdict: .none, reason: "not applicable: \(reason)", notApplicable: true)
                } else {
                    result = await run(testCase, protocolName: suite.protocolName, state: &state)
                }
                caseResults.append(result)
                counts = RunReport.Summary(counting: suiteResults + [RunReport.SuiteResult(id: suite.id, title: suite.title, protocol: suite.protocolName, path: suite.path, cases: caseResults)])
                progress(.caseFinished(index: index, total: total, id: testCase.id, verdict: result.verdict, notApplicable: result.notApplicable, counts: counts))
            }
            suiteResults.append(RunReport.SuiteResult(id: suite.id, title: suite.title, protocol: suite.protocolName, path: suite.path, cases: caseResults))
        }
        evidence.setCase(nil)
        if let stream = state.stream {
            await stream.close()
            evidence.append(.event, bytes: [], note: "closed \(transportName)")
        }
        let identity = state.sessions.values.reduce(state.identity) { $0.merging($1.identity) { _, new in new } }
        return RunOutcome(suites: suiteResults, identity: identity, interrupted: state.interrupted, harnessError: nil)
    }

    private final class RunState {
        var stream: (any ByteStream)?
        var sessions: [String: any ProtocolSession] = [:]
        var identity: [String: String] = [:]
        var interrupted = false
    }

    private func notRun(reason: String) -> [RunReport.SuiteResult] {
        plan.suites.map { suite in
            RunReport.SuiteResult(
                id: suite.id, title: suite.title, protocol: suite.protocolName, path: suite.path,
                cases: plan.selection.select(from: suite).map { Self.result(of: $0.testCase, verdict: .none, reason: reason) })
        }
    }

    static func result(of testCase: TestCase, verdict: Verdict, reason: String?, notApplicable: Bool = false,
                       startedAt: Date? = nil, durationMs: Double = 0, steps: [RunReport.StepResult] = []) -> RunReport.CaseResult {
        RunReport.CaseResult(
            id: testCase.id, title: testCase.title, purpose: testCase.purpose, references: testCase.references,
            usecases: testCase.usecases, requires: testCase.requires.map(\.description), unconfirmed: testCase.unconfirmed,
            verdict: verdict, notApplicable: notApplicable, reason: reason, startedAt: startedAt, durationMs: durationMs,
            location: "\(testCase.location.file):\(testCase.location.line)", steps: steps)
    }

    // MARK: One case

    private func run(_ testCase: TestCase, protocolName: String, state: inout RunState) async -> RunReport.CaseResult {
        let startedAt = Date()
        let start = ContinuousClock.now
        evidence.setCase(testCase.id)
        defer { evidence.setCase(nil) }
        func finish(_ record: VerdictRecord, _ steps: [RunReport.StepResult]) -> RunReport.CaseResult {
            var reason = record.reason
            if record.verdict == .pass {
                let judged = steps.filter { $0.verdict == .pass }
                reason = "\(judged.count) check(s) passed; last: \(judged.last?.reason ?? "")"
            }
            return Self.result(of: testCase, verdict: record.verdict, reason: reason, startedAt: startedAt,
                        durationMs: Self.milliseconds(ContinuousClock.now - start), steps: steps)
        }
        var record = VerdictRecord(unconfirmed: testCase.unconfirmed)
        guard let driver = plan.drivers[protocolName] else {
            record.set(.error, reason: "no driver for protocol '\(protocolName)' is registered")
            return finish(record, [])
        }
        if state.stream == nil {
            do {
                state.stream = try await open()
                evidence.beginConnection(note: "reopened \(transportName)")
            } catch {
                record.set(.error, reason: "the transport could not be reopened after it broke: \(error)")
                return finish(record, [])
            }
        }
        guard let stream = state.stream else { return finish(record, []) }
        let session = state.sessions[protocolName] ?? driver.makeSession(stream: stream, evidence: evidence)
        state.sessions[protocolName] = session

        var execution = CaseExecution(testCase: testCase, pixit: plan.pixit)
        do {
            var context = execution.context(timeout: testCase.defaultStepTimeout)
            try await session.prepareCase(&context)
            execution.absorb(context, into: nil)
            try await runSteps(testCase.steps, prefix: "", session: session, execution: &execution)
        } catch {
            execution.record.set(.error, reason: "the transport broke: \(error)")
            if case .cancelled = error { state.interrupted = true; interruption.request() }
            evidence.append(.event, bytes: [], note: "transport broke: \(error)")
            await stream.close()
            state.identity.merge(session.identity) { _, new in new }
            state.stream = nil
            state.sessions = [:]
        }
        if execution.stoppedByInterruption {
            state.interrupted = true
        }
        record.merge(execution.record)
        if record.verdict == .none, !execution.stoppedByInterruption {
            record.set(.inconc, reason: "no step of the case judged the device (the case sets no verdict)")
        }
        return finish(record, execution.steps)
    }

    /// The state of one case while its steps run.
    private struct CaseExecution {
        let testCase: TestCase
        let pixit: [String: PIXITValue]
        var record: VerdictRecord
        var variables: [String: JSONValue] = [:]
        var saved: [String: JSONValue] = [:]
        var steps: [RunReport.StepResult] = []
        var stopped = false
        var stoppedByInterruption = false
        var executedSteps = 0

        init(testCase: TestCase, pixit: [String: PIXITValue]) {
            self.testCase = testCase
            self.pixit = pixit
            self.record = VerdictRecord(unconfirmed: testCase.unconfirmed)
        }

        func context(timeout: Duration) -> StepContext {
            var context = StepContext(caseId: testCase.id, pixit: pixit, unconfirmed: testCase.unconfirmed, timeout: timeout)
            context.variables = variables
            context.saved = saved
            return context
        }

        mutating func absorb(_ context: StepContext, into step: (index: String, kind: String, line: Int, duration: Duration)?) {
            variables = context.variables
            saved = context.saved
            record.merge(context.verdict)
            if let step {
                steps.append(RunReport.StepResult(
                    index: step.index, kind: step.kind, line: step.line, verdict: context.verdict.verdict,
                    reason: context.verdict.reason, frames: context.frames.map { $0 + 1 }, log: context.log,
                    durationMs: Runner.milliseconds(step.duration)))
            }
            // A step that did not pass leaves later steps without their precondition: stop the case.
            if context.verdict.verdict >= .inconc { stopped = true }
        }
    }

    private func runSteps(_ steps: [Step], prefix: String, session: any ProtocolSession,
                          execution: inout CaseExecution) async throws(TransportError) {
        for (offset, step) in steps.enumerated() {
            if execution.stopped { return }
            let index = prefix + String(offset + 1)
            if interruption.isRequested {
                execution.stopped = true
                execution.stoppedByInterruption = true
                execution.record.set(.inconc, reason: "interrupted before step \(index) (\(step.kind)); the case did not finish")
                return
            }
            let start = ContinuousClock.now
            var context = execution.context(timeout: step.timeout ?? execution.testCase.defaultStepTimeout)
            switch step.kind {
            case GenericSteps.loop.name:
                try await runLoop(step, index: index, session: session, execution: &execution)
                continue
            case GenericSteps.compare.name:
                Self.compare(step, in: &context)
            case GenericSteps.wait.name:
                let duration: Duration
                if case .duration(let d)? = step.parameters["duration"] { duration = d } else { duration = .zero }
                try await session.idle(for: duration, in: &context)
            default:
                do {
                    try await session.execute(step, in: &context)
                } catch {
                    context.setVerdict(.error, "the transport broke during \(step.kind): \(error)")
                    execution.absorb(context, into: (index, step.kind, step.location.line, ContinuousClock.now - start))
                    throw error
                }
            }
            execution.absorb(context, into: (index, step.kind, step.location.line, ContinuousClock.now - start))
        }
    }

    private func runLoop(_ step: Step, index: String, session: any ProtocolSession,
                         execution: inout CaseExecution) async throws(TransportError) {
        var context = execution.context(timeout: .zero)
        let elements: [ParameterValue]
        do {
            switch try context.parameter("over", of: step) {
            case .list(let items)?: elements = items
            case let other?: elements = [other]
            case nil: elements = []
            }
        } catch {
            context.setVerdict(.error, "loop: \(error)")
            execution.absorb(context, into: (index, step.kind, step.location.line, .zero))
            return
        }
        guard case .string(let name)? = step.parameters["as"], case .steps(let body)? = step.parameters["do"] else { return }
        context.log.append("loop over \(elements.count) element(s) as ${\(name)}")
        execution.absorb(context, into: (index, step.kind, step.location.line, .zero))
        for (n, element) in elements.enumerated() {
            if execution.stopped { return }
            execution.variables[name] = element.json
            try await runSteps(body, prefix: "\(index).\(n + 1).", session: session, execution: &execution)
        }
    }

    /// `compare`: `left op right` over resolved values.
    static func compare(_ step: Step, in context: inout StepContext) {
        do {
            guard let left = try context.parameter("left", of: step), let right = try context.parameter("right", of: step) else { return }
            let op = step.parameters["op"]?.textValue ?? "eq"
            let reason = step.parameters["reason"]?.textValue
            let problem: String? = switch op {
            case "eq": FieldMatching.mismatch(field: "left", actual: left.json, expected: right)
            default: FieldMatching.mismatch(field: "left", actual: left.json, expected: .map([(key: op, value: right)]))
            }
            if let problem {
                context.setVerdict(.fail, reason.map { "\($0) (\(problem))" } ?? problem)
            } else {
                context.setVerdict(.pass, "\(FieldMatching.show(left.json)) \(op) \(FieldMatching.show(right.json))")
            }
        } catch {
            context.setVerdict(.error, "compare: \(error)")
        }
    }

    /// A duration in milliseconds, as reports show it.
    public static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }
}
