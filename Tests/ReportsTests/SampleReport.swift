import CodecSupport
import Conformance
import Foundation
import Reports

/// A realistic run built in code: two suites, every outcome (pass, inconc, fail, error, not
/// applicable, not run), an unconfirmed case, frames with decoded JSON, an event and a frame that
/// does not decode, and text with markup characters, control characters and non-ASCII.
enum SampleReport {
    /// Markup and quoting characters every writer must escape.
    static let nasty = "<script>alert('x')</script> & \"quoted\" 'single'"
    /// A control character XML 1.0 forbids, and non-ASCII text.
    static let control = "bell\u{07}, escape\u{1B}, null\u{00} at 21.5 °C — Zähler"

    /// Times in whole eighths of a second, so they survive ISO 8601 with milliseconds exactly.
    static let t0 = Date(timeIntervalSince1970: 1_795_602_900.125)
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// The decoded RSP_UD of frame 4: snake_case keys, as the M-Bus codec writes them.
    static let decodedResponse: JSONValue = .object([
        ("frame", .string("long")),
        ("c", .object([("value", .int(8)), ("c_name", .string("RSP_UD"))])),
        ("a", .int(5)),
        ("ci", .int(0x72)),
        ("records", .array([
            .object([("quantity", .string("flow temperature")), ("value", .double(21.5)), ("unit", .string("°C"))]),
            .object([("quantity", .string("energy")), ("value", .int(123_456)), ("unit", .string("Wh")), ("storage", .int(0))]),
        ])),
        ("checksum_ok", .bool(true)),
        ("manufacturer_data", .null),
    ])

    static let frames: [RunReport.FrameRecord] = [
        .init(number: 1, time: at(0.125), offsetMs: 125, direction: .event, hex: "", caseId: "MBUS_LL_P01",
              note: "connection opened: sim:mbus (2400 8E1)"),
        .init(number: 1, time: at(0.25), offsetMs: 250, direction: .toDevice, hex: "10 40 05 45 16",
              decoded: .object([("frame", .string("short")), ("c", .object([("c_name", .string("SND_NKE"))])), ("a", .int(5))]),
              caseId: "MBUS_LL_P01"),
        .init(number: 2, time: at(0.375), offsetMs: 375, direction: .fromDevice, hex: "E5",
              decoded: .object([("frame", .string("ack"))]), caseId: "MBUS_LL_P01"),
        .init(number: 3, time: at(1.5), offsetMs: 1500, direction: .toDevice, hex: "10 5B 05 60 16", caseId: "MBUS_AL_P03"),
        .init(number: 4, time: at(1.625), offsetMs: 1625, direction: .fromDevice,
              hex: "68 0A 0A 68 08 05 72 78 56 34 12 24 40 01 07 00 55 16", decoded: decodedResponse, caseId: "MBUS_AL_P03"),
        .init(number: 5, time: at(2.5), offsetMs: 2500, direction: .fromDevice, hex: "68 03 03 68 08 05 72 80 17",
              decodeError: "checksum 0x80 at offset 7, expected 0x7F", redacted: true, caseId: "MBUS_LL_N02"),
    ]

    static func step(_ index: String, _ kind: String, _ verdict: Verdict, reason: String? = nil, frames: [Int] = [],
                     log: [String] = [], line: Int = 10) -> RunReport.StepResult {
        .init(index: index, kind: kind, line: line, verdict: verdict, reason: reason, frames: frames, log: log, durationMs: 12.5)
    }

    static let linkLayer = RunReport.SuiteResult(
        id: "mbus-link-layer", title: "M-Bus link layer", protocol: "mbus", path: "TestSuites/mbus/link-layer.yaml",
        cases: [
            .init(id: "MBUS_LL_P01", title: "SND_NKE is acknowledged with E5", purpose: "The meter resets its link on SND_NKE.",
                  references: [Reference(standard: "EN 13757-2", clause: "5.7.2", source: "fact sheet mbus.md §1.5")],
                  usecases: ["M/441 F1 remote reading"], requires: [], unconfirmed: false, verdict: .pass, notApplicable: false,
                  reason: nil, startedAt: at(0.125), durationMs: 250, location: "TestSuites/mbus/link-layer.yaml:12",
                  steps: [step("1", "send_frame", .pass, frames: [1], log: ["sent SND_NKE to 5"]),
                          step("2", "expect_frame", .pass, frames: [2], log: ["received E5 after 125 ms", "see https://example.org/doc (text, not a link)"])]),
            .init(id: "MBUS_LL_N02", title: "Corrupted checksum \(nasty)", purpose: "A frame with a wrong checksum is ignored.",
                  references: [Reference(standard: "EN 13757-2", source: "libmbus mbus_frame_verify")],
                  usecases: [], requires: ["mbus.checksum"], unconfirmed: false, verdict: .fail, notApplicable: false,
                  reason: "The meter answered a frame whose checksum was wrong | \(nasty) | \(control)",
                  startedAt: at(2.25), durationMs: 500, location: "TestSuites/mbus/link-layer.yaml:40",
                  steps: [step("1", "send_frame", .pass, frames: [], log: ["sent corrupted REQ_UD2"]),
                          step("2", "expect_silence", .fail, reason: "answered within 330 bit times: \(control)", frames: [5],
                               log: ["log line with <tag> & \(control)"])]),
            .init(id: "MBUS_LL_P07", title: "FCB toggles", purpose: "Repeated REQ_UD2 with the same FCB is answered again.",
                  references: [Reference(standard: "EN 13757-2", clause: "5.5", source: "fact sheet mbus.md §1.3")],
                  usecases: ["M/441 F1 remote reading"], requires: [], unconfirmed: true, verdict: .inconc, notApplicable: false,
                  reason: "no public source confirms the repeat rule; the meter did not repeat its answer",
                  startedAt: at(3), durationMs: 1000, location: "TestSuites/mbus/link-layer.yaml:60",
                  steps: [step("1", "send_frame", .pass), step("2", "expect_frame", .inconc, reason: "no answer in 500 ms")]),
            .init(id: "MBUS_LL_P09", title: "Secondary addressing selects the meter", purpose: "SND_UD to FD selects by id.",
                  references: [Reference(standard: "EN 13757-3", clause: "11.5", source: "fact sheet mbus.md §8.10")],
                  usecases: [], requires: ["mbus.secondary_addressing"], unconfirmed: false, verdict: .none, notApplicable: true,
                  reason: "requires mbus.secondary_addressing, which the device's PICS declares false",
                  startedAt: nil, durationMs: 0, location: "TestSuites/mbus/link-layer.yaml:80", steps: []),
        ])

    static let applicationLayer = RunReport.SuiteResult(
        id: "mbus-application-layer", title: "M-Bus application layer", protocol: "mbus",
        path: "TestSuites/mbus/application-layer.yaml",
        cases: [
            .init(id: "MBUS_AL_P03", title: "RSP_UD carries flow temperature in °C", purpose: "Variable data records decode.",
                  references: [Reference(standard: "EN 13757-3", clause: "6.3", source: "fact sheet mbus.md §2")],
                  usecases: ["M/441 F1 remote reading", "ETSI TR 102 691 §6.2"], requires: [], unconfirmed: false, verdict: .pass,
                  notApplicable: false, reason: nil, startedAt: at(1.5), durationMs: 125,
                  location: "TestSuites/mbus/application-layer.yaml:9",
                  steps: [step("1", "send_frame", .pass, frames: [3]),
                          step("2", "check_telegram", .pass, frames: [4], log: ["flow temperature 21.5 °C"]),
                          step("2.1", "expect_value", .pass, log: ["energy 123456 Wh"])]),
            .init(id: "MBUS_AL_E01", title: "Transport broke", purpose: "Reading after a baud switch.",
                  references: [], usecases: [], requires: [], unconfirmed: false, verdict: .error, notApplicable: false,
                  reason: "transport error: the serial device went away (POLLHUP)", startedAt: at(4), durationMs: 2000,
                  location: "TestSuites/mbus/application-layer.yaml:30",
                  steps: [step("1", "switch_baud", .error, reason: "device gone")]),
            .init(id: "MBUS_AL_P04", title: "Not reached", purpose: "Not reached before the interruption.",
                  references: [], usecases: [], requires: [], unconfirmed: false, verdict: .none, notApplicable: false,
                  reason: "not run: interrupted", startedAt: nil, durationMs: 0,
                  location: "TestSuites/mbus/application-layer.yaml:50", steps: []),
            .init(id: "MBUS_AL_P05", title: "Also not reached", purpose: "Reason left out on purpose.",
                  references: [], usecases: [], requires: [], unconfirmed: false, verdict: .none, notApplicable: false,
                  reason: nil, startedAt: nil, durationMs: 0,
                  location: "TestSuites/mbus/application-layer.yaml:60", steps: []),
        ])

    /// The run, interrupted (it has not-run cases) or not.
    static func make(interrupted: Bool = true, harnessError: String? = nil) -> RunReport {
        var suites = [linkLayer, applicationLayer]
        if !interrupted {
            suites[1].cases.removeAll { $0.outcome == .notRun }
        }
        return RunReport(
            tool: .init(version: "0.2.0"), runId: "20261125-101500-mbus", startedAt: t0, finishedAt: at(6.5),
            interrupted: interrupted, exitStatus: interrupted ? 130 : 2, harnessError: harnessError,
            device: .init(profile: "bench/heat-meter.device.yaml", transport: "serial:///dev/ttyUSB0?baud=2400&parity=even",
                          identity: ["manufacturer": "ABC", "id": "12345678", "medium": "heat (outlet) \(nasty)"],
                          pics: ["mbus.checksum": true, "mbus.secondary_addressing": false],
                          pixit: ["primary_address": "5", "password": "***", "note": control]),
            summary: RunReport.Summary(counting: suites), suites: suites, frames: frames)
    }

    /// Every case with its suite id.
    static func cases(of report: RunReport) -> [RunReport.CaseResult] {
        report.suites.flatMap(\.cases)
    }
}

extension RunReport {
    /// The report with every decoded object's keys sorted, as decoding `report.json` gives them
    /// (`JSONValue` objects decoded through `Codable` keep their keys sorted; CodecSupport documents this).
    var withSortedFrameKeys: RunReport {
        var copy = self
        for index in copy.frames.indices {
            copy.frames[index].decoded = copy.frames[index].decoded.map(Self.sortingKeys)
        }
        return copy
    }

    private static func sortingKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case let .object(members): .object(members.map { ($0.0, sortingKeys($0.1)) }.sorted { $0.0 < $1.0 })
        case let .array(items): .array(items.map(sortingKeys))
        default: value
        }
    }
}
