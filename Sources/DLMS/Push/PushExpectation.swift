/// What a receiver of pushes (IEC 62056 push setup, IC 40) expects of them: how they are protected,
/// how often they arrive, and what the notification body holds. Every part is optional; an absent
/// part is not checked.
public struct PushExpectation: Sendable, Hashable {
    /// The protection a push must at least have (security control byte, fact sheet §7.1).
    public enum Protection: String, Sendable, Hashable, CaseIterable {
        /// Anything, cleartext included.
        case none
        /// Encrypted (SC bit 5); cleartext is a finding.
        case ciphered
        /// Authenticated (SC bit 4); cleartext or encryption without authentication is a finding.
        case authenticated
    }

    /// The protection required.
    public var protection: Protection
    /// The expected time between two pushes from one sender, when checked.
    public var interval: Duration?
    /// How far an interval may be from ``interval``.
    public var tolerance: Duration
    /// The push setup's push_object_list (IC 40 attribute 2), when the body is checked against it.
    public var objects: [CaptureObjectDefinition]?

    /// An expectation; by default nothing is required.
    public init(protection: Protection = .none, interval: Duration? = nil, tolerance: Duration = .zero,
                objects: [CaptureObjectDefinition]? = nil) {
        self.protection = protection
        self.interval = interval
        self.tolerance = tolerance
        self.objects = objects
    }

    /// Parses a push object list written as `CLASS/OBIS/ATTRIBUTE[/DATA_INDEX]` items separated by
    /// commas or spaces, e.g. `40/0.0.25.9.0.255/1,8/0.0.1.0.0.255/2,3/1.0.1.8.0.255/2`
    /// (OBIS in any form ``OBISCode/init(parsing:)`` reads). Errors are `.invalidValue` with the
    /// item's position (0-based) as offset.
    public static func parseObjectList(_ text: String) throws(DLMSError) -> [CaptureObjectDefinition] {
        let items = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard !items.isEmpty else { throw DLMSError(.invalidValue, at: 0, "the push object list is empty") }
        var objects: [CaptureObjectDefinition] = []
        for (position, item) in items.enumerated() {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 || parts.count == 4 else {
                throw DLMSError(.invalidValue, at: position,
                                "push object '\(item)' is not CLASS/OBIS/ATTRIBUTE[/DATA_INDEX]")
            }
            guard let classID = UInt16(parts[0]) else {
                throw DLMSError(.invalidValue, at: position, "push object '\(item)': class id '\(parts[0])' is not 0–65535")
            }
            let obis: OBISCode
            do { obis = try OBISCode(parsing: parts[1]) } catch {
                throw DLMSError(.invalidValue, at: position, "push object '\(item)': \(error.reason)")
            }
            guard let attribute = Int8(parts[2]) else {
                throw DLMSError(.invalidValue, at: position, "push object '\(item)': attribute index '\(parts[2])' is not -128–127")
            }
            var dataIndex: UInt16 = 0
            if parts.count == 4 {
                guard let index = UInt16(parts[3]) else {
                    throw DLMSError(.invalidValue, at: position, "push object '\(item)': data index '\(parts[3])' is not 0–65535")
                }
                dataIndex = index
            }
            objects.append(CaptureObjectDefinition(classID: classID, logicalName: obis, attributeIndex: attribute, dataIndex: dataIndex))
        }
        return objects
    }
}
