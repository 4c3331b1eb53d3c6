import Testing
@testable import Analysis

@Suite("Analysis: decode-as rules")
struct DecodeAsRuleTests {
    @Test("tcp.port==N,dlms and udp.port==N,mbus parse; other forms do not")
    func parse() {
        #expect(DecodeAsRule(parsing: "tcp.port==4060,dlms") == DecodeAsRule(transport: .tcp, port: 4060, protocolName: "dlms"))
        #expect(DecodeAsRule(parsing: "udp.port==9000,mbus") == DecodeAsRule(transport: .udp, port: 9000, protocolName: "mbus"))
        #expect(DecodeAsRule(parsing: "tcp.port=4060,dlms") == nil)
        #expect(DecodeAsRule(parsing: "tcp.port==70000,dlms") == nil)
        #expect(DecodeAsRule(parsing: "tcp.port==4060") == nil)
    }
}
