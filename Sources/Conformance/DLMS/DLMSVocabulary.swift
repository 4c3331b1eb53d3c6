/// The DLMS/COSEM (IEC 62056) suite language: step declarations and PICS items. Execution is the
/// DLMS driver's; frame and APDU `expect` fields are those of `meterproof decode dlms --format json`.
public struct DLMSVocabulary: StepVocabulary {
    public init() {}

    public var protocolName: String { "dlms" }

    /// Frame builders `send_frame` accepts by name instead of hex.
    public static let frameBuilders = ["snrm", "disc", "ui", "ua", "dm", "rr", "rnr", "i", "control", "wrapper"]

    /// Fields of a decoded frame (`meterproof decode dlms --format json`).
    public static let frameFields = ["framing", "hdlc", "hdlc.*", "wrapper", "wrapper.*", "apdu", "apdu.*"]

    /// Fields of a decoded APDU (`expect_apdu`, `associate`, `release`), as `decode dlms` names them.
    public static let apduFields = [
        "apdu", "type", "tag", "invoke_id", "result", "result.*", "diagnostic", "diagnostic.*", "application_context.*",
        "mechanism.*", "reason", "reason.*", "user_information", "user_information.*", "initiate_response_deciphered",
        "initiate_response_deciphered.*", "state_error", "state_error.*", "service_error", "service_error.*", "deciphered",
        "data", "data.*", "error", "error.*",
    ]

    private static let clientType = ParameterType.anyOf([.int(0...0x7F), .oneOfWords(["public", "reader", "manager"])])
    private static let obisType = ParameterType.string

    public var stepKinds: [StepKind] {
        let serviceFields = ["result", "type", "value", "value.*", "value[]", "value[].*", "data", "data.*", "blocks", "response", "response.*"]
        return [
            StepKind(
                name: "mode_e_open",
                summary: "IEC 62056-21 mode E opening on a serial line: sign-on at 300 Bd 7E1, identification, acknowledgement for HDLC, then 8N1 at the agreed rate.",
                parameters: [
                    ParameterSpec("device_address", .string, "Device address inside /?…! (default none)."),
                    ParameterSpec("baud", .int(300...19200), "Rate to select (default: the rate the meter offers)."),
                ]
            ),
            StepKind(
                name: "connect",
                summary: "Opens the link: HDLC SNRM → UA (checking the negotiated parameters; mode E first when the PIXIT says so); nothing for the wrapper.",
                parameters: [
                    ParameterSpec("client", Self.clientType, "Client SAP: a number or public / reader / manager from the PIXIT."),
                    ParameterSpec("max_info_tx", .int(1...2030), "Proposed maximum information field length, client → server."),
                    ParameterSpec("max_info_rx", .int(1...2030), "Proposed maximum information field length, server → client."),
                    ParameterSpec("window_tx", .int(1...7), "Proposed window size, client → server."),
                    ParameterSpec("window_rx", .int(1...7), "Proposed window size, server → client."),
                    ParameterSpec("expect", .matchers, "Checks on the UA frame."),
                    ParameterSpec("save_as", .string, "Keeps the decoded UA."),
                ],
                expectFields: Self.frameFields
            ),
            StepKind(
                name: "disconnect",
                summary: "Sends DISC and expects UA (in NRM) or DM (in NDM).",
                parameters: [
                    ParameterSpec("expect_response", .oneOfWords(["ua", "dm", "ua_or_dm"]), "The answer required (default ua)."),
                    ParameterSpec("expect", .matchers, "Checks on the answer frame."),
                ],
                expectFields: Self.frameFields
            ),
            StepKind(
                name: "send_frame",
                summary: "Sends one frame: hex bytes, or an HDLC/wrapper frame built by name, optionally malformed.",
                parameters: [
                    ParameterSpec("frame", .anyOf([.oneOfWords(Self.frameBuilders), .hexBytes]), required: true, "A builder name or the frame's hex bytes."),
                    ParameterSpec("client", Self.clientType, "Source client SAP."),
                    ParameterSpec("information", .hexBytes, "Information field (after the LLC header for i/ui) or wrapper payload."),
                    ParameterSpec("llc", .bool, "Put the LLC header E6 E6 00 in front of i/ui information (default true)."),
                    ParameterSpec("n_s", .int(0...7), "N(S) for i (default: the link's next)."),
                    ParameterSpec("n_r", .int(0...7), "N(R) for i/rr/rnr (default: the link's V(R))."),
                    ParameterSpec("poll", .bool, "P/F bit (default true)."),
                    ParameterSpec("segmented", .bool, "Segmentation bit."),
                    ParameterSpec("control", .int(0...255), "Control byte for frame `control`."),
                    ParameterSpec("destination_upper", .int(0...0x3FFF), "Server upper address override."),
                    ParameterSpec("destination_lower", .int(0...0x3FFF), "Server lower address override."),
                    ParameterSpec("address_size", .int(1...4), "Server address size override (1, 2 or 4)."),
                    ParameterSpec("fcs_error", .bool, "Corrupts the FCS."),
                    ParameterSpec("hcs_error", .bool, "Corrupts the HCS."),
                    ParameterSpec("truncate", .int(1...100), "Drops this many bytes before the closing flag."),
                    ParameterSpec("drop_flags", .oneOfWords(["opening", "closing", "both"]), "Sends the frame without its opening and/or closing flag."),
                    ParameterSpec("format_error", .bool, "Frame format type 9 instead of A (checks recomputed)."),
                    ParameterSpec("length_delta", .int(-100...100), "Adds this to the frame length field (checks recomputed)."),
                    ParameterSpec("destination_hex", .hexBytes, "Raw destination address bytes (e.g. 3 bytes, an invalid size)."),
                    ParameterSpec("client_address_size", .int(1...2), "2 sends the client address in an (invalid) 2-byte form."),
                    ParameterSpec("information_size", .int(1...4000), "An information field of this many filler bytes."),
                    ParameterSpec("version", .int(0...0xFFFF), "Wrapper version (default 1)."),
                    ParameterSpec("source", .int(0...0xFFFF), "Wrapper source wPort."),
                    ParameterSpec("destination", .int(0...0xFFFF), "Wrapper destination wPort."),
                    ParameterSpec("length", .int(0...0xFFFF), "Wrapper length field (default: the payload's)."),
                ]
            ),
            StepKind(
                name: "expect_frame",
                summary: "Waits for one frame and checks the decoded fields in `expect`.",
                parameters: [
                    ParameterSpec("expect", .matchers, "Field path → expected value."),
                    ParameterSpec("save_as", .string, "Keeps the decoded frame."),
                    ParameterSpec("allow_silence", .duration, "Silence for this long also passes (the device may discard the frame)."),
                ],
                expectFields: Self.frameFields
            ),
            StepKind(
                name: "expect_silence",
                summary: "Gives `fail` if anything arrives within `duration` (default 1 s).",
                parameters: [ParameterSpec("duration", .duration, "How long the device must stay silent.")]
            ),
            StepKind(
                name: "associate",
                summary: "AARQ → AARE (and HLS-GMAC passes 3–4): opens an application association with the chosen authentication, context and proposal.",
                parameters: [
                    ParameterSpec("authentication", .oneOfWords(["none", "lls", "hls_gmac"]), "Mechanism (default none)."),
                    ParameterSpec("client", Self.clientType, "Client SAP (default: public, reader or manager for the mechanism)."),
                    ParameterSpec("context", .oneOfWords(["ln", "sn", "ln_ciphered", "sn_ciphered", "unknown"]), "Application context name (default ln; ln_ciphered for hls_gmac)."),
                    ParameterSpec("password", .anyOf([.hexBytes, .string]), "LLS password (default the PIXIT lls_password)."),
                    ParameterSpec("wrong_password", .bool, "Sends a wrong LLS password."),
                    ParameterSpec("wrong_key", .bool, "Ciphers and authenticates with a wrong key."),
                    ParameterSpec("mechanism", .int(0...7), "Overrides the mechanism-name id."),
                    ParameterSpec("dlms_version", .int(0...255), "Proposed DLMS version (default 6)."),
                    ParameterSpec("conformance", .anyOf([.list, .hexBytes]), "Proposed conformance block: bit names or 3 hex bytes."),
                    ParameterSpec("max_pdu_size", .int(0...0xFFFF), "client-max-receive-pdu-size (default the PIXIT client_max_pdu_size or 1024)."),
                    ParameterSpec("quality_of_service", .int(-128...127), "proposed-quality-of-service in the InitiateRequest."),
                    ParameterSpec("dedicated_key", .bool, "Carries a dedicated key in the InitiateRequest and ciphers with it."),
                    ParameterSpec("ciphering", .oneOfWords(["glo", "ded", "general_glo", "general_ded"]), "How requests are ciphered in a ciphered context."),
                    ParameterSpec("expect_result", .oneOfWords(["accepted", "rejected"]), "Whether the association must succeed (default accepted)."),
                    ParameterSpec("expect", .matchers, "Checks on the AARE."),
                    ParameterSpec("save_as", .string, "Keeps the decoded AARE."),
                ],
                expectFields: Self.apduFields
            ),
            StepKind(
                name: "release",
                summary: "RLRQ → RLRE (with a ciphered InitiateRequest in a ciphered association).",
                parameters: [
                    ParameterSpec("ciphered_user_information", .bool, "In a ciphered association, carry the ciphered InitiateRequest (default true)."),
                    ParameterSpec("force", .bool, "Send the RLRQ even without an association."),
                    ParameterSpec("expect", .matchers, "Checks on the RLRE."),
                    ParameterSpec("save_as", .string, "Keeps the decoded RLRE."),
                ],
                expectFields: Self.apduFields
            ),
            StepKind(
                name: "send_apdu",
                summary: "Sends an APDU as hex, in the clear or ciphered (normally, replayed, with a wrong key or a wrong tag).",
                parameters: [
                    ParameterSpec("apdu", .hexBytes, required: true, "The plain APDU."),
                    ParameterSpec("cipher", .oneOfWords(["none", "normal", "replay", "wrong_key", "wrong_tag"]), "How to cipher it (default none)."),
                ]
            ),
            StepKind(
                name: "expect_apdu",
                summary: "Waits for one APDU (deciphered when the association can) and checks its decoded fields.",
                parameters: [
                    ParameterSpec("expect", .matchers, "Field path → expected value."),
                    ParameterSpec("save_as", .string, "Keeps the decoded APDU."),
                    ParameterSpec("allow_silence", .duration, "Silence for this long also passes (the device may discard the request)."),
                ],
                expectFields: Self.apduFields
            ),
            StepKind(
                name: "get",
                summary: "GET of one attribute (following data blocks), optionally with selective access; without an `expect` on result anything but success fails.",
                parameters: [
                    ParameterSpec("class", .int(0...0xFFFF), required: true, "Interface class id."),
                    ParameterSpec("obis", Self.obisType, required: true, "Logical name, e.g. 0.0.1.0.0.255."),
                    ParameterSpec("attribute", .int(0...127), required: true, "Attribute index."),
                    ParameterSpec("access_selector", .int(0...255), "Selective access selector."),
                    ParameterSpec("access_parameters", .any, "Selective access parameters as a typed value."),
                    ParameterSpec("range", .map, "Selective access by range on the clock column: {from, to}."),
                    ParameterSpec("entries", .map, "Selective access by entry: {from, to}."),
                    ParameterSpec("allow_idle", .bool, "Send even without an association."),
                    ParameterSpec("expect", .matchers, "Checks on the outcome."),
                    ParameterSpec("save_as", .string, "Keeps the outcome."),
                    ParameterSpec("as", .string, "Stores the value as `${as}`."),
                ],
                expectFields: serviceFields
            ),
            StepKind(
                name: "set",
                summary: "SET of one attribute (in data blocks when longer than the server's PDU size).",
                parameters: [
                    ParameterSpec("class", .int(0...0xFFFF), required: true, "Interface class id."),
                    ParameterSpec("obis", Self.obisType, required: true, "Logical name."),
                    ParameterSpec("attribute", .int(0...127), required: true, "Attribute index."),
                    ParameterSpec("value", .any, required: true, "A typed value {type, value} or A-XDR hex."),
                    ParameterSpec("expect", .matchers, "Checks on the outcome."),
                    ParameterSpec("save_as", .string, "Keeps the outcome."),
                ],
                expectFields: serviceFields
            ),
            StepKind(
                name: "action",
                summary: "ACTION on one method.",
                parameters: [
                    ParameterSpec("class", .int(0...0xFFFF), required: true, "Interface class id."),
                    ParameterSpec("obis", Self.obisType, required: true, "Logical name."),
                    ParameterSpec("method", .int(0...127), required: true, "Method index."),
                    ParameterSpec("parameters", .any, "A typed value {type, value} or A-XDR hex."),
                    ParameterSpec("expect", .matchers, "Checks on the outcome."),
                    ParameterSpec("save_as", .string, "Keeps the outcome."),
                    ParameterSpec("as", .string, "Stores the returned value as `${as}`."),
                ],
                expectFields: serviceFields
            ),
            StepKind(
                name: "check_objects",
                summary: "Reads the association's object_list and every attribute of every object: access rights respected, data types as the class defines, logical_name equal to the OBIS code.",
                parameters: [
                    ParameterSpec("rules", .list, "Which of access_rights, data_types, logical_names (default all)."),
                    ParameterSpec("max_objects", .int(1...10000), "At most this many objects (default 500)."),
                ]
            ),
            StepKind(
                name: "check_value",
                summary: "Applies a rule to the last (or a saved) value read: " + ["clock_time", "scaler_unit", "profile_range", "profile_entries", "increases"].joined(separator: ", ") + ".",
                parameters: [
                    ParameterSpec("rule", .oneOfWords(["clock_time", "scaler_unit", "profile_range", "profile_entries", "increases"]), required: true, "The rule."),
                    ParameterSpec("from", .string, "A `save_as` name; the last value read when absent."),
                    ParameterSpec("previous", .string, "For increases: the `save_as` name of the earlier reading."),
                    ParameterSpec("unit", .string, "For scaler_unit: the unit name or number expected."),
                    ParameterSpec("scaler", .int(-128...127), "For scaler_unit: the scaler expected."),
                    ParameterSpec("from_time", .string, "For profile_range: range start."),
                    ParameterSpec("to_time", .string, "For profile_range: range end."),
                    ParameterSpec("column", .int(0...255), "For profile_range: the date-time column (default 0)."),
                    ParameterSpec("min_rows", .int(0...100000), "For profile_range: at least this many rows."),
                    ParameterSpec("count", .int(0...100000), "For profile_entries: exactly this many rows."),
                    ParameterSpec("available", .int(0...10_000_000), "For profile_entries: entries in use; fewer rows are then expected."),
                ]
            ),
            StepKind(
                name: "read_value",
                summary: "Reads a field of the last (or a saved) outcome and stores it as `${as}`.",
                parameters: [
                    ParameterSpec("field", .string, required: true, "A field path such as `value` or `data.value[0].value`."),
                    ParameterSpec("from", .string, "A `save_as` name."),
                    ParameterSpec("as", .string, required: true, "Variable name."),
                ]
            ),
            StepKind(
                name: "image_transfer",
                summary: "Firmware upgrade through Image transfer (IC 18): initiate, all blocks, verify, activate; then the active firmware identifier and SHA-256 must be those of the image sent.",
                parameters: [
                    ParameterSpec("obis", Self.obisType, "Image transfer object (default the PIXIT image_transfer_obis or 0.0.44.0.0.255)."),
                    ParameterSpec("identifier", .string, "Image identifier (default MP-TEST-IMAGE-2)."),
                    ParameterSpec("image", .hexBytes, "The image; default a MeterProof test image of image_size bytes."),
                    ParameterSpec("image_size", .int(33...1_000_000), "Size of the generated test image (default 1000)."),
                ]
            ),
        ]
    }

    public var picsItems: [PICSItem] {
        [
            PICSItem(name: "dlms.hdlc", summary: "Speaks HDLC (IEC 62056-46) on this transport."),
            PICSItem(name: "dlms.wrapper", summary: "Speaks the TCP/UDP wrapper (IEC 62056-47) on this transport."),
            PICSItem(name: "dlms.mode_e", summary: "Opens HDLC with the IEC 62056-21 mode E sign-on on an optical/serial port."),
            PICSItem(name: "dlms.hdlc_window", summary: "Accepts an HDLC window size above 1."),
            PICSItem(name: "dlms.hdlc_address_sizes", summary: "Answers at its server address in the 2-byte form as well as the 4-byte one."),
            PICSItem(name: "dlms.ln_only", summary: "Offers logical-name referencing only (no SN context)."),
            PICSItem(name: "dlms.lls", summary: "Offers a client with low-level security (password)."),
            PICSItem(name: "dlms.hls_gmac", summary: "Offers a client with HLS mechanism 5 (GMAC) and suite-0 ciphering."),
            PICSItem(name: "dlms.dedicated_key", summary: "Accepts a dedicated key in the ciphered InitiateRequest."),
            PICSItem(name: "dlms.general_ciphering", summary: "Accepts general-glo-ciphering APDUs."),
            PICSItem(name: "dlms.block_transfer_get", summary: "Splits long GET responses in data blocks (conformance bit 11)."),
            PICSItem(name: "dlms.selective_access", summary: "Profile generic selective access by range and by entry (conformance bit 21)."),
            PICSItem(name: "dlms.multiple_references", summary: "GET/SET/ACTION with-list (conformance bit 14)."),
            PICSItem(name: "dlms.image_transfer", summary: "Firmware upgrade through Image transfer (IC 18)."),
            PICSItem(name: "dlms.disconnect_control", summary: "Disconnect control (IC 70) remote disconnect/reconnect."),
            PICSItem(name: "dlms.clock_settable", summary: "The clock's time can be set by the manager client."),
        ]
    }
}
