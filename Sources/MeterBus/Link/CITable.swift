/// Which generation of the CI table a decoder reads (fact sheet §1.7; §9 items 1–2).
///
/// This is the one place where the choice is made: the wired codecs ask for `.wired`, the
/// wireless layers for `.wireless2018`, and a new generation is a new case here.
public enum CITable: String, Hashable, Sendable, CaseIterable {
    /// The older M-Bus usergroup table that libmbus, pyMeterBus and mbus4j implement
    /// (mode 1 = LSB first, mode 2 = MSB first; 0x73 = fixed data structure).
    case wired
    /// EN 13757-3:2018 / -4 / -7 as wmbusmeters and exmbus implement it
    /// (0x73 = compact frame with long transport-layer header).
    case wireless2018

    /// The meaning of CI `code` in this table (§1.7).
    public func meaning(of code: UInt8) -> ControlInformation.Meaning {
        switch self {
        case .wired: return ControlInformation.wiredMeaning(of: code)
        case .wireless2018: return ControlInformation.wireless2018Meaning(of: code)
        }
    }
}
