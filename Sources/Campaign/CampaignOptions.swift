/// What `meterproof run` was asked to do.
public struct CampaignOptions: Sendable {
    /// How the device under test is described.
    public enum Device: Sendable, Equatable {
        /// A `*.device.yaml` profile: transport, PICS, PIXIT.
        case profile(path: String)
        /// A transport URL with the suites' protocols' default PICS and PIXIT.
        case target(url: String)
    }

    /// Suite files or folders (every `*.yaml` below a folder, sorted).
    public var suitePaths: [String]
    public var device: Device
    /// The folder run folders are created in (`Reports` by default).
    public var reportRoot: String
    /// The run folder's name; generated from the time and protocols when nil.
    public var runId: String?
    /// `--case` globs; empty selects every case.
    public var caseGlobs: [String]
    /// `--include-secrets`: leave secrets in the run folder (for debugging a bench, never for sharing).
    public var includeSecrets: Bool
    /// `--keys FILE`: the key store.
    public var keysPath: String?

    public init(
        suitePaths: [String], device: Device, reportRoot: String = "Reports", runId: String? = nil,
        caseGlobs: [String] = [], includeSecrets: Bool = false, keysPath: String? = nil
    ) {
        self.suitePaths = suitePaths
        self.device = device
        self.reportRoot = reportRoot
        self.runId = runId
        self.caseGlobs = caseGlobs
        self.includeSecrets = includeSecrets
        self.keysPath = keysPath
    }
}

/// Why a campaign could not start (exit status 2); `message` is for the user, no stack trace.
public struct CampaignError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
