import ArgumentParser
import CodecSupport
import Foundation
import MeterBus

/// `meterproof decode mbus`.
struct DecodeMBus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mbus",
        abstract: "Decode wired M-Bus frames (EN 13757-2 link layer, EN 13757-3 data records).",
        discussion: """
        Input is hex: pairs of digits, separated or not by spaces, newlines or CRLF, in either case, \
        exactly as libmbus's .hex files hold them. Frames may follow one another; each is framed by \
        its start byte and L field and decoded on its own. With no HEX and no --file, standard input \
        is read.

        JSON OUTPUT (one object per frame and line)
          frame        type (ack|short|control|long), c, c_name, a, ci, l, checksum_ok
          header       id (BCD as printed on the meter), manufacturer (three letters), version,
                       medium {code, name}, access_number, status, status_flags, signature
          records[]    offset, function (instantaneous|maximum|minimum|error), storage, tariff,
                       subunit, quantity, unit (SI symbol after scaling, empty when dimensionless),
                       value (scaled number, or string for text, dates and times in ISO 8601),
                       coding, dif and vif (raw bytes in hex), and when present modifiers,
                       record_error, reserved_codes, plain_text_unit, value_problem
          manufacturer_data, more_records_follow     data after DIF 0F/1F, and the 1F marker
          application_error {code, name, text}       CI 70
          counters[]                                  CI 73 fixed data structure
        An invalid frame prints {"error": {"code", "offset", "message"}, "start": N} and sets exit status 1.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    @Argument(help: "The frame as hex. Several arguments are joined, so `68 03 03 68 …` works unquoted.")
    var hex: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read hex from this file (one or more frames).", valueName: "path"))
    var file: String?

    @Option(name: .long, help: "Output format.")
    var format: Format = .json

    @Flag(name: .long, help: "Pretty-print JSON (one object over several lines).")
    var pretty = false

    @Flag(name: .long, help: "Decode frames whose only defect is the checksum, reporting checksum_ok: false.")
    var ignoreChecksum = false

    func validate() throws {
        if file != nil && !hex.isEmpty {
            throw ValidationError("Give hex arguments or --file, not both.")
        }
    }

    func run() throws {
        let text: String
        let source: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ToolFailure("cannot read \(file)")
            }
            text = String(decoding: data, as: UTF8.self)
            source = file
        } else if !hex.isEmpty {
            text = hex.joined(separator: " ")
            source = "arguments"
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            source = "standard input"
        }
        let bytes: [UInt8]
        do { bytes = try HexText.parse(text) } catch {
            throw ToolFailure("\(source): \(error)")
        }
        guard !bytes.isEmpty else { throw ToolFailure("\(source): no hex bytes found") }

        var failed = false
        for item in TelegramSequence.decode(bytes) {
            var result = item.result
            if ignoreChecksum, case let .failure(error) = result, error.code == .badChecksum {
                result = Result { () throws(MeterBusError) in
                    try Telegram.decode(item.bytes, requireValidChecksum: false)
                }
            }
            switch result {
            case let .success(telegram):
                switch format {
                case .json: print(telegram.json.serialized(indent: pretty ? 2 : 0))
                case .text: print(MBusTextRenderer.render(telegram, start: item.start))
                }
            case let .failure(error):
                failed = true
                let where_ = item.start == 0 ? "" : " (frame starting at byte \(item.start) of the input)"
                printError("invalid M-Bus frame: \(error.reason) at offset \(error.offset)\(where_)")
                if format == .json {
                    print(JSONValue.object([
                        ("start", .int(Int64(item.start))),
                        ("error", .object([("code", .string(error.code.rawValue)), ("offset", .int(Int64(error.offset))),
                                           ("message", .string(error.reason))])),
                    ]).serialized(indent: pretty ? 2 : 0))
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
