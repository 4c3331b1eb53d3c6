import Crypto
import Foundation

/// `manifest.sha256`: the SHA-256 of every other file of a run folder, in `sha256sum` format, so
/// `cd RUN && sha256sum -c manifest.sha256` checks the folder.
public enum Manifest {
    /// The file name in a run folder.
    public static let fileName = "manifest.sha256"

    /// One file's digest.
    public struct Entry: Sendable, Equatable {
        /// The path relative to the run folder, with `/` separators.
        public var path: String
        /// Lower-case hex SHA-256.
        public var sha256: String

        /// An entry.
        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }

        /// The `sha256sum` line: `<64 hex>  <path>`; a path with a backslash or a line break is
        /// escaped and the line starts with `\`, as GNU coreutils writes it.
        public var line: String {
            guard path.contains("\\") || path.contains("\n") || path.contains("\r") else { return "\(sha256)  \(path)" }
            let escaped = path.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
            return "\\\(sha256)  \(escaped)"
        }
    }

    /// The digests of every regular file below `folder` except the manifest itself, sorted by
    /// relative path (byte order).
    public static func entries(in folder: URL) throws(ReportsError) -> [Entry] {
        var entries: [Entry] = []
        for path in try relativePaths(in: folder) where path != fileName {
            let url = folder.appendingPathComponent(path)
            entries.append(Entry(path: path, sha256: try digest(of: url)))
        }
        return entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// The manifest text for `entries`.
    public static func render(_ entries: [Entry]) -> String {
        entries.map { $0.line + "\n" }.joined()
    }

    /// Writes `manifest.sha256` into `folder`, covering every other file there; returns the entries.
    @discardableResult
    public static func write(in folder: URL) throws(ReportsError) -> [Entry] {
        let entries = try entries(in: folder)
        let url = folder.appendingPathComponent(fileName)
        do {
            try Data(render(entries).utf8).write(to: url, options: .atomic)
        } catch {
            throw ReportsError("cannot write \(url.path): \(error.localizedDescription)")
        }
        return entries
    }

    /// Lower-case hex SHA-256 of a file, read in 1 MiB pieces (captures can be large).
    public static func digest(of url: URL) throws(ReportsError) -> String {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
            return hasher.finalize().map { byte in
                let hex = String(byte, radix: 16)
                return byte < 0x10 ? "0" + hex : hex
            }.joined()
        } catch {
            throw ReportsError("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// Relative paths of the regular files below `folder` (symbolic links are not followed).
    private static func relativePaths(in folder: URL) throws(ReportsError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportsError("\(folder.path) is not a folder")
        }
        var paths: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw ReportsError("cannot list \(directory.path): \(error.localizedDescription)")
            }
            for name in names {
                let path = relative.isEmpty ? name : relative + "/" + name
                let attributes = try? manager.attributesOfItem(atPath: folder.appendingPathComponent(path).path)
                switch attributes?[.type] as? FileAttributeType {
                case .typeRegular?: paths.append(path)
                case .typeDirectory?: pending.append(path)
                default: continue
                }
            }
        }
        return paths
    }
}
