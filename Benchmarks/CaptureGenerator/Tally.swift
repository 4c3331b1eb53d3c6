import CodecSupport

/// A fault the generator put into the traffic on purpose, which `meterproof analyze` must report.
struct PlantedFinding {
    enum Kind: String, CaseIterable {
        /// A confirmed GET request the meter never answers (the last request before the head end closes).
        case requestWithoutResponse = "request_without_response"
        /// An AARE with result rejected-permanent (application-context-name-not-supported).
        case aareRejected = "aare_rejected"
        /// A GET response carrying data-access-result object-undefined.
        case dataAccessError = "data_access_error"
        /// An exception-response (service-not-allowed, operation-not-possible) to a GET in a clear association.
        case exceptionResponse = "exception_response"
        /// A plain get-response with meter data inside a ciphered (LN with ciphering) association.
        case cleartextInCipheredAssociation = "cleartext_in_ciphered_association"
        /// A ciphered GET response whose invocation counter equals the meter's previous one.
        case invocationCounterReplay = "invocation_counter_replay"
        /// A general-glo-ciphered data-notification whose GCM tag is wrong (the key is in the key store).
        case gcmTagFailure = "gcm_tag_failure"
        /// A data-notification with an unknown data type tag at APDU offset 20.
        case malformedPDU = "malformed_pdu"
    }

    var kind: Kind
    /// The frame that completes the PDU (1-based, as tshark numbers frames).
    var frame: Int
    /// `client:port > server:port` of the TCP connection.
    var conversation: String
}

/// What the generator wrote: the PDUs by kind and every planted finding.
struct Tally {
    /// Wrapper frames by APDU name (`aarq`, `glo-get-response`, …); each wrapper frame is one PDU.
    var pdus: [String: Int] = [:]
    var findings: [PlantedFinding] = []
    var tcpConnections = 0
    var conversationsByRole: [MeterRole: Int] = [:]
    var firstMicros: UInt64 = 0
    var lastMicros: UInt64 = 0

    mutating func count(_ apduName: String) { pdus[apduName, default: 0] += 1 }

    var totalPDUs: Int { pdus.values.reduce(0, +) }

    /// The sidecar: counts first, then the planted findings with their frames.
    func json(capture: String, keyStore: String, seed: UInt64, bytes: Int, packets: Int, meters: Int,
              rates: FaultRates) -> JSONValue {
        let findingCounts = PlantedFinding.Kind.allCases.map { kind in
            (kind.rawValue, JSONValue.int(Int64(findings.filter { $0.kind == kind }.count)))
        }
        return .object([
            ("generator", .string("meterproof-capture-gen")),
            ("capture", .string(capture)),
            ("key_store", .string(keyStore)),
            ("format", .string("pcap, LINKTYPE_ETHERNET, IPv4, TCP; DLMS wrapper on port 4059")),
            ("seed", .uint(seed)),
            ("bytes", .int(Int64(bytes))),
            ("packets", .int(Int64(packets))),
            ("time_span_seconds", .double(Double(lastMicros - firstMicros) / 1e6)),
            ("meters", .int(Int64(meters))),
            ("tcp_connections", .int(Int64(tcpConnections))),
            ("conversations_by_role", .object(MeterRole.allCases.map { ($0.rawValue, .int(Int64(conversationsByRole[$0] ?? 0))) })),
            ("dlms_pdus", .int(Int64(totalPDUs))),
            ("dlms_pdus_by_apdu", .object(pdus.keys.sorted().map { ($0, .int(Int64(pdus[$0]!))) })),
            ("findings", .object(findingCounts)),
            ("fault_rates", rates.json),
            ("planted", .array(findings.map { f in
                .object([("kind", .string(f.kind.rawValue)), ("frame", .int(Int64(f.frame))),
                         ("conversation", .string(f.conversation))])
            })),
        ])
    }
}

/// How often each fault is planted (probabilities per conversation, request or APDU).
struct FaultRates {
    /// Per polled conversation: the AARE rejects the association.
    var aareRejected = 0.01
    /// Per accepted polled conversation: the last request goes unanswered.
    var requestWithoutResponse = 0.01
    /// Per GET request: it names an undefined object.
    var dataAccessError = 0.004
    /// Per GET request in a clear association: an exception-response answers it.
    var exceptionResponse = 0.002
    /// Per normal GET response in a ciphered association: sent in the clear.
    var cleartextInCipheredAssociation = 0.003
    /// Per normal GET response in a ciphered association after the first: the previous counter again.
    var invocationCounterReplay = 0.003
    /// Per ciphered push: a wrong GCM tag.
    var gcmTagFailure = 0.003
    /// Per clear push: a malformed data-notification.
    var malformedPDU = 0.003

    var json: JSONValue {
        .object([
            ("aare_rejected", .double(aareRejected)), ("request_without_response", .double(requestWithoutResponse)),
            ("data_access_error", .double(dataAccessError)), ("exception_response", .double(exceptionResponse)),
            ("cleartext_in_ciphered_association", .double(cleartextInCipheredAssociation)),
            ("invocation_counter_replay", .double(invocationCounterReplay)),
            ("gcm_tag_failure", .double(gcmTagFailure)), ("malformed_pdu", .double(malformedPDU)),
        ])
    }
}
