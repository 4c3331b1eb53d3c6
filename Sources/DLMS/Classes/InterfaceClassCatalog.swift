// The interface-class table, transcribed from the DLMS fact sheet §8.3 / §8.4 (sources GX, SP, JD,
// WS as named there). Where sources disagree (⚠) the note says so; where the fact sheet marks
// something UNCONFIRMED the entry says UNCONFIRMED. Image transfer (IC 18) is not in the fact sheet:
// its entry was settled from Gurux GXDLMSImageTransfer and the Renesas DLMS library's class 18 (see
// `imageTransfer`).

private typealias A = AttributeDefinition
private typealias M = MethodDefinition

extension AttributeType {
    /// object_list_element (§8.4) for Association LN `version`: method access_mode is boolean in
    /// v0 and enum from v1.
    public static func objectListElement(version: UInt8) -> AttributeType {
        let attributeAccessItem = AttributeType.structure([
            .type(.integer), .type(.enum), .oneOf([.type(.nullData), .array(.type(.integer))]),
        ])
        let methodAccessItem = AttributeType.structure([.type(.integer), .type(version == 0 ? .boolean : .enum)])
        return .structure([
            .type(.longUnsigned), .type(.unsigned), .logicalName,
            .structure([.array(attributeAccessItem), .array(methodAccessItem)]),
        ])
    }

    /// An OID carried as GX's structure of 7 arcs or SP's octet-string (Association LN attributes 4 and 6).
    static let oidForms = AttributeType.oneOf([
        .structure(Array(repeating: .oneOf([.type(.unsigned), .type(.longUnsigned)]), count: 7)),
        .type(.octetString),
    ])

    /// A user entry: structure{unsigned user_id, visible-string user_name} (GX, Association LN v2).
    static let userEntry = AttributeType.structure([.type(.unsigned), .type(.visibleString)])
}

extension InterfaceClass {
    /// Every class and version the fact sheet documents, ordered by class id then version.
    public static let catalog: [InterfaceClass] = [
        data, register, extendedRegister, demandRegister, profileGeneric, clock, scriptTable,
        associationLN(0), associationLN(1), associationLN(2), sapAssignment, imageTransfer, activityCalendar, hdlcSetup,
        pushSetup(0), pushSetup(1), pushSetup(2), securitySetup(0), securitySetup(1), disconnectControl, limiter,
    ]

    /// IC 1 Data, version 0.
    public static let data = InterfaceClass(classID: 1, version: 0, name: "Data", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "value", .any, .notSpecific),
    ])

    /// IC 3 Register, version 0.
    public static let register = InterfaceClass(classID: 3, version: 0, name: "Register", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "value", .simple, .notSpecific),
        A(3, "scaler_unit", .scalerUnit, .static),
    ], methods: [
        M(1, "reset"),
        M(2, "next_period", unconfirmed: true, note: "listed by SP only; GX method count 1, WS lists only reset"),
    ])

    /// IC 4 Extended register, version 0.
    public static let extendedRegister = InterfaceClass(classID: 4, version: 0, name: "Extended register", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "value", .simple, .notSpecific),
        A(3, "scaler_unit", .scalerUnit, .static, note: "GX getDataType(3) returns ARRAY"),
        A(4, "status", .any, .dynamic),
        A(5, "capture_time", .dateTimeOctets, .dynamic),
    ], methods: [
        M(1, "reset", note: "GX getMethodCount() returns 0"),
    ])

    /// IC 5 Demand register, version 0.
    public static let demandRegister = InterfaceClass(classID: 5, version: 0, name: "Demand register", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "current_average_value", .simple, .dynamic),
        A(3, "last_average_value", .simple, .dynamic),
        A(4, "scaler_unit", .scalerUnit, .static),
        A(5, "status", .any, .dynamic),
        A(6, "capture_time", .dateTimeOctets, .dynamic),
        A(7, "start_time_current", .dateTimeOctets, .dynamic),
        A(8, "period", .type(.doubleLongUnsigned), .static),
        A(9, "number_of_periods", .type(.longUnsigned), .static),
    ], methods: [
        M(1, "reset"),
        M(2, "next_period", note: "GX, WS, JD; SP lists only reset"),
    ])

    /// IC 7 Profile generic, version 1 (methods 3/4, named by WS only, are left out: UNCONFIRMED).
    public static let profileGeneric = InterfaceClass(classID: 7, version: 1, name: "Profile generic", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "buffer", .array(.type(.structure)), .dynamic),
        A(3, "capture_objects", .array(.captureObjectDefinition), .static),
        A(4, "capture_period", .type(.doubleLongUnsigned), .static),
        A(5, "sort_method", .type(.enum), .static),
        A(6, "sort_object", .oneOf([.captureObjectDefinition, .type(.array)]), .static,
          note: "SP structure; GX getDataType(6) says ARRAY"),
        A(7, "entries_in_use", .type(.doubleLongUnsigned), .dynamic),
        A(8, "profile_entries", .type(.doubleLongUnsigned), .static),
    ], methods: [
        M(1, "reset"),
        M(2, "capture"),
    ])

    /// IC 8 Clock, version 0.
    public static let clock = InterfaceClass(classID: 8, version: 0, name: "Clock", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "time", .dateTimeOctets, .dynamic),
        A(3, "time_zone", .type(.long), .static),
        A(4, "status", .type(.unsigned), .dynamic),
        A(5, "daylight_savings_begin", .dateTimeOctets, .static),
        A(6, "daylight_savings_end", .dateTimeOctets, .static),
        A(7, "daylight_savings_deviation", .type(.integer), .static),
        A(8, "daylight_savings_enabled", .type(.boolean), .static),
        A(9, "clock_base", .type(.enum), .static),
    ], methods: [
        M(1, "adjust_to_quarter"),
        M(2, "adjust_to_measuring_period"),
        M(3, "adjust_to_minute"),
        M(4, "adjust_to_preset_time"),
        M(5, "preset_adjusting_time", .oneOf([
            .structure([.octetString(12), .octetString(12), .octetString(12)]),
            .structure([.type(.dateTime), .type(.dateTime), .type(.dateTime)]),
        ]), note: "GX 3 × os(12); SP 3 × date-time (tag 25)"),
        M(6, "shift_time", .type(.long)),
    ])

    /// IC 9 Script table, version 0.
    public static let scriptTable = InterfaceClass(classID: 9, version: 0, name: "Script table", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "scripts", .array(.structure([
            .type(.longUnsigned),
            .array(.structure([.type(.enum), .type(.longUnsigned), .logicalName, .type(.integer), .any])),
        ])), .static),
    ], methods: [
        M(1, "execute", .type(.longUnsigned)),
    ])

    /// IC 15 Association LN at version 0, 1 or 2 (v3 access rights are UNCONFIRMED and not modelled).
    public static func associationLN(_ version: UInt8) -> InterfaceClass {
        InterfaceClass(classID: 15, version: version, name: "Association LN", attributes: [
            A(1, "logical_name", .logicalName, .static),
            A(2, "object_list", .array(.objectListElement(version: version)), .static),
            A(3, "associated_partners_id", .structure([.type(.integer), .type(.longUnsigned)]), .static),
            A(4, "application_context_name", .oidForms, .static, note: "GX structure of 7 arcs; SP v1+ octet-string"),
            A(5, "xDLMS_context_info", .structure([
                .type(.bitString), .type(.longUnsigned), .type(.longUnsigned), .type(.unsigned), .type(.integer), .type(.octetString),
            ]), .static),
            A(6, "authentication_mechanism_name", .oidForms, .static, note: "GX structure of 7 arcs; SP v1 octet-string"),
            A(7, "secret", .type(.octetString), .notSpecific),
            A(8, "association_status", .type(.enum), .dynamic),
            A(9, "security_setup_reference", .logicalName, .static, since: 1),
            A(10, "user_list", .array(.userEntry), .unconfirmed, since: 2),
            A(11, "current_user", .userEntry, .unconfirmed, since: 2),
        ], methods: [
            M(1, "reply_to_HLS_authentication", .type(.octetString)),
            M(2, "change_HLS_secret", .type(.octetString)),
            M(3, "add_object", .objectListElement(version: version)),
            M(4, "remove_object", .objectListElement(version: version)),
            M(5, "add_user", .userEntry, since: 2),
            M(6, "remove_user", .userEntry, since: 2),
        ])
    }

    /// IC 17 SAP assignment, version 0 (static/dynamic UNCONFIRMED).
    public static let sapAssignment = InterfaceClass(classID: 17, version: 0, name: "SAP assignment", attributes: [
        A(1, "logical_name", .logicalName, .unconfirmed),
        A(2, "SAP_assignment_list", .array(.structure([.type(.longUnsigned), .type(.octetString)])), .unconfirmed),
    ], methods: [
        M(1, "connect_logical_device", .structure([.type(.longUnsigned), .type(.octetString)]), unconfirmed: true,
          note: "GX and WS use method 1; JD enum says 3"),
    ])

    /// IC 18 Image transfer, version 0 — not in the fact sheet. Settled from two public
    /// implementations that agree: Gurux GXDLMSImageTransfer (GetDataType: octet-string,
    /// double-long-unsigned, bit-string, double-long-unsigned, boolean, enum, array; 7 attributes,
    /// 4 methods) and the Renesas DLMS library (class18_child_record_t: uint32 image_block_size,
    /// BitString image_transferred_blocks_status, uint32 image_first_not_transferred_block_number,
    /// uint8 image_transfer_enabled, image_transfer_status, image_to_activate_info array).
    /// Method parameters as Gurux sends them (ImageTransferInitiate: structure{octet-string identifier,
    /// double-long-unsigned size}; ImageBlockTransfer: structure{double-long-unsigned number, octet-string block}).
    public static let imageTransfer = InterfaceClass(classID: 18, version: 0, name: "Image transfer", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "image_block_size", .type(.doubleLongUnsigned), .static),
        A(3, "image_transferred_blocks_status", .type(.bitString), .dynamic),
        A(4, "image_first_not_transferred_block_number", .type(.doubleLongUnsigned), .dynamic),
        A(5, "image_transfer_enabled", .type(.boolean), .static),
        A(6, "image_transfer_status", .type(.enum), .dynamic),
        A(7, "image_to_activate_info", .array(.structure([.type(.doubleLongUnsigned), .type(.octetString), .type(.octetString)])), .dynamic),
    ], methods: [
        M(1, "image_transfer_initiate", .structure([.type(.octetString), .type(.doubleLongUnsigned)])),
        M(2, "image_block_transfer", .structure([.type(.doubleLongUnsigned), .type(.octetString)])),
        M(3, "image_verify"),
        M(4, "image_activate"),
    ])

    /// IC 20 Activity calendar, version 0.
    public static let activityCalendar: InterfaceClass = {
        let season = AttributeType.array(.structure([.type(.octetString), .octetString(12), .type(.octetString)]))
        let week = AttributeType.array(.structure([.type(.octetString)] + Array(repeating: .type(.unsigned), count: 7)))
        let day = AttributeType.array(.structure([
            .type(.unsigned), .array(.structure([.octetString(4), .logicalName, .type(.longUnsigned)])),
        ]))
        return InterfaceClass(classID: 20, version: 0, name: "Activity calendar", attributes: [
            A(1, "logical_name", .logicalName, .static),
            A(2, "calendar_name_active", .type(.octetString), .static),
            A(3, "season_profile_active", season, .static),
            A(4, "week_profile_table_active", week, .static),
            A(5, "day_profile_table_active", day, .static),
            A(6, "calendar_name_passive", .type(.octetString), .static),
            A(7, "season_profile_passive", season, .static),
            A(8, "week_profile_table_passive", week, .static),
            A(9, "day_profile_table_passive", day, .static),
            A(10, "activate_passive_calendar_time", .dateTimeOctets, .static),
        ], methods: [
            M(1, "activate_passive_calendar"),
        ])
    }()

    /// IC 23 IEC HDLC setup, version 1.
    public static let hdlcSetup = InterfaceClass(classID: 23, version: 1, name: "IEC HDLC setup", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "comm_speed", .type(.enum), .static),
        A(3, "window_size_transmit", .type(.unsigned), .static),
        A(4, "window_size_receive", .type(.unsigned), .static),
        A(5, "max_info_field_length_transmit", .type(.longUnsigned), .static, note: "GX: unsigned in v0"),
        A(6, "max_info_field_length_receive", .type(.longUnsigned), .static),
        A(7, "inter_octet_time_out", .type(.longUnsigned), .static),
        A(8, "inactivity_time_out", .type(.longUnsigned), .static),
        A(9, "device_address", .type(.longUnsigned), .static),
    ])

    /// IC 40 Push setup at version 0, 1 or 2. The v1 push_object_list element (5 elements) is not
    /// spelt out by the fact sheet and is UNCONFIRMED.
    public static func pushSetup(_ version: UInt8) -> InterfaceClass {
        let pushObject: AttributeType = switch version {
        case 0: .captureObjectDefinition
        case 1: .unconfirmed("v1 push_object_list element has 5 elements, not listed")
        default: .structure([
            .type(.longUnsigned), .logicalName, .type(.integer), .type(.longUnsigned),
            .structure([.type(.enum), .any]), .array(.captureObjectDefinition),
        ])
        }
        let repetitionDelay: AttributeType = version < 2
            ? .type(.longUnsigned)
            : .structure([.type(.longUnsigned), .type(.longUnsigned), .type(.longUnsigned)])
        return InterfaceClass(classID: 40, version: version, name: "Push setup", attributes: [
            A(1, "logical_name", .logicalName, .static),
            A(2, "push_object_list", .array(pushObject), .static),
            A(3, "send_destination_and_method", .structure([.type(.enum), .type(.octetString), .type(.enum)]), .static),
            A(4, "communication_window", .array(.structure([.dateTimeOctets, .dateTimeOctets])), .static),
            A(5, "randomisation_start_interval", .type(.longUnsigned), .static),
            A(6, "number_of_retries", .type(.unsigned), .static),
            A(7, "repetition_delay", repetitionDelay, .static),
            A(8, "port_reference", .logicalName, .static, since: 1),
            A(9, "push_client_SAP", .type(.integer), .static, since: 1),
            A(10, "push_protection_parameters", .array(.structure([.type(.enum), .type(.structure)])), .static, since: 1),
            A(11, "push_operation_method", .type(.enum), .static, since: 2),
            A(12, "confirmation_parameters", .structure([.type(.dateTime), .type(.doubleLongUnsigned)]), .static, since: 2),
            A(13, "last_confirmation_date_time", .type(.dateTime), .dynamic, since: 2),
        ], methods: [
            M(1, "push"),
            M(2, "reset", since: 2),
        ])
    }

    /// IC 64 Security setup at version 0 or 1.
    public static func securitySetup(_ version: UInt8) -> InterfaceClass {
        let keyList = AttributeType.array(.structure([.type(.enum), .type(.octetString)]))
        let certificateIdentification = AttributeType.structure([.type(.enum), .oneOf([
            .structure([.type(.enum), .type(.enum), .type(.octetString)]),
            .structure([.type(.octetString), .type(.octetString)]),
        ])])
        return InterfaceClass(classID: 64, version: version, name: "Security setup", attributes: [
            A(1, "logical_name", .logicalName, .static),
            A(2, "security_policy", .type(.enum), .static, note: "v0 enumeration 0…3; v1 bit flags"),
            A(3, "security_suite", .type(.enum), .static),
            A(4, "client_system_title", .octetString(8), .dynamic),
            A(5, "server_system_title", .octetString(8), .static),
            A(6, "certificates", .array(.structure([
                .type(.enum), .type(.enum), .type(.octetString), .type(.octetString), .type(.octetString), .type(.octetString),
            ])), .dynamic, since: 1),
        ], methods: [
            M(1, "security_activate", .type(.enum)),
            M(2, version == 0 ? "global_key_transfer" : "key_transfer", keyList),
            M(3, "key_agreement", keyList, since: 1),
            M(4, "generate_key_pair", .type(.enum), since: 1),
            M(5, "generate_certificate_request", .type(.enum), since: 1),
            M(6, "import_certificate", .type(.octetString), since: 1),
            M(7, "export_certificate", certificateIdentification, since: 1),
            M(8, "remove_certificate", certificateIdentification, since: 1),
        ])
    }

    /// IC 70 Disconnect control, version 0 (GX reports version 1; how v1 differs is not documented).
    public static let disconnectControl = InterfaceClass(classID: 70, version: 0, name: "Disconnect control", attributes: [
        A(1, "logical_name", .logicalName, .static),
        A(2, "output_state", .type(.boolean), .dynamic),
        A(3, "control_state", .type(.enum), .dynamic),
        A(4, "control_mode", .type(.enum), .static, note: "0…6; GX adds 7, SP adds 129…134"),
    ], methods: [
        M(1, "remote_disconnect"),
        M(2, "remote_reconnect"),
    ])

    /// IC 71 Limiter, version 0.
    public static let limiter: InterfaceClass = {
        let scriptAction = AttributeType.structure([.logicalName, .type(.longUnsigned)])
        return InterfaceClass(classID: 71, version: 0, name: "Limiter", attributes: [
            A(1, "logical_name", .logicalName, .static),
            A(2, "monitored_value", .structure([.type(.longUnsigned), .logicalName, .type(.integer)]), .static),
            A(3, "threshold_active", .simple, .dynamic),
            A(4, "threshold_normal", .simple, .static),
            A(5, "threshold_emergency", .simple, .static),
            A(6, "min_over_threshold_duration", .type(.doubleLongUnsigned), .static),
            A(7, "min_under_threshold_duration", .type(.doubleLongUnsigned), .static),
            A(8, "emergency_profile", .structure([.type(.longUnsigned), .dateTimeOctets, .type(.doubleLongUnsigned)]), .static),
            A(9, "emergency_profile_group_id_list", .array(.type(.longUnsigned)), .static),
            A(10, "emergency_profile_active", .type(.boolean), .dynamic),
            A(11, "actions", .structure([scriptAction, scriptAction]), .static),
        ])
    }()
}
