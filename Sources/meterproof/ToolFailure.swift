import ArgumentParser
import Foundation

/// A failure of the command itself (exit status 2), printed without a stack trace.
struct ToolFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Prints a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension ToolFailure: LocalizedError {
    var errorDescription: String? { description }
}
