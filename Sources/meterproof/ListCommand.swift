import ArgumentParser
import Campaign
import CodecSupport
import Conformance
import Foundation

/// `meterproof list suites|cases|faults|steps|pics`.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the suites, cases, simulator faults, step kinds and PICS items this build knows.",
        discussion: """
        WHAT
          suites   every suite under --suites (id, protocol, file, number of cases)
          cases    every case of those suites (id, suite, title, required PICS)
          faults   every simulator fault: protocol, name (as sim:PROTOCOL?faults=NAME and
                   simulate --fault NAME accept it) and what the simulated device then does wrong
          steps    every step kind a suite may use, per protocol, with its parameters
          pics     every PICS item a device profile may declare

        Protocol identifiers are the same everywhere: mbus (wmbus, dlms, c1218, c1222 and cim as \
        they arrive) in TestSuites/ folder names, sim: URLs, decode and list.

        EXAMPLES
          meterproof list faults --format json
          meterproof list cases --suites TestSuites/mbus
        """
    )

    enum What: String, ExpressibleByArgument, CaseIterable {
        case suites, cases, faults, steps, pics
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "suites, cases, faults, steps or pics.")
    var what: What

    @Option(help: "text or json.")
    var format: Format = .text

    @Option(name: .customLong("suites"), help: ArgumentHelp("Suite files or folders for suites and cases.", valueName: "path"))
    var suitePaths: [String] = ["TestSuites"]

    func run() throws {
        let items: [JSONValue]
        let lines: [String]
        switch what {
        case .faults:
            let faults = Catalogue.faults
            items = faults.map { .object([("protocol", .string($0.protocol)), ("name", .string($0.name)), ("description", .string($0.description))]) }
            lines = faults.map { "\($0.protocol)  \($0.name.padding(toLength: 26, withPad: " ", startingAt: 0))\($0.description)" }
        case .suites, .cases:
            let suites: [TestSuite]
            do { suites = try SuiteDiscovery.load(suitePaths, registry: Catalogue.vocabularyRegistry) } catch { throw ToolFailure(error.message) }
            if what == .suites {
                items = suites.map { .object([("id", .string($0.id)), ("protocol", .string($0.protocolName)), ("title", .string($0.title)),
                                              ("path", .string($0.path)), ("cases", .int(Int64($0.cases.count)))]) }
                lines = suites.map { "\($0.id)  \($0.protocolName)  \($0.cases.count) cases  \($0.path)  \($0.title)" }
            } else {
                let cases = suites.flatMap { suite in suite.cases.map { (suite, $0) } }
                items = cases.map { suite, c in .object([
                    ("id", .string(c.id)), ("suite", .string(suite.id)), ("protocol", .string(suite.protocolName)), ("title", .string(c.title)),
                    ("requires", .array(c.requires.map { .string($0.description) })), ("confirmed", .bool(!c.unconfirmed)),
                ]) }
                lines = cases.map { suite, c in "\(c.id)  \(suite.id)  \(c.title)" + (c.requires.isEmpty ? "" : "  [requires \(c.requires.map(\.description).joined(separator: ", "))]") }
            }
        case .steps:
            let registry = Catalogue.vocabularyRegistry
            var all: [(String, StepKind)] = []
            for name in registry.protocolNames { all += registry.stepKinds(for: name).map { (name, $0) } }
            items = all.map { protocolName, kind in .object([
                ("protocol", .string(protocolName)), ("name", .string(kind.name)), ("summary", .string(kind.summary)),
                ("parameters", .array(kind.parameters.map { .object([("name", .string($0.name)), ("type", .string($0.type.description)),
                                                                       ("required", .bool($0.isRequired)), ("summary", .string($0.summary))]) })),
            ]) }
            lines = all.map { protocolName, kind in
                "\(protocolName)  \(kind.name): \(kind.summary)\n" + kind.parameters.map { "      \($0.name)\($0.isRequired ? " (required)" : ""): \($0.type) — \($0.summary)" }.joined(separator: "\n")
            }
        case .pics:
            let picsItems = Catalogue.vocabularies.flatMap { v in v.picsItems.map { (v.protocolName, $0) } }
            items = picsItems.map { .object([("protocol", .string($0.0)), ("name", .string($0.1.name)), ("summary", .string($0.1.summary))]) }
            lines = picsItems.map { "\($0.1.name)  \($0.1.summary)" }
        }
        switch format {
        case .json: print(JSONValue.array(items).serialized(indent: 2))
        case .text: lines.forEach { print($0) }
        }
    }
}
