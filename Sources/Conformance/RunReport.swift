#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CodecSupport

/// Everything a run established: the source of truth `report.json` is written from, and the only
/// input `meterproof report` needs to regenerate the other report files.
///
/// JSON keys are snake_case (`JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`); the schema is
/// `Sources/Reports/Resources/report.schema.json` (copied into every run folder). Secrets never
/// reach this value: PIXIT secrets are `***`.
public struct RunReport: Sendable, Codable, Equatable {
    /// The version of this structure; bumped when a field changes meaning or disappears.
    public static let currentSchemaVersion = 1

    /// `currentSchemaVersion` when written.
    public var schemaVersion: Int
    /// What produced the report.
    public var tool: ToolInfo
    /// The run folder's name, e.g. `20261125-101500-mbus`.
    public var runId: String
    /// `run` for a conformance run (later also `analyze`).
    public var kind: String
    /// When the run started and ended (wall clock).
    public var startedAt: Date
    public var finishedAt: Date
    /// Whether Ctrl-C (SIGINT) or SIGTERM ended the run early; the cases not reached are listed
    /// with verdict `none` and the reason "not run: interrupted".
    public var interrupted: Bool
    /// The process exit status the run ended with (0, 1, 2 or 130).
    public var exitStatus: Int
    /// Why the harness could not run at all (the device could not be opened …), when that happened.
    public var harnessError: String?
    /// The device under test.
    public var device: DeviceInfo
    /// Counts over all cases.
    public var summary: Summary
    /// Results per suite, in run order.
    public var suites: [SuiteResult]
    /// Every frame and transport event of the run, in order; `number` is the packet number in `capture.pcapng`.
    public var frames: [FrameRecord]

    public init(
        schemaVersion: Int = RunReport.currentSchemaVersion, tool: ToolInfo, runId: String, kind: String = "run",
        startedAt: Date, finishedAt: Date, interrupted: Bool, exitStatus: Int, harnessError: String? = nil,
        device: DeviceInfo, summary: Summary, suites: [SuiteResult], frames: [FrameRecord]
    ) {
        self.schemaVersion = schemaVersion
        self.tool = tool
        self.runId = runId
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.interrupted = interrupted
        self.exitStatus = exitStatus
        self.harnessError = harnessError
        self.device = device
        self.summary = summary
        self.suites = suites
        self.frames = frames
    }

    /// Name and version of the tool.
    public struct ToolInfo: Sendable, Codable, Equatable {
        public var name: String
        public var version: String
        public init(name: String = "meterproof", version: String) {
            self.name = name
            self.version = version
        }
    }

    /// The device under test as the run saw it.
    public struct DeviceInfo: Sendable, Codable, Equatable {
        /// The profile file, or nil for `--target`.
        public var profile: String?
        /// The transport URL.
        public var transport: String
        /// What the device said about itself (e.g. `manufacturer`, `id`, `version`, `medium` from
        /// the first RSP_UD); empty when it said nothing.
        public var identity: [String: String]
        /// Declared PICS items.
        public var pics: [String: Bool]
        /// PIXIT values as text; secrets are `***` unless `--include-secrets` was given.
        public var pixit: [String: String]

        public init(profile: String?, transport: String, identity: [String: String], pics: [String: Bool], pixit: [String: String]) {
            self.profile = profile
            self.transport = transport
            self.identity = identity
            self.pics = pics
            self.pixit = pixit
        }
    }

    /// Verdict counts. `notApplicable` cases are counted apart and never in `total`'s verdicts.
    public struct Summary: Sendable, Codable, Equatable {
        /// All cases, applicable or not.
        public var total: Int
        public var pass: Int
        public var inconc: Int
        public var fail: Int
        public var error: Int
        /// Cases not run (verdict `none`: interrupted before they started).
        public var none: Int
        public var notApplicable: Int

        public init(total: Int = 0, pass: Int = 0, inconc: Int = 0, fail: Int = 0, error: Int = 0, none: Int = 0, notApplicable: Int = 0) {
            self.total = total
            self.pass = pass
            self.inconc = inconc
            self.fail = fail
            self.error = error
            self.none = none
            self.notApplicable = notApplicable
        }

        /// Counts the cases of `suites`.
        public init(counting suites: [SuiteResult]) {
            self.init()
            for testCase in suites.flatMap(\.cases) {
                total += 1
                if testCase.notApplicable { notApplicable += 1; continue }
                switch testCase.verdict {
                case .none: none += 1
                case .pass: pass += 1
                case .inconc: inconc += 1
                case .fail: fail += 1
                case .error: error += 1
                }
            }
        }
    }

    /// One suite's results.
    public struct SuiteResult: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        /// Protocol identifier (`mbus`, …).
        public var `protocol`: String
        /// The suite file as given on the command line.
        public var path: String
        public var cases: [CaseResult]

        public init(id: String, title: String, protocol: String, path: String, cases: [CaseResult]) {
            self.id = id
            self.title = title
            self.protocol = `protocol`
            self.path = path
            self.cases = cases
        }
    }

    /// One case's result.
    public struct CaseResult: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var purpose: String
        public var references: [Reference]
        public var usecases: [String]
        /// The PICS terms as written (`mbus.secondary_addressing`, `not mbus.fixed_data_structure`).
        public var requires: [String]
        /// Whether no public source confirms the behaviour (fail is capped to inconc).
        public var unconfirmed: Bool
        /// The verdict (`none` when not applicable or not reached).
        public var verdict: Verdict
        /// True when `requires` were not met; `reason` says which.
        public var notApplicable: Bool
        /// Why the case ended as it did, in words a vendor understands.
        public var reason: String?
        /// When the case started, and how long it took, in milliseconds.
        public var startedAt: Date?
        public var durationMs: Double
        /// Where the case is written (`file:line`).
        public var location: String
        /// The steps as executed (loop bodies expanded), in order.
        public var steps: [StepResult]

        public init(
            id: String, title: String, purpose: String, references: [Reference], usecases: [String], requires: [String],
            unconfirmed: Bool, verdict: Verdict, notApplicable: Bool, reason: String?, startedAt: Date?, durationMs: Double,
            location: String, steps: [StepResult]
        ) {
            self.id = id
            self.title = title
            self.purpose = purpose
            self.references = references
            self.usecases = usecases
            self.requires = requires
            self.unconfirmed = unconfirmed
            self.verdict = verdict
            self.notApplicable = notApplicable
            self.reason = reason
            self.startedAt = startedAt
            self.durationMs = durationMs
            self.location = location
            self.steps = steps
        }
    }

    /// One executed step.
    public struct StepResult: Sendable, Codable, Equatable {
        /// Position: `3`, or `2.1` for the first body step of a loop at step 2 (1-based).
        public var index: String
        /// The step kind, e.g. `expect_frame`.
        public var kind: String
        /// The step's line in the suite file.
        public var line: Int
        public var verdict: Verdict
        public var reason: String?
        /// Packet numbers in `capture.pcapng` (and `frames[].number`) of what the step sent and received.
        public var frames: [Int]
        /// What the step did, line by line.
        public var log: [String]
        public var durationMs: Double

        public init(index: String, kind: String, line: Int, verdict: Verdict, reason: String?, frames: [Int], log: [String], durationMs: Double) {
            self.index = index
            self.kind = kind
            self.line = line
            self.verdict = verdict
            self.reason = reason
            self.frames = frames
            self.log = log
            self.durationMs = durationMs
        }
    }

    /// One frame (or transport event) of the run.
    public struct FrameRecord: Sendable, Codable, Equatable {
        /// Which way, or what.
        public enum Direction: String, Sendable, Codable {
            /// Harness → device.
            case toDevice = "to_device"
            /// Device → harness.
            case fromDevice = "from_device"
            /// A transport event without bytes (line settings changed, connection opened/closed, echo mismatch).
            case event
        }

        /// Packet number in `capture.pcapng` (1-based); events carried as packet comments share
        /// the number of the packet they annotate, or are 0 when none follows.
        public var number: Int
        public var time: Date
        /// Milliseconds since the run started.
        public var offsetMs: Double
        public var direction: Direction
        /// The bytes as upper-case hex with spaces (redacted bytes already replaced).
        public var hex: String
        /// The codec's decoding (the `decode … --format json` fields), when the bytes decode.
        public var decoded: JSONValue?
        /// Why the bytes do not decode (with the offset), when they do not.
        public var decodeError: String?
        /// Whether secret bytes in this frame were overwritten with filler.
        public var redacted: Bool
        /// The case during which it happened.
        public var caseId: String?
        /// For events: what happened.
        public var note: String?

        public init(
            number: Int, time: Date, offsetMs: Double, direction: Direction, hex: String, decoded: JSONValue? = nil,
            decodeError: String? = nil, redacted: Bool = false, caseId: String? = nil, note: String? = nil
        ) {
            self.number = number
            self.time = time
            self.offsetMs = offsetMs
            self.direction = direction
            self.hex = hex
            self.decoded = decoded
            self.decodeError = decodeError
            self.redacted = redacted
            self.caseId = caseId
            self.note = note
        }
    }
}

extension RunReport {
    /// The encoder `report.json` is written with: snake_case keys, ISO 8601 dates with
    /// milliseconds, sorted keys, pretty-printed.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RunReport.timestamp(date))
        }
        return encoder
    }

    /// ISO 8601 in UTC with milliseconds, rounded to the nearest (not truncated, so a date read back
    /// from report.json prints as it was written): `2026-11-25T10:15:00.123Z`.
    public static func timestamp(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000).rounded()
        guard millis.isFinite, abs(millis) < 1e15 else { return date.formatted(Date.ISO8601FormatStyle()) }
        let seconds = (millis / 1000).rounded(.down)
        let fraction = String(Int(millis - seconds * 1000))
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        guard whole.hasSuffix("Z") else { return whole }
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    /// The decoder matching `makeEncoder()`.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return decoder
    }

    /// `report.json`'s bytes.
    public func encodedJSON() throws -> Data {
        try Self.makeEncoder().encode(self)
    }

    /// Reads `report.json`'s bytes.
    public static func decode(json data: Data) throws -> RunReport {
        try makeDecoder().decode(RunReport.self, from: data)
    }
}
