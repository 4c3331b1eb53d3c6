import Foundation

/// The JSON Schema (draft 2020-12) of `report.json`, shipped as a resource of this module.
public enum ReportSchema {
    /// The schema's file name in a run folder.
    public static let fileName = "report.schema.json"

    /// The schema's `$id`.
    public static let identifier = "urn:meterproof:schema:report:1"

    /// The schema's bytes, as shipped.
    public static func data() throws(ReportsError) -> Data {
        guard let url = Bundle.module.url(forResource: "report.schema", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "report.schema", withExtension: "json")
        else {
            throw ReportsError("the Reports resource bundle has no \(fileName)")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ReportsError("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// The schema as text, to be copied into a run folder as `report.schema.json`.
    public static func text() throws(ReportsError) -> String {
        String(decoding: try data(), as: UTF8.self)
    }
}
