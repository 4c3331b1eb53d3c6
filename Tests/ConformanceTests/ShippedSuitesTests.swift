import Foundation
import Testing
@testable import Conformance

/// The suites in TestSuites/ load cleanly and meet the issue's size and naming bar.
@Suite("Shipped suites")
struct ShippedSuitesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load(_ relative: String) throws -> TestSuite {
        let path = root.appendingPathComponent(relative).path
        do {
            return try SuiteLoader.load(path: path, registry: StepVocabularyRegistry([MBusVocabulary()]))
        } catch {
            Issue.record("\(relative) does not load:\n\(error.diagnostics.map(\.description).joined(separator: "\n"))")
            throw error
        }
    }

    @Test func linkLayerSuiteLoadsWithAtLeastFifteenCases() throws {
        let suite = try Self.load("TestSuites/mbus/link-layer.yaml")
        #expect(suite.cases.count >= 15)
        #expect(suite.cases.allSatisfy { $0.id.wholeMatch(of: /MBUS_LL_[PN]\d\d/) != nil })
        #expect(suite.cases.allSatisfy { !$0.references.isEmpty && !$0.usecases.isEmpty && !$0.purpose.isEmpty })
    }

    @Test func applicationLayerSuiteLoadsWithAtLeastTenCases() throws {
        let suite = try Self.load("TestSuites/mbus/application-layer.yaml")
        #expect(suite.cases.count >= 10)
        #expect(suite.cases.allSatisfy { $0.id.wholeMatch(of: /MBUS_AL_[PN]\d\d/) != nil })
    }

    @Test func unconfirmedCasesAreGatedByPICS() throws {
        for path in ["TestSuites/mbus/link-layer.yaml", "TestSuites/mbus/application-layer.yaml"] {
            for testCase in try Self.load(path).cases where testCase.unconfirmed || testCase.disputed != nil {
                #expect(!testCase.requires.isEmpty, "\(testCase.id) is unconfirmed or disputed but not PICS-gated")
            }
        }
    }
}
