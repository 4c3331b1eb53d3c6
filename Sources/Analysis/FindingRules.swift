/// Every rule the built-in checks apply. A protocol's dissector registration lists its own rules
/// (``DissectorRegistration/rules``); these are the ones the pipeline and the built-in dissectors use.
public enum FindingRules {
    // MARK: Capture and transport

    /// A packet that could not be decoded below the dissectors (link, IP, TCP, UDP header).
    public static let undecodablePacket = FindingRule(
        id: "capture.undecodable-packet", severity: .warning,
        title: "Every packet decodes at the link, IP and TCP/UDP layers",
        source: "implementation (Sources/Capture decoders: RFC 791, RFC 8200, RFC 9293, RFC 768)")
    /// Bytes missing from a TCP stream.
    public static let tcpGap = FindingRule(
        id: "tcp.gap", severity: .warning,
        title: "A TCP stream is captured without missing bytes",
        source: "implementation (TCPReassembler: RFC 9293 §3.4 sequence space; missing segments are reported, not guessed)")
    /// Retransmitted TCP bytes that differ from the first copy.
    public static let tcpOverlapConflict = FindingRule(
        id: "tcp.overlap-conflict", severity: .warning,
        title: "Retransmitted TCP bytes equal the bytes first sent",
        source: "implementation (TCPReassembler: the first copy wins, a differing retransmission is reported)")
    /// An IPv4 datagram whose fragments never completed.
    public static let ipFragmentDropped = FindingRule(
        id: "ip.fragments-incomplete", severity: .warning,
        title: "Every IPv4 fragment series completes",
        source: "implementation (IPv4Reassembler: RFC 791 §3.2, RFC 815)")

    // MARK: DLMS/COSEM

    /// A confirmed request with no response before the conversation ended or a later request was answered.
    public static let dlmsRequestWithoutResponse = FindingRule(
        id: "dlms.request-without-response", severity: .warning,
        title: "Every confirmed request (AARQ, RLRQ, GET/SET/ACTION with service-class confirmed) is answered",
        source: "fact sheet dlms.md §5.6 (invoke-id-and-priority: service-class confirmed expects a response)")
    /// A response with no outstanding request of its service.
    public static let dlmsResponseWithoutRequest = FindingRule(
        id: "dlms.response-without-request", severity: .error,
        title: "A response answers an outstanding request of the same service",
        source: "fact sheet dlms.md §5.1 (APDU tag table: request/response pairs), §4.1 (AARQ/AARE, RLRQ/RLRE)")
    /// A response whose invoke-id differs from its request's.
    public static let dlmsInvokeIDMismatch = FindingRule(
        id: "dlms.invoke-id-mismatch", severity: .error,
        title: "A response carries the invoke-id of the request it answers",
        source: "fact sheet dlms.md §5.6 (invoke-id-and-priority)")
    /// A response later than the latency threshold.
    public static let dlmsResponseLatency = FindingRule(
        id: "dlms.response-latency", severity: .warning,
        title: "A response arrives within the latency threshold (default 5 s)",
        source: "fact sheet dlms.md §1.10 (JD response timeout and GX client wait time: 5000 ms)")
    /// An AARE with a result other than accepted.
    public static let dlmsAARERejected = FindingRule(
        id: "dlms.aare-rejected", severity: .warning,
        title: "The association is accepted (AARE result accepted)",
        source: "fact sheet dlms.md §4.7 (association result and result-source-diagnostic)")
    /// An ExceptionResponse.
    public static let dlmsExceptionResponse = FindingRule(
        id: "dlms.exception-response", severity: .warning,
        title: "Requests are served without an ExceptionResponse",
        source: "fact sheet dlms.md §5.5 (ExceptionResponse D8)")
    /// A ConfirmedServiceError.
    public static let dlmsConfirmedServiceError = FindingRule(
        id: "dlms.confirmed-service-error", severity: .warning,
        title: "Requests are served without a ConfirmedServiceError",
        source: "fact sheet dlms.md §5.4 (ConfirmedServiceError 0E)")
    /// A Data-Access-Result or Action-Result other than success.
    public static let dlmsDataAccessError = FindingRule(
        id: "dlms.data-access-error", severity: .warning,
        title: "GET/SET/ACTION results are success",
        source: "fact sheet dlms.md §6.6 (Data-Access-Result), §6.7 (Action-Result)")
    /// Meter data in clear where ciphering is expected.
    public static let dlmsCleartextMeterData = FindingRule(
        id: "dlms.cleartext-meter-data", severity: .error,
        title: "Meter data (GET/SET/ACTION responses, notifications) is ciphered where ciphering is expected (privacy)",
        source: "fact sheet dlms.md §4.5 (application contexts with ciphering), §7.2 (ciphered APDU layouts); expectation from --expect-ciphering or a ciphered association in the conversation")
    /// An invocation counter that does not increase.
    public static let dlmsInvocationCounterReplay = FindingRule(
        id: "dlms.invocation-counter-replay", severity: .error,
        title: "The invocation counter of each system title strictly increases (no replay, no IV reuse)",
        source: "fact sheet dlms.md §7.3 (IV = system title ‖ invocation counter); InvocationCounterTracker (Green Book 9.2.7.2.3 as cited there)")
    /// A GCM tag that does not verify with the known keys.
    public static let dlmsGCMTagFailure = FindingRule(
        id: "dlms.gcm-tag-failure", severity: .error,
        title: "Ciphered APDUs authenticate with the keys of their system title",
        source: "fact sheet dlms.md §7.4 (suite 0 AAD), §7.5 (test vector)")
    /// A DLMS frame or APDU that does not decode.
    public static let dlmsMalformedPDU = FindingRule(
        id: "dlms.malformed-pdu", severity: .error,
        title: "Frames (HDLC, wrapper) and APDUs decode",
        source: "fact sheet dlms.md §1 (HDLC), §3 (wrapper), §4–§6 (ACSE, xDLMS, A-XDR)")

    // MARK: M-Bus

    /// A frame whose checksum is wrong.
    public static let mbusChecksumError = FindingRule(
        id: "mbus.checksum-error", severity: .error,
        title: "Every M-Bus frame's checksum is right",
        source: "fact sheet mbus.md §1.2 (checksum)")
    /// A frame that does not decode.
    public static let mbusMalformedFrame = FindingRule(
        id: "mbus.malformed-frame", severity: .error,
        title: "Every M-Bus frame is well formed (start, L fields, stop byte)",
        source: "fact sheet mbus.md §1.1 (frame formats)")
    /// A reply from an address not in `--mbus-addresses`.
    public static let mbusUnexpectedAddress = FindingRule(
        id: "mbus.unexpected-address", severity: .warning,
        title: "Replies come only from the expected primary addresses (--mbus-addresses)",
        source: "fact sheet mbus.md §1.6 (A field, primary address)")
    /// A request that was not answered.
    public static let mbusRequestWithoutResponse = FindingRule(
        id: "mbus.request-without-response", severity: .warning,
        title: "Every request to a slave address is answered (E5 or a reply frame)",
        source: "fact sheet mbus.md §1.4 (C field values), §1.6 (broadcast 0xFF is not answered), §1.10 (answer window)")
    /// A reply later than the latency threshold.
    public static let mbusResponseLatency = FindingRule(
        id: "mbus.response-latency", severity: .warning,
        title: "A reply arrives within the answer window: 330 bit times + 50 ms at the recorded line speed, else 1.3 s",
        source: "fact sheet mbus.md §1.10 (answer window 330 bit times + 50 ms; L's 1.3 s receive timeout at 300 Bd when the speed is unknown)")
    /// A reply without a request.
    public static let mbusResponseWithoutRequest = FindingRule(
        id: "mbus.response-without-request", severity: .warning,
        title: "A slave frame answers a master request",
        source: "fact sheet mbus.md §1.3 (C field direction bit), §1.10 (answer window)")

    /// The pipeline's own rules (not tied to a dissector).
    public static let pipeline: [FindingRule] = [undecodablePacket, tcpGap, tcpOverlapConflict, ipFragmentDropped]
}
