import DLMS

/// The standard event log (0.0.99.98.0.255, columns clock time and event code 0.0.96.11.0.255).
///
/// Event codes (simulator choice, in the style of the DLMS UA/IDIS standard event log):
/// 2 power up (at the clock's start), 4 clock adjusted (old time), 5 clock adjusted (new time),
/// 18 firmware activated, 47 supply disconnected, 48 supply reconnected.
extension COSEMServer {
    /// The event codes the server logs.
    public enum EventCode {
        /// 2: power up (logged at the clock's start).
        public static let powerUp: UInt16 = 2
        /// 4: clock adjusted, old time.
        public static let clockAdjustedOldTime: UInt16 = 4
        /// 5: clock adjusted, new time.
        public static let clockAdjustedNewTime: UInt16 = 5
        /// 18: firmware activated.
        public static let firmwareActivated: UInt16 = 18
        /// 47: supply disconnected (remote_disconnect).
        public static let disconnected: UInt16 = 47
        /// 48: supply reconnected (remote_reconnect).
        public static let reconnected: UInt16 = 48
    }

    /// The OBIS code of the standard event log.
    static let standardEventLog = OBISCode(0, 0, 99, 98, 0)

    /// Records `code` at the current simulated time.
    func logEvent(_ code: UInt16) {
        events.append((configuration.clock.nowSeconds, code))
        if events.count > 100 { events.removeFirst(events.count - 100) }
        lastEventCode = code
    }
}
