/// Checks a notification body against the push setup's push_object_list (fact sheet §8.3 IC 40
/// attribute 2) and the attribute types of the interface class catalog (§8.3).
///
/// A DataNotification pushed by a push setup carries a structure with one element per
/// push_object_list entry, each the value of that entry's attribute (Gurux
/// `generatePushSetupMessages`). Types are checked only where the catalog knows the class and the
/// attribute and the entry names a whole attribute (attribute index > 0, data index 0); an
/// attribute every documented version declares differently from the element is a finding.
public enum PushContentCheck {
    /// The findings for `body` against `objects`.
    public static func findings(body: COSEMData, objects: [CaptureObjectDefinition]) -> [PushFinding] {
        guard case let .structure(elements) = body else {
            return [PushFinding(.contentCount,
                                "the notification body is \(body.type.name), not a structure of \(objects.count) push object value(s)")]
        }
        var findings: [PushFinding] = []
        if elements.count != objects.count {
            findings.append(PushFinding(.contentCount,
                                        "the notification body has \(elements.count) element(s); the push object list has \(objects.count)"))
        }
        for (index, pair) in zip(objects, elements).enumerated() {
            if let mismatch = typeMismatch(of: pair.1, for: pair.0, path: "body element \(index) (\(pair.0))") {
                findings.append(PushFinding(.contentType, mismatch))
            }
        }
        return findings
    }

    /// The findings for an EventNotification's attribute value against its descriptor's declared type.
    public static func findings(event: EventNotificationRequest) -> [PushFinding] {
        let d = event.attributeDescriptor
        let object = CaptureObjectDefinition(classID: d.classID, logicalName: d.instanceID, attributeIndex: d.attributeID)
        guard let mismatch = typeMismatch(of: event.attributeValue, for: object, path: "attribute value (\(object))") else { return [] }
        return [PushFinding(.contentType, mismatch)]
    }

    /// Nil when `value` fits the declared type of `object`'s attribute in at least one documented
    /// version of its class (or nothing is known to check it against); else the first version's defects.
    static func typeMismatch(of value: COSEMData, for object: CaptureObjectDefinition, path: String) -> String? {
        guard object.attributeIndex > 0, object.dataIndex == 0 else { return nil }
        let declared = InterfaceClass.versions(of: object.classID).compactMap { ic in
            ic.attribute(Int(object.attributeIndex)).map { (ic, $0) }
        }
        guard !declared.isEmpty, !declared.contains(where: { $0.1.type.isUnchecked }) else { return nil }
        var first: [String]?
        for (_, attribute) in declared {
            let defects = attribute.type.mismatches(value, path: path)
            if defects.isEmpty { return nil }
            if first == nil { first = defects }
        }
        let (ic, attribute) = declared[0]
        return "\(ic.name) attribute \(object.attributeIndex) \(attribute.name) is \(attribute.type): "
            + (first ?? []).prefix(3).joined(separator: "; ")
    }
}
