import ArgumentParser
import Foundation
import GRDB
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync
import HandsetTUI
import HandsetWire

/// Measures the client's quality bars (`shared/design/quality.md`) and prints the figures. Reports, never asserts.
///
///     swift build -c release --product handset-bench
///     .build/release/handset-bench store            # local cache: edit latency, apply rate, search, cold list
///     .build/release/handset-bench sync --config D/amplify_outputs.json --username alice --password-stdin
@main
struct HandsetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handset-bench", abstract: "Client benchmarks: figures for the README.",
        subcommands: [StoreBench.self, SyncBench.self])
}

/// Timing helpers.
enum Measure {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(Int(Double(sorted.count - 1) * fraction), sorted.count - 1)]
    }

    static func milliseconds(_ value: Double) -> String { String(format: "%.2f ms", value * 1000) }

    /// When the file at `path` was last written (nanoseconds), or 0.
    static func modified(_ path: String) -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { return 0 }
        return status.st_mtim.tv_sec * 1_000_000_000 + status.st_mtim.tv_nsec
    }

    /// The floor of a durable local edit: one-row commits to a fresh WAL database with synchronous FULL, on the same
    /// disk as the store.
    static func bareCommits(in directory: URL, count: Int) throws -> [Double] {
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("floor.sqlite").path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        }
        return try (0..<count).map { index in
            try seconds {
                try queue.write { db in
                    try db.execute(sql: "INSERT INTO t (body) VALUES (?)", arguments: ["edit \(index)"])
                }
            }
        }
    }

    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }
}

/// Synthetic tasks shaped like the demo API's.
enum Synthetic {
    static let words = [
        "draft", "review", "ship", "plan", "design", "release", "notes", "sync", "fix", "test", "docs", "api",
    ]

    static func task(_ index: Int, version: Int = 1) -> JSONValue {
        [
            "id": .string(String(format: "bench-%07d", index)), "version": .number(Double(version)),
            "updatedAt": "2026-11-27T10:00:00.000Z",
            "owner": "bench-sub",
            "title": .string("\(words[index % words.count].capitalized) \(words[(index / 7) % words.count]) \(index)"),
            "status": .string(["todo", "doing", "done"][index % 3]), "priority": .number(Double(index % 5 + 1)),
            "due": "2026-12-01",
        ]
    }

    static let schema: JSONValue = [
        "openapi": "3.0.3", "info": ["title": "Bench", "version": "1"], "paths": [:],
        "components": [
            "schemas": [
                "Task": [
                    "x-handset-collection": "tasks", "x-handset-title": "title",
                    "x-handset-list-columns": ["title", "status", "priority", "due"],
                    "properties": [
                        "title": ["type": "string"], "status": ["type": "string", "enum": ["todo", "doing", "done"]],
                        "priority": ["type": "integer"], "due": ["type": "string", "format": "date"],
                    ],
                ]
            ]
        ],
    ]
}

struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Local cache figures: delta apply rate, edit commit latency, search, cold list."
    )

    @Option(help: "Records in the cache.") var records = 100_000
    @Option(help: "Local edits to time.") var edits = 1_000

    func run() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cache.sqlite").path
        let store = try LocalStore(path: path)
        try store.setMeta(MetaKey.apiDocument, String(decoding: Synthetic.schema.encoded(), as: UTF8.self))

        // A first sync's apply: change-feed pages of 500, each with its cursor, as a sync applies them into an empty
        // cache, each page indexed by statement.
        let pageSize = 500
        let applySeconds = try Measure.seconds {
            for start in stride(from: 0, to: records, by: pageSize) {
                let items = (start..<min(start + pageSize, records)).map { Synthetic.task($0) }
                try store.applyChanges(
                    collection: "tasks", items: items, cursor: String(start + pageSize),
                    complete: start + pageSize >= records)
            }
        }
        print(
            "delta apply: \(records) records in \(String(format: "%.2f", applySeconds)) s = \(Int(Double(records) / applySeconds)) records/s (a first sync into an empty cache, pages of \(pageSize), FTS5 indexed by page)"
        )
        // Later deltas: changed records over a full cache.
        let changed = min(records, 10_000)
        let deltaSeconds = try Measure.seconds {
            for start in stride(from: 0, to: changed, by: pageSize) {
                let items = (start..<min(start + pageSize, changed)).map {
                    Synthetic.task($0 * 7 % records, version: 2)
                }
                try store.applyChanges(
                    collection: "tasks", items: items, cursor: "delta-\(start)", complete: true)
            }
        }
        print(
            "  later deltas over the full cache: \(changed) changed records in \(String(format: "%.2f", deltaSeconds)) s = \(Int(Double(changed) / deltaSeconds)) records/s (FTS5 indexed by page)"
        )

        // A local edit: cache row + outbox entry in one durable (synchronous FULL) transaction. Each edit is timed,
        // and whether the database file was written during it: in WAL mode only a checkpoint writes that file.
        var latencies: [Double] = []
        var checkpointed: [Bool] = []
        for index in 0..<edits {
            let id = String(format: "bench-%07d", index * 37 % records)
            let before = Measure.modified(path)
            latencies.append(
                try Measure.seconds {
                    try store.updateRecord(
                        collection: "tasks", id: id, fields: ["title": .string("Edited \(index)"), "status": "done"],
                        now: Date())
                })
            checkpointed.append(Measure.modified(path) != before)
        }
        let floor = try Measure.bareCommits(in: directory, count: edits)
        print(
            "local edit commit: p50 \(Measure.milliseconds(Measure.percentile(latencies, 0.5))), p99 \(Measure.milliseconds(Measure.percentile(latencies, 0.99))) over \(edits) edits; bare one-row commit on the same disk (WAL, synchronous FULL): p50 \(Measure.milliseconds(Measure.percentile(floor, 0.5))), p99 \(Measure.milliseconds(Measure.percentile(floor, 0.99)))"
        )
        let slowest = latencies.indices.sorted { latencies[$0] > latencies[$1] }.prefix(max(1, edits / 100))
        print(
            "  the slowest 1% of edits (\(slowest.count)): \(slowest.filter { checkpointed[$0] }.count) overlapped a write of the database file (a checkpoint); all edits that did: \(checkpointed.filter { $0 }.count)"
        )

        var searches: [Double] = []
        for prefix in ["dr", "rel", "sync 1", "notes", "api doc", "fix", "te", "plan re"] {
            searches.append(try Measure.seconds { _ = try store.search(collection: "tasks", text: prefix, limit: 400) })
        }
        print(
            "filter-as-you-type (FTS5, 400 rows): median \(Measure.milliseconds(Measure.percentile(searches, 0.5))), max \(Measure.milliseconds(searches.max() ?? 0))"
        )

        // Cold start to a rendered list: open the file, read the cached schema, load the first window, render.
        var colds: [Double] = []
        for _ in 0..<5 {
            colds.append(
                try Measure.seconds {
                    let reopened = try LocalStore(path: path)
                    var state = AppState(viewportRows: Renderer.listRows(forHeight: 24))
                    let effects = AppCore.update(
                        &state,
                        .launched(
                            user: SignedInUser(sub: "s", username: "bench", email: nil),
                            cachedSchema: reopened.cachedSchema(), lastSyncedAt: nil))
                    for case .loadRecords(let collection, let offset, let limit, _, _) in effects {
                        let window = try reopened.records(collection: collection, offset: offset, limit: limit)
                        let total = try reopened.recordCount(collection: collection)
                        _ = AppCore.update(
                            &state,
                            .list(.recordsLoaded(collection: collection, offset: offset, records: window, total: total))
                        )
                    }
                    _ = Renderer.render(state, width: 120, height: 40)
                })
        }
        print(
            "cold open to rendered list (\(records) cached): median \(Measure.milliseconds(Measure.percentile(colds, 0.5))) in-process; RSS \(String(format: "%.0f", Measure.residentMegabytes())) MB"
        )

        // Keystroke to frame: move the selection and render, over the big list.
        let reopened = try LocalStore(path: path)
        var state = AppState(viewportRows: Renderer.listRows(forHeight: 40))
        _ = AppCore.update(
            &state,
            .launched(
                user: SignedInUser(sub: "s", username: "bench", email: nil), cachedSchema: reopened.cachedSchema(),
                lastSyncedAt: nil))
        _ = AppCore.update(
            &state,
            .list(
                .recordsLoaded(
                    collection: "tasks", offset: 0,
                    records: try reopened.records(collection: "tasks", offset: 0, limit: 400), total: records)))
        var frames: [Double] = []
        for step in 0..<2_000 {
            frames.append(
                try Measure.seconds {
                    let effects = AppCore.update(&state, .key(step % 50 == 49 ? .pageDown : .down))
                    for case .loadRecords(let collection, let offset, let limit, _, _) in effects {
                        _ = AppCore.update(
                            &state,
                            .list(
                                .recordsLoaded(
                                    collection: collection, offset: offset,
                                    records: try reopened.records(collection: collection, offset: offset, limit: limit),
                                    total: records)))
                    }
                    _ = Renderer.render(state, width: 120, height: 40)
                })
        }
        print(
            "keystroke to frame (scrolling 100k, window loads included): p50 \(Measure.milliseconds(Measure.percentile(frames, 0.5))), p95 \(Measure.milliseconds(Measure.percentile(frames, 0.95)))"
        )
    }
}

struct SyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Against a running cloud: seed, initial sync, and outbox drain figures.")

    @Option(help: "amplify_outputs.json of the cloud.") var config: String
    @Option var username: String
    @Flag(help: "Read the password from stdin.") var passwordStdin = false
    @Option(help: "Records to seed and sync.") var records = 100_000
    @Option(help: "Queued edits to drain.") var edits = 1_000

    func run() async throws {
        guard passwordStdin, let password = readLine(), !password.isEmpty else {
            throw ValidationError("pass the password with --password-stdin")
        }
        let (configuration, _) = try ClientConfiguration.load(contentsOf: URL(fileURLWithPath: config))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = HandsetPaths(
            config: directory.appendingPathComponent("config"), state: directory.appendingPathComponent("state"),
            data: directory.appendingPathComponent("data"))
        // Seeding 100k records keeps two cores busy for minutes: give each answer more time than the app does.
        var settings = Settings()
        settings.requestTimeout = 120
        let profile = try ClientServices(
            profile: "bench", paths: paths, configuration: configuration, settings: settings)
        let conversation = SignInConversation(cognito: profile.cognito, flow: .srp)
        guard case .signedIn(let result) = await conversation.start(username: username, password: password) else {
            throw ValidationError("sign-in failed (a user without MFA is needed)")
        }
        let tokens = await profile.session.signedIn(result)
        guard let user = tokens.user else { throw ValidationError("the ID token names no user") }
        let services = try profile.userServices(for: user)
        _ = try await services.sync.refreshSchema()

        // Seed through the batch endpoint, as another device would.
        let seedSeconds = try await Measure.seconds {
            for start in stride(from: 0, to: records, by: 100) {
                let operations = (start..<min(start + 100, records)).map { index in
                    BatchOperation(
                        op: .create, id: UUID().uuidString.lowercased(),
                        body: [
                            "title": .string("Bench task \(index)"), "status": "todo",
                            "priority": .number(Double(index % 5 + 1)),
                        ])
                }
                _ = try await services.api.batch(collection: "tasks", BatchRequest(operations: operations))
            }
        }
        print("seed: \(records) records through _batch in \(String(format: "%.1f", seedSeconds)) s")

        let pullSeconds = try await Measure.seconds { _ = try await services.sync.pull(collection: "tasks") }
        let cached = try services.store.recordCount(collection: "tasks")
        print(
            "initial sync: \(cached) records in \(String(format: "%.2f", pullSeconds)) s = \(Int(Double(cached) / pullSeconds)) records/s"
        )

        let ids = try services.store.records(collection: "tasks", offset: 0, limit: edits).map(\.id)
        for (index, id) in ids.enumerated() {
            try services.store.updateRecord(
                collection: "tasks", id: id, fields: ["title": .string("Drained \(index)"), "status": "done"],
                now: Date())
        }
        let drainSeconds = try await Measure.seconds { _ = try await services.sync.push() }
        print(
            "outbox drain: \(ids.count) queued edits in \(String(format: "%.2f", drainSeconds)) s; pending after: \(try services.store.pendingCount())"
        )
        if appSync {
            try await keystrokesDuringAppSync(username: username, password: password, configuration: configuration)
        }
    }

    @Flag(inversion: .prefixedNo, help: "Also time keystroke to frame in-process during the app's own initial sync.")
    var appSync = true

    /// A fresh device signs in and the app's loop (headless: `HeadlessLoop`) runs its own first sync of every
    /// record, while a key is pressed every 100 ms: keystroke to frame in-process, and how long the app's sync took.
    func keystrokesDuringAppSync(username: String, password: String, configuration: ClientConfiguration) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handset-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = HandsetPaths(
            config: directory.appendingPathComponent("config"), state: directory.appendingPathComponent("state"),
            data: directory.appendingPathComponent("data"))
        let profile = try ClientServices(profile: "fresh", paths: paths, configuration: configuration)
        let conversation = SignInConversation(cognito: profile.cognito, flow: .srp)
        guard case .signedIn(let result) = await conversation.start(username: username, password: password) else {
            throw ValidationError("sign-in failed")
        }
        guard let user = await profile.session.signedIn(result).user else {
            throw ValidationError("the ID token names no user")
        }
        let services = try profile.userServices(for: user)
        let environment = AppEnvironment.live(
            api: profile.api, cognito: profile.cognito, session: profile.session,
            scope: UserScope(initial: services, open: { try profile.userServices(for: $0) }), now: profile.now)
        let loop = HeadlessLoop(environment: environment, state: AppState(profile: "fresh"))
        defer { loop.stop() }
        loop.start(first: .launched(user: user, cachedSchema: nil, lastSyncedAt: nil))
        let started = Date()
        while !loop.isSyncing, loop.syncSeconds == nil {
            guard Date().timeIntervalSince(started) < 120 else { throw ValidationError("the app never started a sync") }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        while loop.syncSeconds == nil {
            guard Date().timeIntervalSince(started) < 900 else { throw ValidationError("the app's sync never ended") }
            if loop.isSyncing { loop.press() }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let latencies = loop.keyLatencies
        let cached = try services.store.recordCount(collection: "tasks")
        print(
            "keystroke to frame in-process during the app's initial sync (\(latencies.count) keys, ? and Esc): p50 \(Measure.milliseconds(Measure.percentile(latencies, 0.5))), p95 \(Measure.milliseconds(Measure.percentile(latencies, 0.95))), max \(Measure.milliseconds(latencies.max() ?? 0)); the app's sync of \(cached) records took \(String(format: "%.2f", loop.syncSeconds ?? 0)) s"
        )
    }
}
