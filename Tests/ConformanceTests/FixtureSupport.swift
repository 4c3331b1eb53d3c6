import Foundation
@testable import Conformance

enum Fixture {
    static func path(_ relative: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(relative).path
    }

    static let registry = StepVocabularyRegistry([MBusVocabulary()])

    /// The diagnostics of a fixture that must be rejected.
    static func rejection(_ name: String) -> [LoadDiagnostic] {
        do {
            _ = try SuiteLoader.load(path: path("suites/\(name).yaml"), registry: registry)
            return []
        } catch {
            return error.diagnostics
        }
    }
}
