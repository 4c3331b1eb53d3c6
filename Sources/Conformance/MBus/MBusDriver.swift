import CodecSupport
import MeterBus
import Transport

/// The wired M-Bus driver: sessions that play the EN 13757-2 master, and the defaults `--target`
/// assumes (those of MeterProof's reference slave, `meterproof simulate mbus`).
public struct MBusDriver: ProtocolDriver {
    public init() {}

    public var protocolName: String { "mbus" }

    /// The reference slave's features. A real meter reached with `--target` is assumed to have the
    /// common ones; give a device profile for anything else.
    public var defaultPICS: [String: Bool] {
        [
            "mbus.ack_after_snd_nke": true,
            "mbus.secondary_addressing": true,
            "mbus.multi_telegram": true,
            "mbus.baud_switch": true,
            "mbus.fcb_handling": true,
            "mbus.application_reset": true,
            "mbus.fixed_data_structure": false,
            "mbus.broadcast_silence": true,
            "mbus.test_broadcast_reply": true,
            "mbus.deselect_by_snd_nke": true,
        ]
    }

    /// The reference slave's addresses and identity: primary address 1, identification number
    /// 12345678, manufacturer MPF (wire bytes 06 36), version 1, medium heat (04), 2400 Bd.
    public var defaultPIXIT: [String: PIXITValue] {
        [
            "primary_address": .int(1),
            "unused_primary_address": .int(2),
            "secondary_address": .string("1234567806360104"),
            "secondary_address_wildcard": .string("1234FFFFFFFFFFFF"),
            "other_secondary_address": .string("87654321FFFFFFFF"),
            "identification": .string("12345678"),
            "manufacturer": .string("MPF"),
            "baud": .int(2400),
            "other_baud": .int(9600),
        ]
    }

    public func makeSession(stream: any ByteStream, evidence: EvidenceLog) -> any ProtocolSession {
        MBusSession(stream: stream, evidence: evidence)
    }

    public func decodeForEvidence(_ bytes: [UInt8]) -> (decoded: JSONValue?, error: String?) {
        do throws(MeterBusError) {
            return (try Telegram.decode(bytes).json, nil)
        } catch {
            return (nil, error.description)
        }
    }
}
