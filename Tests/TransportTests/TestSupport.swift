import Transport

/// Reads until `count` bytes arrived (or a generous deadline passed: the result is then shorter).
func receiveExactly(_ stream: any ByteStream, count: Int, within timeout: Duration = .seconds(5)) async throws -> [UInt8] {
    let deadline = ContinuousClock.now + timeout
    var bytes: [UInt8] = []
    while bytes.count < count {
        let chunk = try await stream.receive(maxCount: count - bytes.count, deadline: deadline)
        if chunk.isEmpty { break }
        bytes += chunk
    }
    return bytes
}
