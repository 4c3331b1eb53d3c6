import CodecSupport

/// A whole M-Bus frame with its application-layer content decoded (EN 13757-2 and -3).
public struct Telegram: Sendable, Equatable {
    /// The frame and the checksum received with it.
    public let parsed: ParsedFrame
    /// The content after the CI field; nil for E5 and short frames.
    public let userData: UserData?

    /// The frame.
    public var frame: Frame { parsed.frame }

    /// Creates a telegram.
    public init(parsed: ParsedFrame, userData: UserData?) {
        self.parsed = parsed
        self.userData = userData
    }

    /// Decodes one frame and its content. Offsets in errors count from `bytes.startIndex`.
    ///
    /// With `requireValidChecksum` false a frame whose only defect is its checksum still decodes,
    /// and ``ParsedFrame/checksumOK`` reports it (the analyser and the conformance checks use this).
    public static func decode(_ bytes: ArraySlice<UInt8>, table: CITable = .wired,
                              requireValidChecksum: Bool = true) throws(MeterBusError) -> Telegram {
        let parsed = try Frame.parse(bytes)
        if requireValidChecksum, let error = parsed.checksumError { throw error }
        guard let ci = parsed.frame.ci else { return Telegram(parsed: parsed, userData: nil) }
        // A control frame's data is empty; take it from the input so that its indices are frame offsets.
        let dataStart = bytes.startIndex + Frame.dataOffset
        let data = parsed.frame.userData.isEmpty ? bytes[dataStart..<dataStart] : parsed.frame.userData
        let userData = try UserData.decode(ci: ci, data: data, origin: bytes.startIndex, table: table)
        return Telegram(parsed: parsed, userData: userData)
    }

    /// Decodes one frame and its content.
    public static func decode(_ bytes: [UInt8], table: CITable = .wired,
                              requireValidChecksum: Bool = true) throws(MeterBusError) -> Telegram {
        try decode(bytes[...], table: table, requireValidChecksum: requireValidChecksum)
    }

    /// The variable data structure, when the telegram carries one.
    public var variableData: VariableDataStructure? {
        switch userData {
        case let .variableData(v)?, let .dataSend(v)?: return v
        default: return nil
        }
    }

    /// The data records (empty when there are none).
    public var records: [DataRecord] { variableData?.records ?? [] }
}

extension Telegram {
    /// Builds a telegram carrying `userData` from a slave or master (checksum computed).
    public init(control: ControlField, address: UInt8, userData: UserData) throws(MeterBusError) {
        guard let data = userData.encoded() else {
            throw MeterBusError(.invalidValue, at: 0, "a record's value does not fit its data field coding")
        }
        let frame = Frame.userDataFrame(control: control, address: address, ci: userData.ci, data: data[...])
        self.init(parsed: ParsedFrame(frame: frame, receivedChecksum: frame.checksum), userData: userData)
    }

    /// Encodes the frame from the decoded content, so that `encoded(decode(x)) == x` for valid input.
    /// Nil when a record's value does not fit its coding.
    public func encoded() -> [UInt8]? {
        guard let userData, let c = frame.control, let a = frame.address, let ci = frame.ci,
              let data = userData.encoded() else {
            return self.userData == nil ? try? frame.encoded() : nil
        }
        return try? Frame.userDataFrame(control: c, address: a, ci: ci, data: data[...]).encoded()
    }
}
