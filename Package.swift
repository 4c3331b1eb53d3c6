// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "MeterProof",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "meterproof", targets: ["meterproof"]),
        .library(name: "MeterBus", targets: ["MeterBus"]),
        .library(name: "DLMS", targets: ["DLMS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Byte-level helpers shared by every codec: a forward-only cursor, hex text, JSON trees.
        .target(name: "CodecSupport"),
        // EN 13757-2/-3 wired M-Bus (link layer, variable and fixed data structures).
        .target(name: "MeterBus", dependencies: ["CodecSupport"]),
        // DLMS/COSEM (IEC 62056): HDLC, wrapper, ACSE/xDLMS APDUs, A-XDR data, OBIS, security suite 0.
        .target(
            name: "DLMS",
            dependencies: ["CodecSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Async byte streams to devices: serial (termios), pty, TCP, UDP; transport URLs; a recording tap.
        .target(name: "Transport"),
        // System libraries (Debian: libpcap-dev, libxml2-dev).
        .systemLibrary(name: "CLibPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Capture files: pcapng writing for run evidence (reading comes with `analyze`).
        .target(name: "Capture", dependencies: ["CodecSupport", "CLibPcap"]),
        // Reference devices with switchable faults, reached only through bytes (`sim:` URLs, pty, TCP).
        .target(name: "Simulators", dependencies: ["CodecSupport", "MeterBus", "DLMS", "Transport"]),
        // report.json, junit.xml, report.html, summary.md and the SHA-256 manifest of a run folder.
        .target(
            name: "Reports",
            dependencies: ["Conformance", "CodecSupport", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        // Composition: suites + profile + transports (with the simulators under `sim:`) → a run folder.
        .target(name: "Campaign", dependencies: ["Conformance", "Transport", "Simulators", "Reports", "Capture", "MeterBus", "DLMS", "CodecSupport"]),
        // Capture analysis: pipeline, dissector registry, DLMS and M-Bus dissectors, findings, the analysis report family.
        .target(name: "Analysis", dependencies: ["Capture", "DLMS", "MeterBus", "Conformance", "Reports", "CodecSupport"]),
        .executableTarget(
            name: "meterproof",
            dependencies: [
                "CodecSupport", "MeterBus", "DLMS", "Conformance", "Transport", "Simulators", "Reports", "Capture", "Campaign", "Analysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Throughput of the M-Bus decoder on a folder of .hex frames (Benchmarks/mbus-decode.sh).
        .executableTarget(name: "meterproof-bench", dependencies: ["MeterBus", "CodecSupport"], path: "Benchmarks/MeterBusDecode"),
        .executableTarget(name: "meterproof-dlms-bench", dependencies: ["DLMS", "CodecSupport"], path: "Benchmarks/DLMSDecode"),
        // Synthetic DLMS capture with planted findings, and the raw libpcap read floor (Benchmarks/analyze-bench.sh).
        .executableTarget(name: "meterproof-capture-gen", dependencies: ["DLMS", "CodecSupport"], path: "Benchmarks/CaptureGenerator"),
        .executableTarget(name: "meterproof-pcap-floor", dependencies: ["CLibPcap"], path: "Benchmarks/PcapFloor"),
        // Test model, suite and device-profile loading, step vocabularies, case selection.
        // The runner and the per-protocol step executors; writes the run capture through Capture.
        .target(
            name: "Conformance",
            dependencies: ["CodecSupport", "MeterBus", "DLMS", "Transport", "Capture", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]
        ),
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
        .testTarget(name: "DLMSTests", dependencies: ["DLMS", "CodecSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "CodecSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Capture", "DLMS", "MeterBus", "CodecSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulators", "MeterBus", "Transport", "CodecSupport"]),
        // The DLMS/COSEM reference server: logical device, HDLC and wrapper links, mode E, faults.
        .testTarget(name: "DLMSSimulatorTests", dependencies: ["Simulators", "DLMS", "Transport", "CodecSupport"]),
        .testTarget(name: "DLMSInteropTests", dependencies: ["Simulators", "DLMS", "Transport", "CodecSupport", "meterproof"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Conformance", "CodecSupport", "CLibXML2", "Campaign"], resources: [.copy("Fixtures")]),
        // The engine end to end: suites against the simulators, the fault matrix, transports, interruption.
        .testTarget(name: "CampaignTests", dependencies: ["Campaign", "Conformance", "Simulators", "Transport", "Reports", "MeterBus", "CodecSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
