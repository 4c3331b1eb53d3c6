import Foundation
import Conformance

/// Finds and loads suites: files as given, folders searched for `*.yaml` (sorted, recursively).
public enum SuiteDiscovery {
    /// The suite files `paths` name, in a stable order.
    public static func files(_ paths: [String]) throws(CampaignError) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CampaignError("suite path \(path) does not exist")
            }
            if isDirectory.boolValue {
                guard let enumerator = manager.enumerator(atPath: path) else { throw CampaignError("cannot list \(path)") }
                let found = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                if found.isEmpty { throw CampaignError("no *.yaml suite in \(path)") }
                files += found.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Loads every suite; all load errors are collected into one message (file:line:column each).
    public static func load(_ paths: [String], registry: StepVocabularyRegistry) throws(CampaignError) -> [TestSuite] {
        var suites: [TestSuite] = []
        var problems: [String] = []
        for file in try files(paths) {
            do {
                suites.append(try SuiteLoader.load(path: file, registry: registry))
            } catch {
                problems += error.diagnostics.map(\.description)
            }
        }
        if !problems.isEmpty {
            throw CampaignError("the suites have errors; nothing was sent to the device:\n" + problems.joined(separator: "\n"))
        }
        var seen: [String: String] = [:]
        for suite in suites {
            if let other = seen[suite.id] { throw CampaignError("suite id '\(suite.id)' is used by both \(other) and \(suite.path)") }
            seen[suite.id] = suite.path
        }
        return suites
    }
}
