// swift-tools-version:6.1
import PackageDescription

// Dependency direction (read top to bottom; nothing points upwards):
//
//   HandsetWire                      shared by both sides: wire format (Cognito + API bodies, JSON values) and the
//                                    schema rules records are validated with
//   ├── HandsetModel                 client domain model (config, schema, records, sessions)
//   │   ├── HandsetRemote            HTTP: Cognito client, API client (URLSession)
//   │   ├── HandsetStore             local SQLite cache (GRDB)
//   │   └── HandsetSync              pulls/pushes between Remote and Store
//   │       └── HandsetApp           app state: screens, flows, update(state, event) -> effects
//   │           └── HandsetTUI       renders app state into an in-memory cell grid (no curses)
//   │               └── handset      executable: ncurses backend (CNCursesw) + subcommands
//   └── HandsetCloudStorage          the cloud's storage protocols (records, identity, notifications, objects,
//       │                            keys, settings, leases, outbox), the values they trade in, and the rules both
//       │                            backends share (sort values, search words)
//       ├── HandsetCloudSQLite       the embedded backend: GRDB on <data dir>/handset-cloud.sqlite, keys and
//       │                            settings as files of the data directory
//       ├── HandsetCloudMySQL        the MariaDB/MySQL backend (tables prefixed handset_), over HandsetMySQL
//       └── HandsetCloud             the local AWS stand-in (Hummingbird, jwt-kit, COpenSSL): sees only the
//           │                        storage protocols
//           └── handset-cloud        executable: picks the backend (--database mysql://…, else SQLite)
//
//   HandsetMySQL                     MariaDB/MySQL driver over Connector/C (CMariaDB): pool, statements, migrations
//   └── HandsetMySQLTesting          a throwaway MariaDB server and a database per test, for test targets
//
// The cloud never imports a client module and the client never imports the cloud.
//
// Fuzzing (`scripts/fuzz`): with HANDSET_FUZZ=fuzzer (or fuzzer,address) in the environment, the project's own
// modules are compiled for libFuzzer (coverage, and AddressSanitizer when asked) and the fuzz executables link
// its driver; dependencies are built as always. Without it, the fuzz executables replay inputs from files.
let fuzzSanitizers = Context.environment["HANDSET_FUZZ"].flatMap { $0.isEmpty ? nil : $0 }
let instrumented: [SwiftSetting] = fuzzSanitizers.map { [.unsafeFlags(["-sanitize=\($0)"])] } ?? []
let fuzzDriver: [SwiftSetting] = instrumented + (fuzzSanitizers == nil ? [] : [.define("HANDSET_FUZZING")])
let fuzzLinking: [LinkerSetting] = fuzzSanitizers.map { [.unsafeFlags(["-sanitize=\($0)", "-use-ld=lld"])] } ?? []

let package = Package(
    name: "Handset",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "handset", targets: ["handset"]),
        .executable(name: "handset-cloud", targets: ["handset-cloud"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Shared by both sides.
        .target(name: "HandsetWire", swiftSettings: instrumented),
        // Cognito's SRP-6a math, client and server halves (OpenSSL BIGNUM for the 3072-bit arithmetic).
        .target(
            name: "HandsetSRP",
            dependencies: ["COpenSSL", .product(name: "Crypto", package: "swift-crypto")]),

        // The client.
        .target(name: "HandsetModel", dependencies: ["HandsetWire"], swiftSettings: instrumented),
        .target(
            name: "HandsetRemote",
            dependencies: [
                "HandsetModel", "HandsetSRP",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "HandsetStore",
            dependencies: ["HandsetModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "HandsetSync", dependencies: ["HandsetModel", "HandsetRemote", "HandsetStore"]),
        .target(
            name: "HandsetApp",
            dependencies: ["HandsetModel", "HandsetSync", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: instrumented),
        .target(
            name: "HandsetTUI",
            dependencies: ["HandsetApp", "HandsetRemote", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: instrumented),
        .systemLibrary(name: "CNCursesw", path: "Sources/CNCursesw"),
        .executableTarget(
            name: "handset",
            dependencies: [
                "HandsetTUI", "CNCursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "handset-bench",
            dependencies: [
                "HandsetTUI", "HandsetApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // The MariaDB/MySQL driver (Connector/C from Debian's libmariadb-dev).
        .systemLibrary(name: "CMariaDB", path: "Sources/CMariaDB"),
        .target(
            name: "HandsetMySQL",
            dependencies: ["CMariaDB", .product(name: "Logging", package: "swift-log")], swiftSettings: instrumented),
        .target(name: "HandsetMySQLTesting", dependencies: ["HandsetMySQL"]),

        // The local cloud.
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL"),
        // Storage: the protocols, then one target per backend. The values carry SRP verifiers (HandsetSRP).
        .target(
            name: "HandsetCloudStorage", dependencies: ["HandsetWire", "HandsetSRP"],
            exclude: ["STORAGE-DESIGN.md"], swiftSettings: instrumented),
        .target(
            name: "HandsetCloudSQLite",
            dependencies: ["HandsetCloudStorage", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: instrumented),
        .target(
            name: "HandsetCloudMySQL", dependencies: ["HandsetCloudStorage", "HandsetMySQL"],
            swiftSettings: instrumented),
        .target(
            name: "HandsetCloud",
            dependencies: [
                "HandsetWire", "HandsetSRP", "HandsetCloudStorage", "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: instrumented),
        .executableTarget(
            name: "handset-cloud",
            dependencies: [
                "HandsetCloud", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetSRP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),

        // Fuzz targets (`scripts/fuzz`): one per parser of outside input, kept out of the product executables.
        .target(name: "CLibFuzzer"),
        .target(name: "HandsetFuzzing", dependencies: ["CLibFuzzer"], swiftSettings: fuzzDriver),
        .target(
            name: "CloudFuzzTargets",
            dependencies: [
                "HandsetCloud", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetMySQL",
                "HandsetFuzzing",
            ],
            swiftSettings: instrumented),
        .target(
            name: "ClientFuzzTargets", dependencies: ["HandsetApp", "HandsetTUI", "HandsetFuzzing"],
            swiftSettings: instrumented),
        .executableTarget(
            name: "handset-cloud-fuzz", dependencies: ["CloudFuzzTargets", "HandsetFuzzing"],
            swiftSettings: instrumented, linkerSettings: fuzzLinking),
        .executableTarget(
            name: "handset-fuzz", dependencies: ["ClientFuzzTargets", "HandsetFuzzing"],
            swiftSettings: instrumented, linkerSettings: fuzzLinking),

        // Tests.
        .testTarget(name: "HandsetWireTests", dependencies: ["HandsetWire"]),
        .testTarget(
            name: "FuzzTargetTests", dependencies: ["CloudFuzzTargets", "ClientFuzzTargets", "HandsetFuzzing"]),
        .testTarget(name: "HandsetSRPTests", dependencies: ["HandsetSRP"]),
        .testTarget(name: "HandsetModelTests", dependencies: ["HandsetModel"]),
        .testTarget(name: "HandsetRemoteTests", dependencies: ["HandsetRemote", "HandsetSRP"]),
        .testTarget(name: "HandsetSyncTests", dependencies: ["HandsetSync"]),
        .testTarget(name: "HandsetStoreTests", dependencies: ["HandsetStore"]),
        .testTarget(name: "HandsetAppTests", dependencies: ["HandsetApp"]),
        .testTarget(
            name: "HandsetTUITests", dependencies: ["HandsetTUI"],
            exclude: ["Snapshots"]),
        .testTarget(name: "HandsetMySQLTests", dependencies: ["HandsetMySQL", "HandsetMySQLTesting"]),
        // One suite per storage protocol, each test run against every backend (SQLite, MariaDB).
        .testTarget(
            name: "HandsetCloudStorageContractTests",
            dependencies: [
                "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetMySQL", "HandsetMySQLTesting",
            ]),
        .testTarget(
            name: "HandsetCloudTests",
            dependencies: [
                "HandsetCloud", "HandsetSRP", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL",
                "HandsetMySQLTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
