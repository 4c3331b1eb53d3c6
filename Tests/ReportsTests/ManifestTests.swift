import Foundation
@testable import Reports
import Testing

/// manifest.sha256 is exactly what `sha256sum -c` reads.
@Suite("manifest.sha256")
struct ManifestTests {
    @Test("a written run folder passes sha256sum -c, and fails once a file changes",
          .enabled(if: ExternalTool.sha256sum.shouldRun, ExternalTool.sha256sum.skipComment))
    func sha256sumChecksTheFolder() async throws {
        guard ExternalTool.sha256sum.available() else { return }
        let sha256sum = try #require(ExternalTool.sha256sum.path)
        let folder = try makeTemporaryFolder("manifest")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0x00, 0x00, 0x00]).write(to: folder.appendingPathComponent("capture.pcapng"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("extra"), withIntermediateDirectories: true)
        try Data("note with ü\n".utf8).write(to: folder.appendingPathComponent("extra/notes with space.txt"))
        try RunFolderWriter.write(SampleReport.make(), to: folder)

        let good = try await ToolProcess.run(sha256sum, ["-c", "--strict", Manifest.fileName], directory: folder, timeout: 60)
        #expect(good.status == 0, "sha256sum -c: \(good.stdout)\(good.stderr)")
        for file in ["capture.pcapng", "report.json", "report.schema.json", "junit.xml", "report.html", "summary.md",
                     "extra/notes with space.txt"] {
            #expect(good.stdout.contains("\(file): OK"), "\(file) not checked: \(good.stdout)")
        }
        #expect(!good.stdout.contains("manifest.sha256:"))

        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("junit.xml"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("<!-- edited -->\n".utf8))
        try handle.close()
        let bad = try await ToolProcess.run(sha256sum, ["-c", "--strict", Manifest.fileName], directory: folder, timeout: 60)
        #expect(bad.status != 0)
        #expect(bad.stdout.contains("junit.xml: FAILED"), "\(bad.stdout)")
    }

    @Test("lines are sorted by path, in sha256sum's format, with known digests")
    func format() throws {
        let folder = try makeTemporaryFolder("manifest-format")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("abc".utf8).write(to: folder.appendingPathComponent("b.txt"))
        try Data().write(to: folder.appendingPathComponent("a.txt"))
        try Data("stale".utf8).write(to: folder.appendingPathComponent(Manifest.fileName))
        let entries = try Manifest.write(in: folder)
        let text = try String(contentsOf: folder.appendingPathComponent(Manifest.fileName), encoding: .utf8)
        // SHA-256 of "" and "abc" (FIPS 180-2 example).
        #expect(text == """
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt
        ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  b.txt

        """)
        #expect(entries.map(\.path) == ["a.txt", "b.txt"])
        #expect(Manifest.Entry(path: "odd\\name\n", sha256: "00").line == "\\00  odd\\\\name\\n")
    }

    @Test("a missing folder is a clear error")
    func missingFolder() {
        #expect(throws: ReportsError.self) { try Manifest.entries(in: URL(fileURLWithPath: "/nonexistent/meterproof-run")) }
    }
}
