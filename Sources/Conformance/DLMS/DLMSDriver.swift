import CodecSupport
import DLMS
import Transport

/// The DLMS/COSEM driver: sessions that play the DLMS client, and the defaults `--target` assumes
/// (those of MeterProof's reference server, `meterproof simulate dlms`).
public struct DLMSDriver: ProtocolDriver {
    public init() {}

    public var protocolName: String { "dlms" }

    /// The reference server's features.
    public var defaultPICS: [String: Bool] {
        [
            "dlms.hdlc": true, "dlms.wrapper": true, "dlms.mode_e": false, "dlms.hdlc_window": true, "dlms.hdlc_address_sizes": true,
            "dlms.ln_only": true, "dlms.lls": true, "dlms.hls_gmac": true, "dlms.dedicated_key": true, "dlms.general_ciphering": true,
            "dlms.block_transfer_get": true, "dlms.selective_access": true, "dlms.multiple_references": true,
            "dlms.image_transfer": true, "dlms.disconnect_control": true, "dlms.clock_settable": true,
        ]
    }

    /// The reference server's addresses, clients and test secrets (published on purpose: they are
    /// the simulator's; a real meter's come from a device profile and a key store).
    public var defaultPIXIT: [String: PIXITValue] {
        [
            "framing": .string("wrapper"),
            "server_logical_address": .int(1),
            "server_physical_address": .int(17),
            "server_address_size": .int(4),
            "public_client": .int(16),
            "reader_client": .int(32),
            "manager_client": .int(1),
            "unknown_client": .int(99),
            "lls_password": .string("12345678"),
            "guek": .string("000102030405060708090A0B0C0D0E0F"),
            "gak": .string("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"),
            "client_system_title": .string("4D50434C49454E54"),
            "client_max_pdu_size": .int(1024),
            "logical_device_name": .string("MPR0000000000001"),
            "mode_e": .bool(false),
        ]
    }

    /// The reference server's features on `url`'s framing: HDLC on serial lines, pty and
    /// `sim:dlms-hdlc`, the wrapper elsewhere.
    public func defaultPICS(for url: TransportURL) -> [String: Bool] {
        var pics = defaultPICS
        let hdlc = Self.isHDLC(url)
        pics["dlms.hdlc"] = hdlc
        pics["dlms.wrapper"] = !hdlc
        return pics
    }

    static func isHDLC(_ url: TransportURL) -> Bool {
        switch url {
        case .serial: true
        case .simulator(let name, _): name.hasSuffix("-hdlc")
        default: false
        }
    }

    /// The defaults for `url`: HDLC on serial lines, pty and `sim:dlms-hdlc`, the wrapper elsewhere.
    public func defaultPIXIT(for url: TransportURL) -> [String: PIXITValue] {
        var pixit = defaultPIXIT
        if Self.isHDLC(url) { pixit["framing"] = .string("hdlc") }
        return pixit
    }

    /// PIXIT names whose values are secrets (scrubbed from reports and captures).
    public var secretPIXITNames: Set<String> { ["lls_password", "guek", "gak"] }

    /// The authentication value of an AARQ or AARE (LLS password, HLS challenge) inside a wrapper
    /// frame, an HDLC frame (first segment) or a bare APDU.
    public func secretRanges(in bytes: [UInt8]) -> [Range<Int>] {
        let apdu: ArraySlice<UInt8>
        switch DLMSMessage.detectFraming(bytes[...]) {
        case .wrapper:
            apdu = bytes[min(bytes.count, WrapperHeader.size)...]
        case .hdlc:
            guard let frame = try? HDLCFrame.decode(bytes) else { return [] }
            apdu = HDLCLLC.split(frame.information).rest
        case .apdu:
            apdu = bytes[...]
        }
        guard let tag = apdu.first, ACSEAPDU.isACSETag(tag) else { return [] }
        let base = apdu.startIndex
        return ACSEAPDU.secretRanges(in: apdu).map { ($0.lowerBound + base)..<($0.upperBound + base) }
    }

    public func makeSession(stream: any ByteStream, evidence: EvidenceLog) -> any ProtocolSession {
        DLMSSession(stream: stream, evidence: evidence)
    }

    public func decodeForEvidence(_ bytes: [UInt8]) -> (decoded: JSONValue?, error: String?) {
        do throws(DLMSError) {
            return (try DLMSMessage.decode(bytes).json, nil)
        } catch {
            return (nil, error.description)
        }
    }
}
