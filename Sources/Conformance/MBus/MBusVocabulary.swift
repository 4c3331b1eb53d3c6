/// The wired M-Bus (EN 13757-2/-3) suite language: step declarations and PICS items.
/// Execution is the runner's; `expect` fields are those of `meterproof decode mbus --format json`.
public struct MBusVocabulary: StepVocabulary {
    public init() {}

    public var protocolName: String { "mbus" }

    /// Master command builders `send` accepts by name instead of hex.
    public static let frameBuilders = [
        "snd_nke", "req_ud1", "req_ud2", "snd_ud", "application_reset", "select_secondary", "switch_baud",
    ]

    /// Baud rates of EN 13757-2 / CI B8–BF.
    public static let baudRates = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400]

    /// Every field of the decoded telegram JSON an `expect` may name.
    public static let telegramFields = [
        "frame.type", "frame.c", "frame.c_name", "frame.a", "frame.ci", "frame.l", "frame.checksum_ok",
        "header.id", "header.manufacturer", "header.manufacturer_code", "header.version",
        "header.medium.code", "header.medium.name", "header.access_number", "header.status",
        "header.status_flags", "header.signature",
        "records", "records[].offset", "records[].function", "records[].storage", "records[].tariff",
        "records[].subunit", "records[].quantity", "records[].unit", "records[].value", "records[].coding",
        "records[].dif", "records[].vif", "records[].modifiers", "records[].record_error",
        "records[].reserved_codes", "records[].plain_text_unit", "records[].value_problem",
        "manufacturer_data", "more_records_follow",
        "application_error.code", "application_error.name", "application_error.text",
    ]

    private static let address = ParameterType.int(0...255)

    public var stepKinds: [StepKind] {
        [
            StepKind(
                name: "send",
                summary: "Sends a frame: hex bytes, or a master command built by name with its parameters.",
                parameters: [
                    ParameterSpec("frame", .anyOf([.oneOfWords(Self.frameBuilders), .hexBytes]), required: true,
                                  "A builder name or the frame's hex bytes."),
                    ParameterSpec("address", Self.address, "Primary address 0–255 for a builder (253 selects by secondary address)."),
                    ParameterSpec("fcb", .bool, "Frame count bit for REQ_UD1/2 and SND_UD."),
                    ParameterSpec("fcv", .bool, "Frame count valid bit; true when `fcb` is given."),
                    ParameterSpec("ci", .int(0...255), "CI field for `snd_ud`."),
                    ParameterSpec("data", .hexBytes, "User data after the CI field for `snd_ud`."),
                    ParameterSpec("secondary_address", .string, "For `select_secondary`: 16 hex digits, F as wildcard."),
                    ParameterSpec("baud", .oneOfWords(Self.baudRates.map(String.init)), "For `switch_baud`."),
                    ParameterSpec("checksum_error", .bool, "Sends the frame with its checksum byte wrong (a corrupted request)."),
                ]
            ),
            StepKind(
                name: "expect_frame",
                summary: "Waits for one frame and checks the decoded fields in `expect`.",
                parameters: [
                    ParameterSpec("expect", .matchers, "Field path → expected value."),
                    ParameterSpec("save_as", .string, "Keeps the decoded telegram for later `compare` steps."),
                ],
                expectFields: Self.telegramFields
            ),
            StepKind(
                name: "expect_ack",
                summary: "Waits for the single character E5 acknowledgement.",
                parameters: []
            ),
            StepKind(
                name: "expect_silence",
                summary: "Gives `fail` if any byte arrives within `duration` (default: the answer window, 330 bit times + 50 ms at the current baud).",
                parameters: [ParameterSpec("duration", .duration, "How long the line must stay silent.")]
            ),
            StepKind(
                name: "expect_within",
                summary: "Waits for a frame and checks that its first byte arrives between `min` and `max` after the request ended.",
                parameters: [
                    ParameterSpec("min", .duration, "Earliest allowed start (default 11 bit times)."),
                    ParameterSpec("max", .duration, "Latest allowed start (default 330 bit times + 50 ms at the current baud)."),
                    ParameterSpec("save_as", .string, "Keeps the decoded telegram for later steps."),
                    ParameterSpec("expect", .matchers, "Field path → expected value."),
                ],
                expectFields: Self.telegramFields
            ),
            StepKind(
                name: "check_telegram",
                summary: "Applies an EN 13757-3 rule to the last (or a saved) telegram: "
                    + TelegramCheck.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                parameters: [
                    ParameterSpec("rule", .oneOfWords(TelegramCheck.allCases.map(\.rawValue)), required: true, "The rule."),
                    ParameterSpec("telegram", .string, "A `save_as` name; the last telegram received when absent."),
                    ParameterSpec("previous", .string, "The `save_as` name of the telegram to compare with (rules that compare)."),
                    ParameterSpec("secondary_address", .string, "For header_matches_address: 16 hex digits, F as wildcard."),
                ]
            ),
            StepKind(
                name: "read_value",
                summary: "Reads the last received telegram's field and stores it as `${as}`.",
                parameters: [
                    ParameterSpec("field", .string, required: true, "A field path such as `records[0].value`."),
                    ParameterSpec("from", .string, "A `save_as` name; the last telegram received when absent."),
                    ParameterSpec("as", .string, required: true, "Variable name for later steps."),
                ]
            ),
            StepKind(
                name: "select_secondary",
                summary: "Selects a slave by secondary address (SND_UD, A=253, CI 52) and expects E5.",
                parameters: [
                    ParameterSpec("secondary_address", .string, required: true,
                                  "16 hex digits (id, manufacturer, version, medium), F as wildcard."),
                    ParameterSpec("expect_ack", .bool, "Whether an E5 must come (default true); false expects silence."),
                ]
            ),
            StepKind(
                name: "switch_baud",
                summary: "Sends the baud-rate switch (CI B8–BF), expects E5 at the old rate, then continues at the new one.",
                parameters: [
                    ParameterSpec("address", Self.address, required: true, "Primary address."),
                    ParameterSpec("baud", .oneOfWords(Self.baudRates.map(String.init)), required: true, "The new rate."),
                ]
            ),
        ]
    }

    public var picsItems: [PICSItem] {
        [
            PICSItem(name: "mbus.secondary_addressing", summary: "Answers selection by secondary address (CI 52, A=253), wildcards included."),
            PICSItem(name: "mbus.multi_telegram", summary: "Splits its data over several RSP_UD telegrams (DIF 1F, FCB-driven)."),
            PICSItem(name: "mbus.baud_switch", summary: "Accepts the baud-rate switch (CI B8–BF)."),
            PICSItem(name: "mbus.fcb_handling", summary: "Repeats the last RSP_UD when the FCB did not toggle, advances when it did."),
            PICSItem(name: "mbus.application_reset", summary: "Accepts application reset (CI 50)."),
            PICSItem(name: "mbus.ack_after_snd_nke", summary: "Answers SND_NKE with E5."),
            PICSItem(name: "mbus.fixed_data_structure", summary: "Answers with the fixed data structure (CI 73/77) instead of the variable one."),
            PICSItem(name: "mbus.broadcast_silence", summary: "Stays silent on requests to broadcast address 255."),
            PICSItem(name: "mbus.test_broadcast_reply", summary: "Answers requests to address 254 (broadcast with reply; a lone slave on the bus)."),
            PICSItem(name: "mbus.deselect_by_snd_nke", summary: "SND_NKE to address 253 deselects a selected slave (mbus4j's reading)."),
        ]
    }
}
