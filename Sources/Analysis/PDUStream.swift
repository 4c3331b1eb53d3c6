import CodecSupport
import Foundation

/// The PDU records of one capture, written by a thread of their own: the analysis thread hands
/// over each record's fixed part (bytes) and a closure that builds its protocol fields from
/// decoded values, so building the JSON tree and serialising it overlap with dissection (on
/// two cores, the other core does it). Records are written in the order they were handed over;
/// at most ``capacity`` wait, after which the analysis thread waits (memory stays bounded).
final class PDUStream: @unchecked Sendable {
    // @unchecked: `queue`, `finished` and `failure` are only touched with `condition` locked;
    // `writer` only on the writing thread until `finish()` has joined it.

    /// A record: its bytes up to the protocol key, and the builder of the protocol's fields.
    struct Job: Sendable {
        var head: [UInt8]
        var fields: @Sendable () -> JSONValue
    }

    /// Records waiting at most (each holds its decoded APDU: up to ~64 KB for a block of raw data).
    static let capacity = 256

    private let condition = NSCondition()
    private var queue: [Job] = []
    private var finished = false
    private let done = DispatchSemaphore(value: 0)
    private let writer: BufferedFileWriter
    private var failure: Int32?

    init(writer: BufferedFileWriter) {
        self.writer = writer
        let thread = Thread { [self] in run() }
        thread.stackSize = 16 << 20  // the JSON builders recurse into nested A-XDR structures
        thread.start()
    }

    /// Hands over a record; waits while ``capacity`` records are pending.
    func append(_ job: Job) {
        condition.lock()
        while queue.count >= Self.capacity { condition.wait() }
        queue.append(job)
        condition.broadcast()
        condition.unlock()
    }

    /// Writes what is pending, stops the thread and returns the first write error (`errno`).
    func finish() -> Int32? {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
        done.wait()
        return failure
    }

    private func run() {
        var batch: [Job] = []
        while true {
            condition.lock()
            while queue.isEmpty && !finished { condition.wait() }
            if queue.isEmpty && finished {
                condition.unlock()
                break
            }
            swap(&batch, &queue)
            condition.broadcast()
            condition.unlock()
            for job in batch {
                writer.write { out in
                    out.append(contentsOf: job.head)
                    JSONBytes.append(job.fields(), to: &out)
                    out.append(contentsOf: [0x7D, 0x0A])
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        writer.flush()
        condition.lock()
        failure = writer.failure
        condition.unlock()
        done.signal()
    }
}
