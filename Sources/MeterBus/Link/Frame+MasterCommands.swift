import CodecSupport

extension Frame {
    /// SND_NKE (C=40) to `address`: link reset; the slave answers E5 (§1.4, §1.5).
    /// SND_NKE to 253 deselects a selected slave (mbus4j).
    public static func sndNKE(address: UInt8) -> Frame {
        .short(control: .sndNKE, address: address)
    }

    /// REQ_UD1 (C=5A, or 7A with FCB=1) to `address`: request class 1 (alarm) data (§1.4).
    public static func reqUD1(address: UInt8, fcb: Bool) -> Frame {
        .short(control: .reqUD1(fcb: fcb), address: address)
    }

    /// REQ_UD2 (C=5B, or 7B with FCB=1) to `address`: request class 2 data (§1.4).
    /// Example (§1.2): FCB=1 to address 5 is `10 7B 05 80 16`.
    public static func reqUD2(address: UInt8, fcb: Bool) -> Frame {
        .short(control: .reqUD2(fcb: fcb), address: address)
    }

    /// A control frame when `data` is empty, else a long frame: the one way to build a frame
    /// whose user data may be empty (§1.1).
    public static func userDataFrame(control: ControlField, address: UInt8, ci: UInt8,
                                     data: ArraySlice<UInt8>) -> Frame {
        data.isEmpty
            ? .control(control: control, address: address, ci: ci)
            : .long(control: control, address: address, ci: ci, data: data)
    }

    /// Selection of a slave by secondary address: C (default 73) to A=253 with CI (default 52)
    /// and the 8 address bytes, F nibbles as wildcards (§1.8, libmbus
    /// `mbus_frame_select_secondary_pack`). jMBus uses C=53, and CI=56 to deselect.
    ///
    /// Example (§1.8): ID 12345678, anything else wildcarded, is
    /// `68 0B 0B 68 73 FD 52 78 56 34 12 FF FF FF FF D2 16`.
    public static func selection(secondary: SecondaryAddress, control: ControlField = .sndUDFCB,
                                 ci: ControlInformation = .selectionOfSlaves) -> Frame {
        .long(control: control, address: AddressField.networkLayer.rawValue, ci: ci.rawValue,
              data: secondary.wireBytes[...])
    }

    /// Baud-rate switch: control frame C=53, CI=B8…BF, no data (§1.9, libmbus
    /// `mbus_send_switch_baudrate_frame`). Example: 9600 Bd at address 5 is
    /// `68 03 03 68 53 05 BD 15 16`.
    public static func baudRateSwitch(address: UInt8, baud: BaudRate) -> Frame {
        .control(control: .sndUD, address: address, ci: baud.ciCode)
    }

    /// Application reset: C=53, CI=50, with an optional subcode byte (libmbus) or none, which
    /// makes it a control frame (jMBus `resetReadout`) (§1.9).
    public static func applicationReset(address: UInt8, subcode: UInt8? = nil) -> Frame {
        let ci = ControlInformation.applicationReset.rawValue
        guard let subcode else { return .control(control: .sndUD, address: address, ci: ci) }
        return .long(control: .sndUD, address: address, ci: ci, data: [subcode])
    }

    /// Set primary address: SND_UD (53) to `old`, CI=51, data `01 7A new` (DIF 01, VIF 7A
    /// "bus address") (§1.9, libmbus `mbus_set_primary_address`). Example, 5→7:
    /// `68 06 06 68 53 05 51 01 7A 07 2B 16`.
    ///
    /// Throws `.invalidValue` when `new` is 253, 254 or 255, which libmbus refuses.
    public static func setPrimaryAddress(old: UInt8, new: UInt8) throws(MeterBusError) -> Frame {
        guard AddressField(new).isAssignable else {
            throw MeterBusError(.invalidValue, at: dataOffset + 2,
                                "new primary address \(new) (0x\(HexText.format(CollectionOfOne(new)))) is reserved for selection or broadcast")
        }
        return .long(control: .sndUD, address: old, ci: ControlInformation.dataSend.rawValue,
                     data: [0x01, 0x7A, new])
    }
}
