import Foundation
import Synchronization

/// Analyses several captures in parallel on dedicated threads (never the cooperative pool: the
/// work is blocking file reading and CPU-bound decoding), at most `jobs` at a time, and returns
/// the results in argument order whatever order they finish in. Each file streams its PDU
/// records to its own part file; ``RunFolder`` concatenates them in argument order.
public struct AnalysisRun: Sendable {
    /// The captures, in argument order.
    public var paths: [String]
    /// The analyser.
    public var analyzer: CaptureAnalyzer
    /// Files analysed at once (at least 1).
    public var jobs: Int

    /// A run.
    public init(paths: [String], analyzer: CaptureAnalyzer, jobs: Int) {
        self.paths = paths
        self.analyzer = analyzer
        self.jobs = max(1, jobs)
    }

    private final class Work: Sendable {
        let next = Mutex(0)
        let results: Mutex<[FileResult?]>
        init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }
    }

    /// Runs; `pduPath(i)` names the part file of the i-th capture (0-based), nil for none;
    /// `progress(i, bytesRead)` is called from the worker threads.
    public func run(pduPath: @escaping @Sendable (Int) -> String?,
                    progress: (@Sendable (Int, UInt64) -> Void)? = nil) -> [FileResult] {
        let work = Work(count: paths.count)
        let group = DispatchGroup()
        let paths = self.paths
        let analyzer = self.analyzer
        for _ in 0..<min(jobs, paths.count) {
            group.enter()
            let thread = Thread {
                while true {
                    let index = work.next.withLock { value -> Int in defer { value += 1 }; return value }
                    guard index < paths.count else { break }
                    let result = analyzer.analyze(path: paths[index], fileIndex: index + 1, pduPath: pduPath(index),
                                                  progress: progress.map { report in { bytes in report(index, bytes) } })
                    work.results.withLock { $0[index] = result }
                }
                group.leave()
            }
            thread.stackSize = 16 << 20  // the codecs recurse into nested A-XDR structures
            thread.start()
        }
        group.wait()
        return work.results.withLock { results in
            results.enumerated().map { index, result in
                result ?? FileResult(fileIndex: index + 1, path: paths[index], size: 0)
            }
        }
    }
}
