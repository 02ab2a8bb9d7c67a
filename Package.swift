// swift-tools-version: 6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Intake",
    platforms: [.macOS(.v14)],
    products: [
        // What technicians type: a lean front that scans to a file itself and hands every other
        // command to intake-full (README: Lean processes).
        .executable(name: "intake", targets: ["IntakeFront"]),
        .executable(name: "intake-full", targets: ["intake-full"]),
        .executable(name: "intake-ocr", targets: ["intake-ocr"]),
        .executable(name: "intake-register-pdf", targets: ["intake-register-pdf"]),
        .executable(name: "intake-receiver", targets: ["intake-receiver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // MARK: - C access (pkg-config + tiny shims)
        .systemLibrary(name: "CSane", pkgConfig: "sane-backends", providers: [.apt(["libsane-dev"])]),
        .systemLibrary(name: "CTiff", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CJpeg", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CHarfBuzz", pkgConfig: "harfbuzz-subset", providers: [.apt(["libharfbuzz-dev"])]),
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev", "tesseract-ocr-vie"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),

        // Blocks the daemon's signals before any thread starts (a C constructor).
        .target(name: "CStartup"),
        // Small system calls Swift's Glibc module does not map (adjtimex).
        .target(name: "CIntakeSystem"),
        // Its pthread_setcanceltype preempts glibc's for the SANE backends a binary loads
        // (cancel.c says why); like a malloc replacement, the linker exports it on its own.
        .target(name: "CSaneThreads"),

        // MARK: - Swift modules, one job each
        // The shared words below them all: error protocol, domain vocabulary, time zone, text safety.
        .target(
            name: "IntakeCore",
            swiftSettings: swiftSettings
        ),
        // The one file SHA-256 (FileDigest): out of IntakeCore because swift-crypto 3 imports full
        // Foundation (ICU), which the lean `intake` front must not map.
        .target(
            name: "IntakeDigest",
            dependencies: ["IntakeCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Scanning",
            dependencies: ["IntakeCore", "CSane", "CSaneThreads", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Imaging",
            dependencies: ["IntakeCore", "CTiff", "CJpeg"],
            swiftSettings: swiftSettings
        ),
        // The ĐẾN stamp on page 1 (HarfBuzz font subsets): the daemon's, not the scan-to-file path's.
        .target(
            name: "Stamping",
            dependencies: ["IntakeCore", "Imaging", "CHarfBuzz"],
            swiftSettings: swiftSettings
        ),
        // Scanner pages into a PDF/TIFF file; FoundationEssentials only, like Scanning and Imaging.
        .target(
            name: "PagePipeline",
            dependencies: ["IntakeCore", "Scanning", "Imaging"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Registry",
            dependencies: [
                "IntakeCore", "IntakeDigest",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Reports",
            dependencies: ["Registry"],
            swiftSettings: swiftSettings
        ),
        // The printed register (cairo, pango): linked only into intake-register-pdf.
        .target(
            name: "ReportsPDF",
            dependencies: ["Reports", "Registry", "CPangoCairo"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "intake-register-pdf",
            dependencies: ["ReportsPDF", "Reports", "Registry", "IntakeCore"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "IntakeCore",
                "CCurl",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Appliance",
            dependencies: [
                "IntakeCore", "IntakeDigest", "Scanning", "Imaging", "Stamping", "PagePipeline", "Registry", "Delivery", "CIntakeSystem", "HeaderReading",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IntakeCLI",
            dependencies: [
                "IntakeCore", "Appliance", "Scanning", "Imaging", "PagePipeline", "Registry", "Reports", "Delivery",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "intake-full",
            dependencies: ["IntakeCLI", "Appliance", "CStartup", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/intake",
            swiftSettings: swiftSettings
        ),
        // Maps no Foundation/ICU, cairo/pango, curl or SQLite: only what scanning to a file uses.
        .executableTarget(
            name: "IntakeFront",
            dependencies: ["IntakeCore", "Scanning", "Imaging", "PagePipeline",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "intake-receiver",
            dependencies: [
                "IntakeCore", "IntakeDigest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Reads the header of page 1 (fields for the register, marks for the release gate).
        .target(name: "HeaderReading", swiftSettings: swiftSettings),
        .executableTarget(
            name: "intake-ocr",
            dependencies: ["CTesseract", "HeaderReading", "Imaging"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "registry-crashtest",
            dependencies: ["Registry"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "registry-bench",
            dependencies: ["Registry", "Reports", "ReportsPDF"],
            path: "Benchmarks/registry/Sources",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "delivery-bench",
            dependencies: ["Delivery", "IntakeCore", "IntakeDigest"],
            path: "Benchmarks/delivery/Sources",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "atrest-bench",
            dependencies: ["Appliance", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/atrest/Sources",
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(name: "ScanningTests", dependencies: ["Scanning"], exclude: ["Devices"], swiftSettings: swiftSettings),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Stamping"], swiftSettings: swiftSettings),
        .testTarget(name: "HeaderReadingTests", dependencies: ["HeaderReading"], swiftSettings: swiftSettings),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Reports", "ReportsPDF", "IntakeDigest"], swiftSettings: swiftSettings),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "IntakeDigest"], swiftSettings: swiftSettings),
        .testTarget(name: "ApplianceTests", dependencies: ["IntakeCore", "IntakeDigest", "Appliance", "PagePipeline", "Stamping", "IntakeCLI", .product(name: "Crypto", package: "swift-crypto")], exclude: ["Snapshots"], swiftSettings: swiftSettings),
        .testTarget(name: "SystemTests", dependencies: [], swiftSettings: swiftSettings),
    ]
)
