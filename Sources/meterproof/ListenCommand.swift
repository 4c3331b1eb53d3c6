import ArgumentParser

/// `meterproof listen PROTOCOL …`: receive what meters push and check it.
struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive pushes from meters (TCP, UDP or a serial line) and check each one.",
        discussion: """
        A listener is the head end's side of a push: it accepts what a meter sends on its own \
        (DLMS/COSEM DataNotification and EventNotification from a push setup, IC 40), deciphers it \
        with the keys given, and prints one record per push with the findings of its checks.
        """,
        subcommands: [ListenDLMS.self]
    )
}
