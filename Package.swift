// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MeterProof",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "meterproof", targets: ["meterproof"]),
        .library(name: "MeterBus", targets: ["MeterBus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // Byte-level helpers shared by every codec: a forward-only cursor, hex text, JSON trees.
        .target(name: "CodecSupport"),
        // EN 13757-2/-3 wired M-Bus (link layer, variable and fixed data structures).
        .target(name: "MeterBus", dependencies: ["CodecSupport"]),
        // Async byte streams to devices: serial (termios), pty, TCP, UDP; transport URLs; a recording tap.
        .target(name: "Transport"),
        // System libraries (Debian: libpcap-dev, libxml2-dev).
        .systemLibrary(name: "CLibPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .executableTarget(
            name: "meterproof",
            dependencies: [
                "CodecSupport", "MeterBus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Throughput of the M-Bus decoder on a folder of .hex frames (Benchmarks/mbus-decode.sh).
        .executableTarget(name: "meterproof-bench", dependencies: ["MeterBus", "CodecSupport"], path: "Benchmarks/MeterBusDecode"),
        // Test model, suite and device-profile loading, step vocabularies, case selection.
        .target(name: "Conformance", dependencies: [.product(name: "Yams", package: "Yams")]),
        .testTarget(name: "CodecSupportTests", dependencies: ["CodecSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "MeterBusTests",
            dependencies: ["MeterBus", "CodecSupport"],
            resources: [.copy("Fixtures")]
        ),
        // Interoperability with independent decoders (scripts/peers); reads the MeterBusTests fixtures by path.
        .testTarget(name: "MeterBusInteropTests", dependencies: ["MeterBus", "CodecSupport"]),
        // Proves the system-library shims compile and link against Debian's -dev packages.
        .testTarget(name: "SystemLibraryTests", dependencies: ["CLibPcap", "CLibXML2"]),
        // Runs the built `meterproof` binary and checks its output and exit status.
        .testTarget(name: "MeterProofCLITests", dependencies: ["meterproof"]),
    ],
    swiftLanguageModes: [.v6]
)
