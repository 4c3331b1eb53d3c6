import ArgumentParser
import Dispatch
import Foundation
import MeterBus
import Simulators
import Transport

/// `meterproof simulate mbus (--pty | --listen tcp://HOST:PORT) [--fault NAME …] [--address N]`,
/// `meterproof simulate dlms (--listen tcp://HOST:PORT [--hdlc] | --pty [--mode-e]) [--fault NAME …]`.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a built-in reference meter on a pseudo-terminal or a TCP port.",
        discussion: """
        Runs MeterProof's reference slave so that any master can talk to it: another tool, a \
        gateway, or `meterproof run` itself. The M-Bus slave is a heat meter (EN 13757-2/-3): \
        primary address 1, identification number 12345678, manufacturer MPF, version 1, medium \
        heat (04), 2400 Bd 8E1; its clock is fixed (2026-01-15 10:30, billing date 2025-12-31), so \
        its telegrams are the same on every run. It answers SND_NKE, REQ_UD1/REQ_UD2 (FCB repeat, \
        two-telegram read-out), SND_UD, application reset, selection by secondary address with \
        wildcards at address 253, deselection and baud-rate switches.

        The DLMS/COSEM server is a meter with one logical device (server upper address 1, lower \
        address 17, wrapper wPort 1): public client 16 (no security), reader 32 (LLS password \
        12345678), manager 1 (HLS-GMAC, suite-0 ciphering; keys in DLMSSimulatorIdentity). Over \
        TCP it speaks the wrapper (IEC 62056-47) by default, HDLC (IEC 62056-46) with --hdlc; on \
        a pty it speaks HDLC, after an IEC 62056-21 mode E opening with --mode-e (300 Bd 7E1, \
        identification /MPR6\\2…, then 19200 Bd 8N1; on a pty the settings are only recorded). One \
        logical device serves every connection; connections are served at the same time.

        ENDPOINTS
          --pty               open a pseudo-terminal; a master opens the printed
                              /dev/pts/N like a serial port (8N1: a pty carries
                              no parity)
          --listen tcp://H:P  listen on host H, port P (0: any free port); M-Bus
                              serves one connection at a time, DLMS several at
                              once; bind to 127.0.0.1 unless you need another
                              host (the DLMS port is 4059)
          --hdlc              (dlms, --listen) HDLC frames over TCP instead of
                              the wrapper
          --mode-e            (dlms, --pty) begin each session with the IEC
                              62056-21 mode E opening

        OUTPUT
          The first line on standard output is the device path (/dev/pts/N) or
          the bound address (tcp://127.0.0.1:PORT, the real port when 0 was
          given). Diagnostics go to standard error. The simulator serves until
          SIGINT (Ctrl-C) or SIGTERM.

        FAULTS (--fault NAME, repeatable; also `meterproof list faults`)
        \(Self.faultList)

        EXIT STATUS
          0   stopped by SIGINT or SIGTERM
          2   the simulator could not start (unknown protocol or fault, bad
              address, port in use)

        EXAMPLES
          meterproof simulate mbus --pty
          meterproof simulate dlms --listen tcp://127.0.0.1:4059
          meterproof simulate dlms --listen tcp://127.0.0.1:4059 --hdlc --fault bad-fcs
          meterproof simulate dlms --pty --mode-e
          meterproof simulate mbus --listen tcp://127.0.0.1:10001 --fault late-reply
          meterproof simulate mbus --listen tcp://127.0.0.1:0 --address 5
          meterproof run TestSuites/mbus --target tcp://127.0.0.1:10001
        """
    )

    @Argument(help: ArgumentHelp("The protocol whose reference device to serve: mbus or dlms (dlms-hdlc: dlms with --hdlc).", valueName: "protocol"))
    var protocolName: String

    @Flag(help: "Serve on a new pseudo-terminal and print its device path.")
    var pty = false

    @Option(help: ArgumentHelp("Listen for TCP connections at tcp://HOST:PORT (port 0: any free port).", valueName: "url"))
    var listen: String?

    @Option(name: .customLong("fault"), help: ArgumentHelp("Switch a named fault on; repeatable.", valueName: "name"))
    var faults: [String] = []

    @Option(help: ArgumentHelp("Primary address of the slave, 0–250 (default 1; mbus only).", valueName: "n"))
    var address: Int?

    @Flag(help: "dlms over TCP: HDLC frames instead of the wrapper.")
    var hdlc = false

    @Flag(name: .customLong("mode-e"), help: "dlms on a pty: begin each session with the IEC 62056-21 mode E opening.")
    var modeE = false

    /// True for the DLMS/COSEM server (`dlms`, `dlms-hdlc`).
    var isDLMS: Bool { protocolName.hasPrefix(DLMSFault.protocolName) }

    /// The fault catalogue as help lines: the name, then its description wrapped below it.
    static var faultList: String {
        SimulatorCatalogue.faults.map { fault in
            var lines = ["  \(fault.name) (\(fault.protocol))"]
            var line = "     "
            for word in fault.description.split(separator: " ") {
                if line.count + word.count + 1 > 78 {
                    lines.append(line)
                    line = "     "
                }
                line += " " + word
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    func validate() throws {
        guard SimulatorCatalogue.protocols.contains(protocolName) else {
            throw ValidationError("no simulator for protocol '\(protocolName)' (simulators: \(SimulatorCatalogue.protocols.joined(separator: ", ")))")
        }
        if pty == (listen != nil) {
            throw ValidationError("give exactly one of --pty and --listen tcp://HOST:PORT")
        }
        if let listen {
            _ = try Self.listenAddress(listen)
        }
        do {
            if isDLMS { _ = try DLMSFault.parse(faults) } else { _ = try MBusFault.parse(faults) }
        } catch {
            throw ValidationError(error.description)
        }
        if isDLMS {
            if address != nil { throw ValidationError("--address is for mbus; the DLMS server's addresses are fixed (upper 1, lower 17)") }
            if (hdlc || protocolName == DLMSSimulatorStream.Framing.hdlc.protocolName) && pty {
                throw ValidationError("--hdlc is for --listen; on a pty the DLMS server always speaks HDLC")
            }
            if modeE && !pty { throw ValidationError("--mode-e is for --pty (an optical or serial port)") }
        } else if hdlc || modeE {
            throw ValidationError("--hdlc and --mode-e are for dlms")
        }
        if let address, !(0...250).contains(address) {
            throw ValidationError("--address \(address) is not a primary address (0–250; 253–255 are reserved)")
        }
    }

    /// Host and port of `tcp://HOST:PORT`; port 0 is allowed (any free port).
    static func listenAddress(_ text: String) throws -> (host: String, port: UInt16) {
        guard text.lowercased().hasPrefix("tcp://") else {
            throw ValidationError("--listen takes tcp://HOST:PORT, e.g. tcp://127.0.0.1:10001; got '\(text)'")
        }
        var authority = String(text.dropFirst("tcp://".count))
        if authority.hasSuffix("/") { authority.removeLast() }
        guard let colon = authority.lastIndex(of: ":") else {
            throw ValidationError("--listen '\(text)' has no port (tcp://HOST:PORT; 0 for any free port)")
        }
        var host = String(authority[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen '\(text)' has no host") }
        guard let port = UInt16(authority[authority.index(after: colon)...]) else {
            throw ValidationError("--listen '\(text)': the port must be a number from 0 to 65535")
        }
        return (host, port)
    }

    func run() throws {
        if isDLMS { return try runDLMS() }
        var identity = MBusSimulatorIdentity.default
        if let address { identity.primaryAddress = UInt8(address) }
        let slave = MBusSlave(identity: identity, faults: try MBusFault.parse(faults))
        let listenAddress = try listen.map(Self.listenAddress)
        let faultText = faults.isEmpty ? "no faults" : "faults: \(faults.joined(separator: ", "))"
        let summary = "M-Bus reference slave at primary address \(identity.primaryAddress), secondary address \(identity.secondaryAddress), \(faultText)"
        do {
            try runBlocking {
                let server = Task { () async throws in
                    if let listenAddress {
                        try await Self.serveTCP(host: listenAddress.host, port: listenAddress.port, slave: slave, summary: summary)
                    } else {
                        try await Self.servePTY(slave: slave, summary: summary)
                    }
                }
                let signals = StopSignals { server.cancel() }
                defer { signals.cancel() }
                try await server.value
            }
        } catch let error as TransportError {
            throw ToolFailure("simulate: \(error)")
        }
        printError("meterproof: simulator stopped")
    }

    /// Serves the DLMS/COSEM reference server until SIGINT or SIGTERM.
    private func runDLMS() throws {
        let faultSet = try DLMSFault.parse(faults)
        let listenAddress = try listen.map(Self.listenAddress)
        let framing: DLMSSimulatorServer.Framing = hdlc || protocolName == DLMSSimulatorStream.Framing.hdlc.protocolName ? .hdlc : .wrapper
        let modeE = modeE
        let identity = DLMSSimulatorIdentity.default
        let faultText = faults.isEmpty ? "no faults" : "faults: \(faults.joined(separator: ", "))"
        let framingText = listenAddress == nil ? (modeE ? "mode E then HDLC" : "HDLC") : (framing == .hdlc ? "HDLC" : "wrapper")
        let summary = "DLMS/COSEM reference server, logical device \(identity.logicalDevice), physical device \(identity.physicalDevice), \(framingText), \(faultText)"
        do {
            try runBlocking {
                let server = Task { () async throws in
                    let device = DLMSSharedLogicalDevice(COSEMServer(identity: identity, faults: faultSet))
                    let log: DLMSSimulatorServer.Log = { printError("meterproof: \($0)") }
                    if let listenAddress {
                        let listener = try await TCPListener(host: listenAddress.host, port: listenAddress.port)
                        defer { listener.close() }
                        let host = listenAddress.host
                        Self.announce("tcp://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)", summary)
                        try await DLMSSimulatorServer.serve(listener: listener, framing: framing, identity: identity, faults: faultSet,
                                                            device: device, log: log)
                    } else {
                        // A pty cannot carry parity: it is opened 8N1; the 7E1 of the mode E opening is recorded only.
                        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: modeE ? 300 : 9600))
                        Self.announce(pty.devicePath, summary)
                        try await DLMSSimulatorServer.serve(line: pty, modeE: modeE, identity: identity, faults: faultSet, device: device, log: log)
                        await pty.close()
                    }
                }
                let signals = StopSignals { server.cancel() }
                defer { signals.cancel() }
                try await server.value
            }
        } catch let error as TransportError {
            throw ToolFailure("simulate: \(error)")
        }
        printError("meterproof: simulator stopped")
    }

    /// Prints the endpoint as the first line of standard output, at once.
    private static func announce(_ endpoint: String, _ summary: String) {
        FileHandle.standardOutput.write(Data((endpoint + "\n").utf8))
        printError("meterproof: \(summary); serving on \(endpoint) until SIGINT or SIGTERM")
    }

    private static func servePTY(slave: MBusSlave, summary: String) async throws(TransportError) {
        // A pty cannot carry parity (tcsetattr refuses PARENB): it is opened 8N1 at the slave's rate.
        let pty = try PseudoTerminal(settings: try LineSettings.eightNoneOne(baud: slave.baud.rawValue))
        announce(pty.devicePath, summary)
        try await MBusSimulatorServer.serve(stream: pty, slave: slave)
        await pty.close()
    }

    private static func serveTCP(host: String, port: UInt16, slave: MBusSlave, summary: String) async throws(TransportError) {
        let listener = try await TCPListener(host: host, port: port)
        defer { listener.close() }
        announce("tcp://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)", summary)
        var slave = slave
        while !Task.isCancelled {
            let connection: TCPConnection
            do {
                connection = try await listener.accept()
            } catch {
                if error == .cancelled || error == .closed { return }
                throw error
            }
            printError("meterproof: a master connected")
            // The meter keeps its state from one connection to the next, as one behind a gateway does.
            do {
                slave = try await MBusSimulatorServer.serve(stream: connection, slave: slave)
            } catch {
                printError("meterproof: connection ended: \(error)")
            }
            await connection.close()
            printError("meterproof: the master disconnected")
        }
    }
}
