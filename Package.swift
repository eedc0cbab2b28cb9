// swift-tools-version:6.1
import PackageDescription

// Dependency direction (read top to bottom; nothing points upwards):
//
//   HandsetWire                      shared by both sides: wire format (Cognito + API bodies, JSON values), the
//   │                                schema rules records are validated with, authenticator (otpauth://) URIs
//   ├── HandsetModel                 the client's domain, no I/O: config, schema, records, sessions, sort orders,
//   │   │                            conflicts and resolutions, refused writes, sync progress, sign-in prompts
//   │   ├── HandsetRemote            HTTP: Cognito client, sign-in machine, managed login (browser, other device),
//   │   │                            session manager, API client (NIO for http://, URLSession for https://)
//   │   ├── HandsetStore             the offline caches, one SQLite file per user (GRDB); the token cache
//   │   ├── HandsetSync              pushes and pulls between Remote and Store
//   │   ├── HandsetApp               the app's pure core: state, update(state, event) -> effects, the effects as a
//   │   │   │                        struct of closures; only Model and Wire (TOMLKit parses settings text), so
//   │   │   │                        nothing here can reach the network, a database or a file
//   │   │   └── HandsetTUI           renders app state into an in-memory cell grid (no curses); themes
//   │   └── HandsetLive              the live wiring (App + Remote + Store + Sync): the effects done for real, a
//   │       │                        profile's clients and per-user caches (ClientServices), config.toml read
//   │       ├── handset              executable (Live + TUI): ncurses backend (CNCursesw), UI loop, subcommands
//   │       └── handset-bench        client benchmarks (Live + TUI)
//   └── HandsetCloudStorage          the cloud's storage protocols (records, identity, notifications, objects,
//       │                            keys, settings, leases, mailbox), the values they trade in, and the rules both
//       │                            backends share (sort values, search words)
//       ├── HandsetCloudSQLite       the embedded backend: GRDB on <data dir>/handset-cloud.sqlite, keys and
//       │                            settings as files of the data directory
//       ├── HandsetCloudMySQL        the MariaDB/MySQL backend (tables prefixed handset_), over HandsetMySQL; also serves
//       │                            existing tables of the database as collections (x-handset-table)
//       └── HandsetCloud             the local AWS stand-in (Hummingbird, jwt-kit, COpenSSL): sees only the
//           │                        storage protocols
//           ├── handset-cloud        executable: picks the backend (--database mysql://…, else SQLite)
//           └── handset-cloud-bench  cloud benchmarks and their baselines (bare route, storage, sign-ins)
//
//   HandsetSRP                       Cognito's SRP-6a arithmetic, client and server halves (OpenSSL BIGNUM through
//                                    COpenSSL): used by HandsetRemote and by the cloud's targets
//   HandsetSQLite                    what both sides' SQLite files share (GRDB): WAL checkpoints off the commits' path,
//                                    used by HandsetStore and HandsetCloudSQLite
//   HandsetMySQL                     MariaDB/MySQL driver over Connector/C (CMariaDB): pool, statements, migrations
//   └── HandsetMySQLTesting          a throwaway MariaDB server and a database per test, for test targets
//
// The cloud never imports a client module and the client never imports the cloud. Every target names each module it
// imports, so what a target may use is read here, not inherited from its dependencies.
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
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Hummingbird's own dependencies, named because the cloud imports them directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
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
                "HandsetModel", "HandsetWire", "HandsetSRP",
                .product(name: "Crypto", package: "swift-crypto"),
                // Plain-HTTP requests (NIOHTTPTransport); https:// stays on URLSession (see LiveHTTPTransport).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Instrumented for its parsers of what a browser or a sign-in server sends (the OAuth answers, the
            // loopback listener's request line).
            swiftSettings: instrumented),
        .target(
            name: "HandsetStore",
            dependencies: [
                "HandsetModel", "HandsetWire", "HandsetSQLite", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // What both sides' SQLite files share: checkpoints of the write-ahead log off the commits' path.
        .target(
            name: "HandsetSQLite",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(name: "HandsetSync", dependencies: ["HandsetModel", "HandsetWire", "HandsetRemote", "HandsetStore"]),
        // The app's pure core: no module that does I/O may be imported here (TOMLKit only parses text).
        .target(
            name: "HandsetApp",
            dependencies: ["HandsetModel", "HandsetWire", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: instrumented),
        .target(
            name: "HandsetTUI",
            dependencies: [
                "HandsetApp", "HandsetModel", "HandsetWire", .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: instrumented),
        // The live wiring: the app's effects over the real clients, caches and sync engine.
        .target(
            name: "HandsetLive",
            dependencies: ["HandsetApp", "HandsetModel", "HandsetWire", "HandsetRemote", "HandsetStore", "HandsetSync"]),
        .systemLibrary(name: "CNCursesw", path: "Sources/CNCursesw"),
        .executableTarget(
            name: "handset",
            dependencies: [
                "HandsetLive", "HandsetTUI", "HandsetApp", "HandsetModel", "HandsetWire", "HandsetRemote",
                "HandsetStore", "HandsetSync", "CNCursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "handset-bench",
            dependencies: [
                "HandsetLive", "HandsetTUI", "HandsetApp", "HandsetModel", "HandsetWire", "HandsetRemote",
                "HandsetStore", "HandsetSync", .product(name: "GRDB", package: "GRDB.swift"),
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
            dependencies: [
                "HandsetCloudStorage", "HandsetWire", "HandsetSRP", "HandsetSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: instrumented),
        .target(
            name: "HandsetCloudMySQL",
            dependencies: [
                "HandsetCloudStorage", "HandsetWire", "HandsetSRP", "HandsetMySQL",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: instrumented),
        .target(
            name: "HandsetCloud",
            dependencies: [
                "HandsetWire", "HandsetSRP", "HandsetCloudStorage", "COpenSSL",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: instrumented),
        .executableTarget(
            name: "handset-cloud",
            dependencies: [
                "HandsetCloud", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetMySQL",
                "HandsetSRP", "HandsetWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]),

        // Cloud benchmarks and their baselines (`scripts/bench`), kept out of the product executables: the bare
        // Hummingbird route, the storage layer without HTTP, the sign-in load generator.
        .executableTarget(
            name: "handset-cloud-bench",
            dependencies: [
                "HandsetCloud", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetSRP", "HandsetWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),

        // Fuzz targets (`scripts/fuzz`): one per parser of outside input, kept out of the product executables.
        .target(name: "CLibFuzzer"),
        .target(name: "HandsetFuzzing", dependencies: ["CLibFuzzer"], swiftSettings: fuzzDriver),
        .target(
            name: "CloudFuzzTargets",
            dependencies: [
                "HandsetCloud", "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetMySQL",
                "HandsetFuzzing", "HandsetSRP", "HandsetWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: instrumented),
        .target(
            name: "ClientFuzzTargets",
            dependencies: [
                "HandsetApp", "HandsetTUI", "HandsetModel", "HandsetRemote", "HandsetWire", "HandsetFuzzing",
            ],
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
        .testTarget(name: "HandsetModelTests", dependencies: ["HandsetModel", "HandsetWire"]),
        .testTarget(
            name: "HandsetRemoteTests",
            dependencies: [
                "HandsetRemote", "HandsetModel", "HandsetWire", "HandsetSRP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "HandsetSyncTests", dependencies: ["HandsetSync", "HandsetModel", "HandsetWire"]),
        .testTarget(
            name: "HandsetStoreTests",
            dependencies: [
                "HandsetStore", "HandsetModel", "HandsetWire", "HandsetSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "HandsetAppTests", dependencies: ["HandsetApp", "HandsetModel", "HandsetWire"]),
        .testTarget(
            name: "HandsetLiveTests",
            dependencies: ["HandsetLive", "HandsetApp", "HandsetModel", "HandsetWire", "HandsetRemote", "HandsetStore"]),
        .testTarget(
            name: "HandsetTUITests", dependencies: ["HandsetTUI", "HandsetApp", "HandsetModel", "HandsetWire"],
            exclude: ["Snapshots"]),
        .testTarget(name: "HandsetMySQLTests", dependencies: ["HandsetMySQL", "HandsetMySQLTesting"]),
        // One suite per storage protocol, each test run against every backend (SQLite, MariaDB).
        .testTarget(
            name: "HandsetCloudStorageContractTests",
            dependencies: [
                "HandsetCloudStorage", "HandsetCloudSQLite", "HandsetCloudMySQL", "HandsetMySQL", "HandsetMySQLTesting",
                "HandsetSRP", "HandsetWire",
            ]),
        .testTarget(
            name: "HandsetCloudTests",
            dependencies: [
                "HandsetCloud", "HandsetSRP", "HandsetWire", "HandsetCloudStorage", "HandsetCloudSQLite",
                "HandsetCloudMySQL", "HandsetMySQL", "HandsetMySQLTesting", "HandsetSQLite",
                // Not HummingbirdTesting: its live client (AsyncHTTPClient, a second BoringSSL, HTTP/2) was a third
                // of what the test build compiled; Tests/HandsetCloudTests/HTTPTesting does what the tests need.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

// Test code is compiled without optimization in every configuration: `scripts/test` runs the tests on a release
// build (the optimized code users run), and optimizing the test suites themselves would only lengthen that build.
for target in package.targets where target.type == .test {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-Onone"], .when(configuration: .release))]
}
