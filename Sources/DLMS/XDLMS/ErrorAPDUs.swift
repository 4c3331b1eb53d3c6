import CodecSupport

/// ConfirmedServiceError (`0E`): which service failed ‖ ServiceError choice ‖ its value — fact sheet §5.4.
public struct ConfirmedServiceError: Sendable, Hashable {
    /// ConfirmedServiceError choice names, index = choice (1…19; 0 unused).
    public static let serviceNames: [String] = [
        "", "initiateError", "getStatus", "getNameList", "getVariableAttribute", "read", "write",
        "getDataSetAttribute", "getTIAttribute", "changeScope", "start", "stop", "resume", "makeUsable",
        "initiateLoad", "loadSegment", "terminateLoad", "initiateUpLoad", "upLoadSegment", "terminateUpLoad",
    ]

    /// ServiceError choice names and their value names, index = choice (0…10).
    // Choices 8–10 follow the JD/WS ASN.1 (change-scope, task, other); GX and U9 number them differently.
    public static let errorTable: [(name: String, values: [String])] = [
        ("application-reference", ["other", "time-elapsed", "application-unreachable", "application-reference-invalid",
                                   "application-context-unsupported", "provider-communication-error", "deciphering-error"]),
        ("hardware-resource", ["other", "memory-unavailable", "processor-resource-unavailable",
                               "mass-storage-unavailable", "other-resource-unavailable"]),
        ("vde-state-error", ["other", "no-dlms-context", "loading-data-set", "status-nochange", "status-inoperable"]),
        ("service", ["other", "pdu-size", "service-unsupported"]),
        ("definition", ["other", "object-undefined", "object-class-inconsistent", "object-attribute-inconsistent"]),
        ("access", ["other", "scope-of-access-violated", "object-access-invalid", "hardware-fault", "object-unavailable"]),
        ("initiate", ["other", "dlms-version-too-low", "incompatible-conformance", "pdu-size-too-short",
                      "refused-by-the-VDE-Handler"]),
        ("load-data-set", ["other", "primitive-out-of-sequence", "not-loadable", "dataset-size-too-large",
                           "not-awaited-segment", "interpretation-failure", "storage-failure", "data-set-not-ready"]),
        ("change-scope", []),
        ("task", ["other", "no-remote-control", "ti-stopped", "ti-running", "ti-unusable"]),
        ("other", []),
    ]

    /// ConfirmedServiceError choice (1 initiateError, 5 read, 6 write, …).
    public var service: UInt8
    /// ServiceError choice (0 application-reference … 10 other).
    public var errorChoice: UInt8
    /// The enumerated value inside the ServiceError choice.
    public var errorValue: UInt8

    /// Creates an error APDU.
    public init(service: UInt8, errorChoice: UInt8, errorValue: UInt8) {
        self.service = service
        self.errorChoice = errorChoice
        self.errorValue = errorValue
    }

    /// Name of ``service`` (`service(n)` outside 1…19).
    public var serviceName: String {
        (1..<Self.serviceNames.count).contains(Int(service)) ? Self.serviceNames[Int(service)] : "service(\(service))"
    }
    /// Name of ``errorChoice`` (`choice(n)` outside 0…10).
    public var errorName: String {
        Int(errorChoice) < Self.errorTable.count ? Self.errorTable[Int(errorChoice)].name : "choice(\(errorChoice))"
    }
    /// Name of ``errorValue`` when the table defines it.
    public var errorValueName: String? {
        guard Int(errorChoice) < Self.errorTable.count else { return nil }
        let values = Self.errorTable[Int(errorChoice)].values
        return Int(errorValue) < values.count ? values[Int(errorValue)] : nil
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> ConfirmedServiceError {
        let start = r.offset
        let service = try r.readChoiceTag("ConfirmedServiceError choice")
        guard (1...19).contains(service) else {
            throw DLMSError(.unknownTag, at: start, "ConfirmedServiceError choice \(service) is not 1…19")
        }
        let errorStart = r.offset
        let choice = try r.readChoiceTag("ServiceError choice")
        guard choice <= 10 else {
            throw DLMSError(.unknownTag, at: errorStart, "ServiceError choice \(choice) is not 0…10")
        }
        return ConfirmedServiceError(service: service, errorChoice: choice, errorValue: try r.readByte("ServiceError value"))
    }

    func encode(into w: inout AXDRWriter) {
        w.append(service)
        w.append(errorChoice)
        w.append(errorValue)
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [
            ("service", .string(serviceName)), ("service_value", .uint(UInt64(service))),
            ("service_error", .string(errorName)), ("service_error_value", .uint(UInt64(errorValue))),
        ]
        if let v = errorValueName { m.append(("service_error_name", .string(v))) }
        return m
    }
}

/// ExceptionResponse (`D8`): state-error ‖ service-error ‖ invocation counter (service-error 6) — fact sheet §5.5.
public struct ExceptionResponse: Sendable, Hashable {
    /// state-error.
    public enum StateError: UInt8, Sendable, Hashable, CaseIterable {
        /// 1: service-not-allowed.
        case serviceNotAllowed = 1
        /// 2: service-unknown.
        case serviceUnknown = 2

        /// The standard's name.
        public var name: String { self == .serviceNotAllowed ? "service-not-allowed" : "service-unknown" }
    }

    /// service-error.
    public enum ServiceError: UInt8, Sendable, Hashable, CaseIterable {
        /// 1: operation-not-possible.
        case operationNotPossible = 1
        /// 2: service-not-supported.
        case serviceNotSupported = 2
        /// 3: other-reason.
        case otherReason = 3
        /// 4: pdu-too-long (GX, U9; WS/JD list only 1–3).
        case pduTooLong = 4
        /// 5: deciphering-error (GX, U9).
        case decipheringError = 5
        /// 6: invocation-counter-error, followed by the expected invocation counter (GX, U9).
        case invocationCounterError = 6

        /// The standard's name.
        public var name: String {
            switch self {
            case .operationNotPossible: "operation-not-possible"
            case .serviceNotSupported: "service-not-supported"
            case .otherReason: "other-reason"
            case .pduTooLong: "pdu-too-long"
            case .decipheringError: "deciphering-error"
            case .invocationCounterError: "invocation-counter-error"
            }
        }
    }

    /// The state error.
    public var stateError: StateError
    /// The service error.
    public var serviceError: ServiceError
    /// The invocation counter the server expects; present exactly when ``serviceError`` is 6.
    public var invocationCounter: UInt32?

    /// Creates an exception response.
    public init(stateError: StateError, serviceError: ServiceError, invocationCounter: UInt32? = nil) {
        self.stateError = stateError
        self.serviceError = serviceError
        self.invocationCounter = invocationCounter
    }

    static func decode(from r: inout AXDRReader) throws(DLMSError) -> ExceptionResponse {
        let start = r.offset
        let s = try r.readByte("state-error")
        guard let state = StateError(rawValue: s) else {
            throw DLMSError(.unknownTag, at: start, "state-error \(s) is not 1 or 2")
        }
        let e = try r.readByte("service-error")
        guard let service = ServiceError(rawValue: e) else {
            throw DLMSError(.unknownTag, at: start + 1, "service-error \(e) is not 1…6")
        }
        // GX reads the counter when four bytes remain; U9 ties it to service-error 6. We follow U9 (a counter
        // after another service-error is trailing bytes).
        let counter = service == .invocationCounterError ? try r.readUInt32() : nil
        return ExceptionResponse(stateError: state, serviceError: service, invocationCounter: counter)
    }

    func encode(into w: inout AXDRWriter) {
        w.append(stateError.rawValue)
        w.append(serviceError.rawValue)
        if serviceError == .invocationCounterError { w.appendUInt32(invocationCounter ?? 0) }
    }

    var jsonMembers: [(String, JSONValue)] {
        var m: [(String, JSONValue)] = [("state_error", .string(stateError.name)), ("service_error", .string(serviceError.name))]
        if serviceError == .invocationCounterError { m.append(("invocation_counter", .uint(UInt64(invocationCounter ?? 0)))) }
        return m
    }
}
