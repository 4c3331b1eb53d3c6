/// A suite file: `TestSuites/<protocol>/<suite>.yaml`.
public struct TestSuite: Sendable, Hashable {
    /// Step timeout when neither the step, the case nor the suite gives one.
    public static let engineDefaultStepTimeout: Duration = .seconds(2)

    /// Stable identifier, e.g. `mbus-link-layer`.
    public var id: String
    /// One line.
    public var title: String
    /// Protocol identifier (`mbus`, `wmbus`, `dlms`, `c1218`, `c1222`, `cim`).
    public var protocolName: String
    /// The file it was loaded from.
    public var path: String
    /// The cases, in file order.
    public var cases: [TestCase]

    public init(id: String, title: String, protocolName: String, path: String, cases: [TestCase]) {
        self.id = id
        self.title = title
        self.protocolName = protocolName
        self.path = path
        self.cases = cases
    }
}
