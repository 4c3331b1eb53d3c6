import CodecSupport
import MeterBus

/// Vectors from the fact sheet (/work/shared/reference/mbus.md), by section.
enum LinkVectors {
    /// §1.2 and §9.1, libmbus `test/test-frames/manual_frame2.hex`: RSP_UD, CI 73 (fixed data), CS 3C.
    static let manualFrame2 = "68 13 13 68 08 05 73 78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00 3C 16"
    /// §1.2 and §9.1, libmbus `manual_frame3.hex`: RSP_UD, CI 72 (variable data), CS 18.
    static let manualFrame3 = "68 1F 1F 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 37 18 02 18 16"
    /// §9.1, libmbus `manual_frame7.hex`: fabrication number record.
    static let manualFrame7 = "68 15 15 68 08 02 72 78 56 34 12 24 40 01 07 13 00 00 00 0C 78 04 03 02 01 9D 16"
    /// §1.2, computed: REQ_UD2 with FCB=1 to address 5.
    static let reqUD2FCBToAddress5 = "10 7B 05 80 16"
    /// §1.8, computed from libmbus's packing rules: select ID 12345678, anything else wildcarded.
    static let selectID12345678 = "68 0B 0B 68 73 FD 52 78 56 34 12 FF FF FF FF D2 16"
    /// §1.8, computed: select ID 1234xxxx (last four digits wildcarded).
    static let selectID1234Wildcard = "68 0B 0B 68 73 FD 52 FF FF 34 12 FF FF FF FF 02 16"
    /// §1.9, computed: set primary address 5 → 7.
    static let setPrimaryAddress5To7 = "68 06 06 68 53 05 51 01 7A 07 2B 16"
    /// §1.9, computed: switch address 5 to 9600 Bd.
    static let baudRateSwitch9600ToAddress5 = "68 03 03 68 53 05 BD 15 16"
    /// §1.1: the single character.
    static let ack = "E5"

    static let all = [manualFrame2, manualFrame3, manualFrame7, reqUD2FCBToAddress5, selectID12345678,
                      selectID1234Wildcard, setPrimaryAddress5To7, baudRateSwitch9600ToAddress5, ack]
}

/// The error `Frame.decode` throws for `bytes`, or nil when it decodes.
func linkDecodeError(_ bytes: ArraySlice<UInt8>) -> MeterBusError? {
    do {
        _ = try Frame.decode(bytes)
        return nil
    } catch {
        return error
    }
}

/// The error `Frame.decode` throws for `bytes`, or nil when it decodes.
func linkDecodeError(_ bytes: [UInt8]) -> MeterBusError? {
    linkDecodeError(bytes[...])
}

/// The shared deterministic generator (Tests/MeterBusTests/Support/SplitMix64.swift).
typealias LinkSeededGenerator = SplitMix64
