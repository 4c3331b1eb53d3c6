import ArgumentParser
import CodecSupport
import Conformance
import DLMS
import Foundation

/// `meterproof decode dlms`.
struct DecodeDLMS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlms",
        abstract: "Decode DLMS/COSEM messages: HDLC frames, wrapper frames or bare APDUs (IEC 62056).",
        discussion: """
        The framing is detected: 7E A… is an HDLC frame (type 3, FCS and HCS checked), 00 01 with a \
        matching length a TCP/UDP wrapper frame, anything else a bare APDU (ACSE AARQ/AARE/RLRQ/RLRE \
        or xDLMS). Hex arguments form one message; a --file or standard input holds one message per \
        line.

        DECIPHERING
          Ciphered APDUs (glo-/ded- service tags, general-glo/ded-ciphering) are shown as they are and, \
        when keys are given, deciphered with security suite 0 (AES-GCM-128):
          --key K            global unicast encryption key (EK)
          --auth-key K       authentication key (AK)
          --system-title T   the sender's system title (8 bytes hex), when the APDU does not carry it
          --keys FILE        the key store (dlms: system title → ek/ak), looked up by the system title
        K may be hex, env:NAME or file:PATH. Keys are never printed.

        JSON OUTPUT (one object per message and line)
          framing      hdlc | wrapper | apdu
          hdlc         type, control, destination, source, segmented, n_s, n_r, poll_final, hcs_ok,
                       fcs_ok, llc, info, parameters (SNRM/UA)
          wrapper      version, source_wport, destination_wport, length
          apdu         the decoded APDU (apdu name, invoke_id, class_id, obis, attribute_id, data, …)
          apdu_error   {code, offset, message} when the APDU bytes do not decode
          deciphered   the plain APDU inside a ciphered one; decipher_error when it does not decipher

        EXIT STATUS
          0  every message decoded   1  a message is invalid (framing, checksum, APDU, tag)
          2  the command could not run (bad arguments, unreadable file or key)

        EXAMPLES
          meterproof decode dlms 7E A0 07 03 21 93 0F 01 7E
          meterproof decode dlms 00 01 00 10 00 01 00 0D C0 01 C1 00 08 00 00 01 00 00 FF 02 00
          meterproof decode dlms --key env:DLMS_EK --auth-key env:DLMS_AK --system-title 4D4D4D0000BC614E C8 1E 30 …
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Argument(help: "The message as hex (arguments are joined into one message).")
    var hex: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read messages from this file, one per line.", valueName: "path"))
    var file: String?

    @Option(name: .long, help: "Output format: json, or text (an indented tree).")
    var format: Format = .json

    @Flag(name: .long, help: "Pretty-print JSON.")
    var pretty = false

    @Option(name: .long, help: ArgumentHelp("Encryption key (hex, env:NAME or file:PATH).", valueName: "key"))
    var key: String?

    @Option(name: .customLong("auth-key"), help: ArgumentHelp("Authentication key (hex, env:NAME or file:PATH).", valueName: "key"))
    var authKey: String?

    @Option(name: .customLong("system-title"), help: ArgumentHelp("The sender's system title, 8 bytes hex.", valueName: "hex"))
    var systemTitle: String?

    @Option(name: .long, help: ArgumentHelp("Key store file.", valueName: "path"))
    var keys: String?

    func validate() throws {
        if file != nil && !hex.isEmpty { throw ValidationError("Give hex arguments or --file, not both.") }
    }

    func run() throws {
        let messages = try readMessages()
        let secrets = SecretRegistry()
        var failed = false
        for (index, bytes) in messages.enumerated() {
            do {
                var message = try DLMSMessage.decode(bytes)
                if let security = try securityContext(carriedTitle: message.carriedSystemTitle, secrets: secrets) {
                    message.decipher(with: security)
                }
                if message.apduError != nil || message.decipherError != nil { failed = true }
                if let error = message.apduError { printError("message \(index + 1): APDU does not decode: \(error.description)") }
                if let error = message.decipherError { printError("message \(index + 1): does not decipher: \(error.description)") }
                emit(message.json)
            } catch let error as DLMSError {
                failed = true
                printError("message \(index + 1): invalid DLMS message: \(error.description)")
                emit(.object([("message", .int(Int64(index + 1))), ("error", DLMSMessage.errorJSON(error))]))
            }
        }
        if failed { throw ExitCode(1) }
    }

    private func emit(_ json: JSONValue) {
        switch format {
        case .json: print(json.serialized(indent: pretty ? 2 : 0))
        case .text: print(TreeText.render(json))
        }
    }

    private func readMessages() throws -> [[UInt8]] {
        let lines: [String]
        let source: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ToolFailure("cannot read \(file)") }
            lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            source = file
        } else if !hex.isEmpty {
            lines = [hex.joined(separator: " ")]
            source = "arguments"
        } else {
            lines = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                .split(whereSeparator: \.isNewline).map(String.init)
            source = "standard input"
        }
        var messages: [[UInt8]] = []
        for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do { messages.append(try HexText.parse(line)) } catch {
                throw ToolFailure("\(source), line \(number + 1): \(error)")
            }
        }
        guard !messages.isEmpty else { throw ToolFailure("\(source): no hex bytes found") }
        return messages
    }

    /// The keys: from --key/--auth-key, else from the key store by system title (given, or carried
    /// by a general-ciphering APDU).
    private func securityContext(carriedTitle: [UInt8]?, secrets: SecretRegistry) throws -> SecurityContext? {
        guard key != nil || authKey != nil || keys != nil else { return nil }
        var titleBytes: [UInt8]?
        if let systemTitle {
            guard let parsed = ValueText.hexBytes(systemTitle), parsed.count == 8 else {
                throw ToolFailure("--system-title must be 8 bytes of hex")
            }
            titleBytes = parsed
        } else if let carriedTitle, carriedTitle.count == 8 {
            titleBytes = carriedTitle
        }
        var ek: [UInt8]?
        var ak: [UInt8]?
        do {
            if let key { ek = try KeyStore.key(key, secrets: secrets).reveal() }
            if let authKey { ak = try KeyStore.key(authKey, secrets: secrets).reveal() }
        } catch {
            throw ToolFailure("key: \(error.message)")
        }
        if let keys, ek == nil || ak == nil, let titleBytes {
            let store: KeyStore
            do { store = try KeyStore.load(path: keys, secrets: secrets) } catch { throw ToolFailure("\(keys): \(error.description)") }
            let entry = store.dlms[HexText.format(titleBytes, separator: "").uppercased()]
            ek = ek ?? entry?.ek?.reveal()
            ak = ak ?? entry?.ak?.reveal()
        }
        let title = titleBytes.flatMap { try? SystemTitle($0) }
        return SecurityContext(globalUnicastKey: ek, authenticationKey: ak, clientSystemTitle: title, serverSystemTitle: title)
    }
}

/// Renders a JSON tree as indented `key: value` lines.
enum TreeText {
    static func render(_ value: JSONValue, indent: Int = 0) -> String {
        var lines: [String] = []
        write(value, name: nil, indent: indent, into: &lines)
        return lines.joined(separator: "\n")
    }

    private static func write(_ value: JSONValue, name: String?, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        let label = name.map { "\($0):" } ?? ""
        switch value {
        case .object(let members):
            if let name { lines.append(pad + name + ":") }
            for (key, member) in members { write(member, name: key, indent: indent + (name == nil ? 0 : 1), into: &lines) }
        case .array(let items):
            if items.isEmpty { lines.append(pad + label + " []"); return }
            lines.append(pad + label)
            for (i, item) in items.enumerated() { write(item, name: "[\(i)]", indent: indent + 1, into: &lines) }
        default:
            lines.append(pad + (label.isEmpty ? "" : label + " ") + value.serialized())
        }
    }
}
