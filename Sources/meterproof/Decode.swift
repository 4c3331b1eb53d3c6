import ArgumentParser

/// `meterproof decode PROTOCOL …`.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode frames of a protocol and print their fields.",
        discussion: """
        Each protocol is a subcommand. Field names in the JSON output are stable: checks, reports \
        and scripts depend on them.
        """,
        subcommands: [DecodeMBus.self, DecodeDLMS.self]
    )
}
