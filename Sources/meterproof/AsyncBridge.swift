import Dispatch
import Synchronization

/// Runs async work from a synchronous command and waits for it (the root command is synchronous
/// so that its exit-status handling stays in one place).
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        box.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    guard let result = box.withLock({ $0 }) else { throw ToolFailure("internal error: the task ended without a result") }
    return try result.get()
}
