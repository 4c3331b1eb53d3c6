import CodecSupport
import Conformance
import Foundation
@testable import Reports
import Testing

/// report.json against report.schema.json with an independent validator (Python `jsonschema`,
/// Draft202012Validator), and the encode → decode round trip.
@Suite("report.json and its schema")
struct ReportSchemaTests {
    /// Validates each JSON file against the schema; prints one JSON line per file with its errors.
    static let validatorScript = """
    import json, sys
    import jsonschema
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            instance = json.load(f)
        errors = ["/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in validator.iter_errors(instance)]
        print(json.dumps({"file": path, "errors": errors}))
    """

    struct Outcome: Decodable {
        var file: String
        var errors: [String]
    }

    /// Validates `documents` (name → JSON bytes) against `schema` (by default the shipped
    /// report.schema.json) and returns the errors per name.
    static func validate(_ documents: [(String, Data)], schema: Data? = nil) async throws -> [String: [String]] {
        let python = try #require(ExternalTool.jsonschema.path)
        let folder = try makeTemporaryFolder("schema")
        defer { try? FileManager.default.removeItem(at: folder) }
        let schemaURL = folder.appendingPathComponent(ReportSchema.fileName)
        try (schema ?? ReportSchema.data()).write(to: schemaURL)
        let scriptURL = folder.appendingPathComponent("validate.py")
        try validatorScript.write(to: scriptURL, atomically: true, encoding: .utf8)
        var paths: [String: String] = [:]
        for (name, data) in documents {
            let url = folder.appendingPathComponent("\(name).json")
            try data.write(to: url)
            paths[url.path] = name
        }
        let result = try await ToolProcess.run(python, [scriptURL.path, schemaURL.path] + documents.map { folder.appendingPathComponent("\($0.0).json").path },
                                         timeout: 120)
        try #require(result.status == 0 && !result.timedOut, "validator failed: \(result.stderr)")
        var errors: [String: [String]] = [:]
        for line in result.stdout.split(separator: "\n") {
            let outcome = try JSONDecoder().decode(Outcome.self, from: Data(line.utf8))
            errors[paths[outcome.file] ?? outcome.file] = outcome.errors
        }
        return errors
    }

    /// `report.json` with one change made to its JSON tree.
    static func mutated(_ data: Data, _ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test("report.json validates; broken reports do not",
          .enabled(if: ExternalTool.jsonschema.shouldRun, ExternalTool.jsonschema.skipComment))
    func validatesAgainstTheSchema() async throws {
        guard ExternalTool.jsonschema.available() else { return }
        let good = try SampleReport.make().encodedJSON()
        let plain = try SampleReport.make(interrupted: false, harnessError: "could not open /dev/ttyUSB0").encodedJSON()
        var noFrames = SampleReport.make()
        noFrames.frames = []
        noFrames.device.profile = nil
        let broken: [(String, Data)] = [
            ("missing-run-id", try Self.mutated(good) { $0.removeValue(forKey: "run_id") }),
            ("wrong-verdict", try Self.mutated(good) { root in
                var suites = root["suites"] as! [[String: Any]]
                var cases = suites[0]["cases"] as! [[String: Any]]
                cases[0]["verdict"] = "passed"
                suites[0]["cases"] = cases
                root["suites"] = suites
            }),
            ("wrong-type", try Self.mutated(good) { root in
                var summary = root["summary"] as! [String: Any]
                summary["total"] = "7"
                root["summary"] = summary
            }),
            ("unknown-field", try Self.mutated(good) { $0["colour"] = "red" }),
            ("wrong-direction", try Self.mutated(good) { root in
                var frames = root["frames"] as! [[String: Any]]
                frames[1]["direction"] = "sideways"
                root["frames"] = frames
            }),
            ("bad-date", try Self.mutated(good) { $0["started_at"] = "yesterday" }),
        ]
        let errors = try await Self.validate([("good", good), ("plain", plain), ("no-frames", try noFrames.encodedJSON())] + broken)
        #expect(errors["good"] == [], "\(errors["good"] ?? [])")
        #expect(errors["plain"] == [], "\(errors["plain"] ?? [])")
        #expect(errors["no-frames"] == [], "\(errors["no-frames"] ?? [])")
        for (name, _) in broken {
            let found = errors[name] ?? []
            #expect(!found.isEmpty, "\(name) should not validate")
        }
        #expect(errors["missing-run-id"]?.contains { $0.contains("'run_id' is a required property") } == true)
        #expect(errors["wrong-verdict"]?.contains { $0.hasPrefix("suites/0/cases/0/verdict") } == true)
        #expect(errors["wrong-type"]?.contains { $0.hasPrefix("summary/total") } == true)
    }

    @Test("the schema's required fields are exactly what the encoder always writes")
    func requiredFieldsMatchTheEncoder() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: ReportSchema.data()) as? [String: Any])
        let written = try #require(try JSONSerialization.jsonObject(with: SampleReport.make().encodedJSON()) as? [String: Any])
        let required = Set(try #require(schema["required"] as? [String]))
        let properties = Set(try #require((schema["properties"] as? [String: Any])?.keys.map { $0 }))
        #expect(required.isSubset(of: Set(written.keys)))
        #expect(Set(written.keys).isSubset(of: properties))
        #expect(properties.subtracting(required) == ["harness_error"])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let caseProperties = Set(try #require(((defs["case"] as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 }))
        let writtenCase = try #require(((written["suites"] as? [[String: Any]])?.first?["cases"] as? [[String: Any]])?.first)
        #expect(Set(writtenCase.keys).isSubset(of: caseProperties))
    }

    @Test("encode → decode gives the same report (decoded frame keys kept exactly, in sorted order)")
    func roundTrip() throws {
        for report in [SampleReport.make(), SampleReport.make(interrupted: false, harnessError: "x")] {
            let data = try report.encodedJSON()
            let back = try RunReport.decode(json: data)
            #expect(back == report.withSortedFrameKeys)
            #expect(try back.encodedJSON() == data)
        }
    }

    @Test("RunReport.decode(json:) keeps snake_case keys inside decoded frames")
    func plainDecodeKeepsFrameKeys() throws {
        let report = SampleReport.make()
        let back = try RunReport.decode(json: report.encodedJSON())
        // Decoded trees keep their snake_case keys (JSONValue objects are dictionaries, which
        // key strategies leave alone); only their key order becomes sorted.
        #expect(back == report.withSortedFrameKeys)
        #expect(back.frames[4].decoded?["checksum_ok"] == .bool(true))
    }

    @Test("the schema resource is valid JSON with the draft 2020-12 dialect")
    func schemaResource() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: ReportSchema.data()) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(try ReportSchema.text().contains("\"additionalProperties\": false"))
    }
}
