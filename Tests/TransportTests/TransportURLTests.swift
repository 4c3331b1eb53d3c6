import Testing
import Transport

@Suite("TransportURL")
struct TransportURLTests {
    @Test func serialWithEveryParameter() throws {
        let url = try TransportURL(parsing: "serial:///dev/ttyUSB0?baud=2400&parity=even&databits=8&stopbits=1&echo=true&rts=on&dtr=off")
        let expected = TransportURL.SerialOptions(settings: .mbusDefault, echo: true, rts: true, dtr: false)
        #expect(url == .serial(path: "/dev/ttyUSB0", options: expected))
        #expect(url.scheme == "serial")
        #expect(try TransportURL(parsing: url.description) == url)
    }

    @Test func serialDefaultsTo9600EightNoneOne() throws {
        #expect(try TransportURL(parsing: "serial:///dev/pts/3") == .serial(path: "/dev/pts/3", options: .init()))
        #expect(try TransportURL(parsing: "serial:///dev/ttyS0?baud=300&databits=7&parity=even")
            == .serial(path: "/dev/ttyS0", options: .init(settings: try .sevenEvenOne(baud: 300))))
    }

    @Test func networkAndOtherSchemes() throws {
        #expect(try TransportURL(parsing: "tcp://meter.local:4059") == .tcp(host: "meter.local", port: 4059))
        #expect(try TransportURL(parsing: "tcp://[::1]:4059") == .tcp(host: "::1", port: 4059))
        #expect(try TransportURL(parsing: "udp://10.0.0.7:4059") == .udp(host: "10.0.0.7", port: 4059))
        #expect(try TransportURL(parsing: "https://head-end:8443/cim/MeterReadings")
            == .http(secure: true, host: "head-end", port: 8443, path: "/cim/MeterReadings"))
        #expect(try TransportURL(parsing: "http://head-end") == .http(secure: false, host: "head-end", port: 80, path: "/"))
        #expect(try TransportURL(parsing: "sim:mbus") == .simulator(protocolName: "mbus", faults: []))
        #expect(try TransportURL(parsing: "sim:mbus?faults=bad-checksum,no-reply")
            == .simulator(protocolName: "mbus", faults: ["bad-checksum", "no-reply"]))
    }

    @Test(arguments: [
        ("ttyUSB0", "'ttyUSB0' has no scheme (expected serial:, tcp:, udp:, http:, https: or sim:)"),
        ("ftp://x:1", "unknown scheme 'ftp' (expected serial, tcp, udp, http, https or sim)"),
        ("serial://dev/ttyUSB0", "serial URL must be serial:///absolute/device/path, got 'serial://dev/ttyUSB0'"),
        ("serial:///dev/ttyUSB0?baud=2401", "unsupported baud rate 2401 (standard rates: 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400)"),
        ("serial:///dev/ttyUSB0?baud=fast", "baud 'fast' is not a number"),
        ("serial:///dev/ttyUSB0?parity=mark", "parity 'mark' (expected none, even or odd)"),
        ("serial:///dev/ttyUSB0?databits=5", "unsupported 5 data bits (7 or 8)"),
        ("serial:///dev/ttyUSB0?speed=2400", "unknown serial parameter 'speed' (expected baud, parity, databits, stopbits, echo, rts, dtr)"),
        ("serial:///dev/ttyUSB0?baud=2400&baud=9600", "parameter 'baud' given twice"),
        ("serial:///dev/ttyUSB0?echo=maybe", "echo 'maybe' (expected true/false or on/off)"),
        ("tcp://host", "'tcp://host' has no port (expected host:port)"),
        ("tcp://host:70000", "port '70000' in 'tcp://host:70000' is not a number from 1 to 65535"),
        ("tcp://:4059", "'tcp://:4059' has no host"),
        ("tcp://::1:4059", "IPv6 host must be in brackets, e.g. [::1]:4059, in 'tcp://::1:4059'"),
        ("udp://host:4059/x", "udp URL 'udp://host:4059/x' takes no path"),
        ("sim:", "sim URL 'sim:' names no protocol (e.g. sim:mbus)"),
        ("sim:mbus?fault=x", "unknown sim parameter 'fault' (only 'faults')"),
        ("sim:mbus?faults=a,,b", "empty fault name in 'faults=a,,b'"),
    ])
    func invalidURLsSayWhatIsWrong(text: String, message: String) {
        #expect(throws: TransportError.invalidURL(message)) { try TransportURL(parsing: text) }
    }
}
