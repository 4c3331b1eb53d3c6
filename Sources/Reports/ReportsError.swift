/// Why a run folder's reports could not be read or written; `description` names the file.
public struct ReportsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in one line that names the path.
    public let description: String

    /// Wraps a message.
    public init(_ description: String) {
        self.description = description
    }
}
