/// What a server link (HDLC, wrapper) hands the logical device and gets back: APDUs, addressed by
/// the client's SAP. The link owns framing, segmentation and link faults; the logical device owns
/// associations, security, objects and application faults.
///
/// Used from one task at a time (a simulator stream or a server connection serialises calls).
public protocol DLMSLogicalDevice: AnyObject {
    /// One complete APDU (ACSE or xDLMS, LLC header removed) from `client`; the APDUs to send back
    /// in order (empty when none is due, e.g. after an unconfirmed request).
    func handle(apdu: [UInt8], from client: UInt16) -> [[UInt8]]
    /// The link to `client` was closed or disconnected (DISC, TCP close): its association ends.
    func linkClosed(client: UInt16)
}
