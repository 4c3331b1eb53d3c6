import DLMS

/// A GET response too large for the client's max receive PDU size, served as
/// GET-Response-With-Datablock (fact sheet §5.9): blocks numbered from 1, the client acknowledges
/// block n with GET-Request-Next(n), the last block carries last-block = 1.
struct GetBlockTransfer {
    /// The A-XDR bytes split into blocks (a Data value, or count ‖ Get-Data-Results for with-list).
    let payload: [UInt8]
    /// Bytes per block.
    let blockSize: Int
    /// Bytes already sent.
    var sent = 0
    /// The block number last sent on the wire (what GET-Request-Next must acknowledge).
    var lastBlockNumber: UInt32 = 0
    /// Blocks sent so far (1 after the first).
    var blocksSent: UInt32 = 0
    /// The block-number-skip fault: block 2 is numbered 3, and so on.
    let skipsBlockTwo: Bool

    init(payload: [UInt8], blockSize: Int, skipsBlockTwo: Bool) {
        self.payload = payload
        self.blockSize = max(1, blockSize)
        self.skipsBlockTwo = skipsBlockTwo
    }

    /// The next block: (last-block flag, wire block number, raw data).
    mutating func nextBlock() -> DataBlockG {
        let end = min(payload.count, sent + blockSize)
        let chunk = Array(payload[sent..<end])
        sent = end
        blocksSent += 1
        lastBlockNumber = skipsBlockTwo && blocksSent >= 2 ? blocksSent + 1 : blocksSent
        return DataBlockG(lastBlock: sent >= payload.count, blockNumber: lastBlockNumber, result: .rawData(chunk))
    }

    var isFinished: Bool { sent >= payload.count }
}

/// A SET or ACTION whose value or parameters arrive in DataBlock-SA blocks (fact sheet §5.8–5.9):
/// blocks must come numbered 1, 2, 3…; the last one completes the A-XDR value.
struct InboundBlockTransfer {
    /// The attribute descriptors (SET) of the request.
    var attributes: [AttributeDescriptorWithSelection] = []
    /// The method descriptors (ACTION) of the request.
    var methods: [CosemMethodDescriptor] = []
    /// Whether the request was a with-list form.
    var isList: Bool
    /// The raw data received so far.
    var data: [UInt8] = []
    /// The number of the last block accepted.
    var lastBlockNumber: UInt32 = 0
    /// Upper bound on the reassembled size (a safeguard against unbounded input).
    static let maximumSize = 1 << 20

    /// Appends `block` when it is the next one; false for a wrong number or an oversize value.
    mutating func accept(_ block: DataBlockSA) -> Bool {
        guard block.blockNumber == lastBlockNumber &+ 1, data.count + block.rawData.count <= Self.maximumSize else { return false }
        data += block.rawData
        lastBlockNumber = block.blockNumber
        return true
    }

    /// The values carried: one Data value, or (with-list) an A-XDR count followed by that many Data values.
    func values() -> [COSEMData]? {
        var reader = AXDRReader(data)
        if !isList {
            guard let v = try? COSEMData.decode(from: &reader), reader.isAtEnd else { return nil }
            return [v]
        }
        guard let count = try? reader.readCount("values") else { return nil }
        var out: [COSEMData] = []
        for _ in 0..<count {
            guard let v = try? COSEMData.decode(from: &reader) else { return nil }
            out.append(v)
        }
        return reader.isAtEnd ? out : nil
    }
}
