import ArgumentParser
import Foundation
import HandsetApp
import HandsetLive
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync
import HandsetWire

/// `handset sync`: push local writes, then pull every collection's changes.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push local changes and pull the server's; exit 2 if conflicts need you.")

    @OptionGroup var profile: ProfileOptions
    @Option(name: .long, help: "Only these collections (repeatable).") var collection: [String] = []
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let services = try profile.services().requireUser()
        let report: SyncReport
        do {
            let schema = try await services.schema(refresh: true)
            let names = collection.isEmpty ? schema.collections.map(\.name) : collection
            for name in names where schema.collection(named: name) == nil {
                throw ValidationError(
                    "no collection \"\(name)\"; collections: \(schema.collections.map(\.name).joined(separator: ", "))")
            }
            let showProgress = !output.json && isatty(STDERR_FILENO) != 0
            report = try await services.sync.sync(collections: names) { progress in
                guard showProgress else { return }
                switch progress {
                case .pushing(let done, let total): Console.progress("pushing \(done)/\(total)")
                case .pulling(let name, let done): Console.progress("pulling \(name): \(done)")
                }
            }
            if showProgress { Console.progress(nil) }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw Console.fail(error)
        }
        // The state after this sync, not only what it did: refusals and conflicts left from before count too.
        let conflicts = try services.store.conflicts().count
        let rejected = try services.store.refusals().count
        if output.json {
            Console.printJSON([
                "pushed": .number(Double(report.pushed)), "accepted": .number(Double(report.accepted)),
                "conflicts": .number(Double(conflicts)), "rejected": .number(Double(rejected)),
                "pulled": .number(Double(report.pulled)), "deferred": .bool(report.deferred),
            ])
        } else {
            print(
                "Synced: \(report.accepted) sent, \(report.pulled) received"
                    + (conflicts > 0 ? ", \(conflicts) conflict(s): see `handset conflicts`" : "")
                    + (rejected > 0 ? ", \(rejected) refused: see `handset refused`" : "")
                    + (report.deferred ? " (the server asked to retry some later)" : ""))
        }
        if conflicts > 0 || rejected > 0 { throw HandsetExit.needsAttention }
    }
}

/// `handset status`: what this device knows, offline too.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Profile, session, pending writes, conflicts, and what is cached.")

    @OptionGroup var profile: ProfileOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let services = try profile.services()
        guard let store = services.signedIn?.store else {
            if output.json {
                Console.printJSON([
                    "profile": .string(services.profile),
                    "api": .string(services.configuration.apiEndpoint.absoluteString), "user": .null,
                ])
            } else {
                print("profile    \(services.profile) (\(services.configuration.apiEndpoint.absoluteString))")
                print("signed in  no")
            }
            if let unclaimed = services.caches.unclaimedCache {
                Console.note("A cache from before per-user caches waits for its user at \(unclaimed.path)")
            }
            return
        }
        let entries = try store.outboxEntries()
        let pending = entries.filter { $0.state == .queued }.count
        let rejected = try store.refusals()
        let conflicts = try store.conflicts()
        let collections = store.cachedSchema()?.collections.map(\.name) ?? []
        let counts = try collections.map { ($0, try store.recordCount(collection: $0)) }
        let last = store.lastSyncedAt()
        if output.json {
            Console.printJSON([
                "profile": .string(services.profile),
                "api": .string(services.configuration.apiEndpoint.absoluteString),
                "user": services.signedInUser.map { .string($0.username) } ?? .null,
                "pending": .number(Double(pending)), "conflicts": .number(Double(conflicts.count)),
                "rejected": .array(
                    rejected.map {
                        [
                            "collection": .string($0.collection), "id": .string($0.recordId),
                            "reason": .string($0.reason), "status": .number(Double($0.status)),
                        ]
                    }),
                "lastSyncedAt": last.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null,
                "cached": .object(
                    Dictionary(uniqueKeysWithValues: counts.map { ($0.0, JSONValue.number(Double($0.1))) })),
            ])
            return
        }
        print("profile    \(services.profile) (\(services.configuration.apiEndpoint.absoluteString))")
        print("signed in  \(services.signedInUser?.username ?? "no")")
        print("last sync  \(last.map { ISO8601DateFormatter().string(from: $0) } ?? "never")")
        print("pending    \(pending) write(s)")
        print("conflicts  \(conflicts.count)")
        for refusal in rejected {
            print(TerminalText.safe("refused    \(refusal.collection)/\(refusal.recordId): \(refusal.reason)"))
        }
        for (name, count) in counts { print("cached     \(name): \(count)") }
    }
}

/// `handset ls <collection>`: the cached records (works offline).
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List a collection's records from the local cache.")

    @OptionGroup var profile: ProfileOptions
    @Argument(help: "The collection, e.g. tasks.") var collection: String
    @Option(name: .long, help: "Only records matching these words (full-text, prefix match).") var search: String?
    @Option(name: .long, help: "At most this many records.") var limit: Int = 100
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let services = try profile.services().requireUser()
        let schema: APISchema
        do {
            schema = try await services.schema(refresh: false)
        } catch {
            throw Console.fail(error)
        }
        guard let collectionSchema = schema.collection(named: collection) else {
            throw ValidationError(
                "no collection \"\(collection)\"; collections: \(schema.collections.map(\.name).joined(separator: ", "))"
            )
        }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        // One more than asked tells whether the list was cut.
        var records =
            try search.map { try services.store.search(collection: collection, text: $0, limit: limit + 1) }
            ?? services.store.records(collection: collection, limit: limit + 1)
        if records.count > limit {
            records.removeLast(records.count - limit)
            let total = search == nil ? try services.store.recordCount(collection: collection) : nil
            Console.note(
                "handset: showing the first \(limit)\(total.map { " of \($0)" } ?? "") records; --limit N shows more")
        }
        if records.isEmpty, try services.store.syncCursor(collection: collection).cursor == nil {
            Console.note(
                "handset: nothing of \(collection) is cached for \(services.user.username) yet: run `handset sync`")
        }
        if output.json {
            Console.printJSON(.array(records.map(\.jsonWithState)))
            return
        }
        let columns = [RecordField.id] + collectionSchema.listColumns
        print(columns.joined(separator: "\t"))
        for record in records {
            let values = columns.map { TerminalText.safe(record.value(of: $0)) }
            let marker = record.syncState == .synced ? "" : "\t[\(record.syncState.rawValue)]"
            print(values.joined(separator: "\t") + marker)
        }
    }

}

/// `handset get <collection> <id>`.
struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one cached record.")

    @OptionGroup var profile: ProfileOptions
    @Argument(help: "The collection, e.g. tasks.") var collection: String
    @Argument(help: "The record's id (`handset ls` shows them).") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let services = try profile.services().requireUser()
        if let schema = services.store.cachedSchema(), schema.collection(named: collection) == nil {
            throw ValidationError(
                "no collection \"\(collection)\"; collections: \(schema.collections.map(\.name).joined(separator: ", "))"
            )
        }
        guard let record = try services.store.record(collection: collection, id: id) else {
            Console.error("no \(collection) record \(id) in the local cache (try `handset sync`)")
            throw HandsetExit.failure
        }
        if output.json {
            Console.printJSON(record.jsonWithState)
            return
        }
        for (key, value) in (record.json.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            print("\(TerminalText.safe(key)): \(TerminalText.safe(value))")
        }
        print("_syncState: \(record.syncState.rawValue)")
    }
}

/// `handset put <collection> [id] --field name=value ...`: create or change a record, offline too.
struct PutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Create (no id) or change a record; saved locally at once, then synced.",
        discussion:
            "Fields are checked against the API's schema first. With --no-sync the write waits for `handset sync`.")

    @OptionGroup var profile: ProfileOptions
    @Argument(help: "The collection, e.g. tasks.") var collection: String
    @Argument(help: "The record to change; omit to create one (a new UUID).") var id: String?
    @Option(name: .long, help: "name=value (repeatable).") var field: [String] = []
    @Flag(name: .long, help: "Only save locally; sync later.") var noSync = false
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let services = try profile.services().requireUser()
        let schema: APISchema
        do {
            schema = try await services.schema(refresh: false)
        } catch {
            throw Console.fail(error)
        }
        guard let collectionSchema = schema.collection(named: collection) else {
            throw ValidationError("no collection \"\(collection)\"")
        }
        let changes = try collectionSchema.fields(from: field)
        var fields = changes.filter { !$0.value.isNull }
        if let id {
            guard let existing = try services.store.record(collection: collection, id: id) else {
                throw ValidationError("no \(collection) record \(id) in the local cache")
            }
            // A change names only some fields: the others keep their values; an empty value removes one.
            fields = existing.fields
            for (name, value) in changes { fields[name] = value.isNull ? nil : value }
        }
        let recordId: String
        do {
            recordId = try services.saveRecord(
                collection: collection, id: id, fields: fields, schema: collectionSchema, now: Date())
        } catch RecordSaveError.forbidden(let reason) {
            Console.error("forbidden (the API's access rules): \(reason); nothing was saved")
            throw HandsetExit.forbidden
        } catch RecordSaveError.invalid(let problems) {
            for (name, problem) in problems.sorted(by: { $0.key < $1.key }) { Console.error("\(name) \(problem)") }
            throw ExitCode.validationFailure
        }
        var finalId = recordId
        let result = await pushAndReport(services, collection: collection, id: &finalId, send: !noSync)
        let record = try services.store.record(collection: collection, id: finalId)
        if output.json {
            var object = record?.jsonWithState.objectValue ?? ["id": .string(finalId)]
            object["_result"] = .string(result.jsonName)
            if case .refused(let reason) = result { object["_reason"] = .string(reason) }
            if case .forbidden(let reason) = result { object["_reason"] = .string(reason) }
            Console.printJSON(.object(object))
        } else {
            print("\(id == nil ? "Created" : "Saved") \(collection)/\(finalId): \(result.summary)")
        }
        if result != .synced, !(noSync && result == .pending("--no-sync")) { throw result.exitCode }
    }
}

/// `handset rm <collection> <id>`.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete a record, offline too.")

    @OptionGroup var profile: ProfileOptions
    @Argument(help: "The collection, e.g. tasks.") var collection: String
    @Argument(help: "The record's id (`handset ls` shows them).") var id: String
    @Flag(name: .long, help: "Only delete locally; sync later.") var noSync = false

    func run() async throws {
        let services = try profile.services().requireUser()
        do {
            try services.store.deleteRecord(collection: collection, id: id, now: Date())
        } catch let error as StoreError {
            Console.error(error.description)
            throw HandsetExit.failure
        }
        let result = await pushAndReport(services, collection: collection, id: id, send: !noSync)
        print("Deleted \(collection)/\(id): \(result.summary)")
        if result != .synced, !(noSync && result == .pending("--no-sync")) { throw result.exitCode }
    }
}

/// What became of one local write after trying to send it.
enum WriteResult: Equatable {
    /// The server accepted it.
    case synced
    /// Saved here; waiting to be sent (offline, the server asked to retry later, or `--no-sync`).
    case pending(String)
    /// The record changed on the server first.
    case conflict
    /// The server refused it, with its reason.
    case refused(String)
    /// No rule lets this user do it.
    case forbidden(String)
    /// The session this data belongs to has ended.
    case notSignedIn

    /// The words after "Created tasks/<id>" and the like.
    var summary: String {
        switch self {
        case .synced: return "synced"
        case .pending(let why): return "saved on this device, pending sync (\(why))"
        case .conflict: return "conflict: it changed on the server first; see `handset conflicts`"
        case .refused(let reason):
            return "refused by the server: \(reason); fix it and run `handset put` again, or `handset refused discard`"
        case .forbidden(let reason):
            return "forbidden: \(reason); no rule lets you do this, `handset refused discard` drops it"
        case .notSignedIn: return "saved on this device; the session expired, run `handset login` to send it"
        }
    }

    /// The exit code that says so (README: Commands).
    var exitCode: ExitCode {
        switch self {
        case .synced: return .success
        case .pending: return HandsetExit.offline
        case .conflict: return HandsetExit.needsAttention
        case .refused: return HandsetExit.refused
        case .forbidden: return HandsetExit.forbidden
        case .notSignedIn: return HandsetExit.notSignedIn
        }
    }

    var jsonName: String {
        switch self {
        case .synced: return "synced"
        case .pending: return "pending"
        case .conflict: return "conflict"
        case .refused: return "refused"
        case .forbidden: return "forbidden"
        case .notSignedIn: return "notSignedIn"
        }
    }
}

/// Pushes the outbox if the cloud answers (a local write never fails because the network did) and says what became
/// of the write to `collection/id`.
func pushAndReport(_ services: UserServices, collection: String, id: String, send: Bool = true) async -> WriteResult {
    var id = id
    return await pushAndReport(services, collection: collection, id: &id, send: send)
}

/// The same; `id` follows the record when the server's database gave it its own id (a create in a collection with
/// `x-handset-key-generated`).
func pushAndReport(
    _ services: UserServices, collection: String, id: inout String, send: Bool = true
) async -> WriteResult {
    guard send else { return .pending("--no-sync") }
    var offline: String?
    do {
        let report = try await services.sync.push()
        if report.deferred { offline = "the server asked to retry later" }
        let current = id
        if let change = report.rekeyed.first(where: { $0.collection == collection && $0.temporaryID == current }) {
            id = change.serverID
        }
    } catch RemoteError.sessionExpired {
        return .notSignedIn
    } catch {
        offline = RemoteError.from(error).message
    }
    if let refusal = try? services.store.refusal(collection: collection, id: id) {
        return refusal.isForbidden ? .forbidden(refusal.reason) : .refused(refusal.reason)
    }
    if (try? services.store.conflicts())?.contains(where: { $0.collection == collection && $0.recordId == id }) == true
    {
        return .conflict
    }
    if let pending = try? services.store.queuedEntries(limit: 100_000),
        pending.contains(where: { $0.collection == collection && $0.recordId == id })
    {
        return .pending(offline ?? "not sent yet")
    }
    return .synced
}

/// `handset conflicts`: list them, or resolve one.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Show writes the server refused because the record changed there first.",
        subcommands: [ListConflicts.self, ResolveConflict.self], defaultSubcommand: ListConflicts.self)

    struct ListConflicts: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List conflicts (the default).")
        @OptionGroup var profile: ProfileOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let conflicts = try profile.services().requireUser().store.conflicts()
            if output.json {
                Console.printJSON(
                    .array(
                        conflicts.map {
                            [
                                "collection": .string($0.collection), "id": .string($0.recordId),
                                "mine": $0.mine.map(JSONValue.object) ?? .null, "theirs": $0.theirs?.json ?? .null,
                                "base": $0.base.map(JSONValue.object) ?? .null,
                                "fields": .array($0.differingFields.map(JSONValue.string)),
                            ]
                        }))
                return
            }
            if conflicts.isEmpty { print("No conflicts") }
            for conflict in conflicts {
                print(
                    "\(conflict.collection)/\(conflict.recordId): "
                        + (conflict.mine == nil
                            ? "deleted here"
                            : conflict.theirs == nil
                                ? "deleted on the server"
                                : "differs in \(conflict.differingFields.joined(separator: ", "))"))
            }
        }
    }

    struct ResolveConflict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Keep mine or take theirs.")
        @OptionGroup var profile: ProfileOptions
        @Argument(help: "The collection, e.g. tasks.") var collection: String
        @Argument(help: "The record's id (`handset ls` shows them).") var id: String
        @Flag(exclusivity: .exclusive, help: "Which version wins.") var choice: Choice

        enum Choice: String, EnumerableFlag {
            case mine, theirs
        }

        func run() async throws {
            let profileServices = try profile.services()
            let services = try profileServices.requireUser()
            do {
                try services.store.resolveConflict(
                    collection: collection, recordId: id, resolution: choice == .mine ? .keepMine : .takeTheirs,
                    now: profileServices.now())
            } catch let error as StoreError {
                Console.error("no conflict for \(collection)/\(id) (\(error))")
                throw HandsetExit.failure
            }
            let result = await pushAndReport(services, collection: collection, id: id, send: choice == .mine)
            print("Resolved \(collection)/\(id): \(choice == .mine ? "kept mine, \(result.summary)" : "took theirs")")
            if choice == .mine, result != .synced { throw result.exitCode }
        }
    }
}

/// `handset config import <file>`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Manage profiles.", subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Save an amplify_outputs.json as a profile.")
        @Argument(help: "The backend's amplify_outputs.json.") var file: String
        @Option(name: .long, help: "The profile's name.") var profile: String = "default"

        func run() throws {
            var options = ProfileOptions()
            options.config = file
            options.profile = profile
            _ = try options.resolve(paths: HandsetPaths())
            print("Saved profile \(profile)")
        }
    }
}

extension Console {
    /// Draws (or clears, with nil) a one-line progress message on stderr.
    static func progress(_ text: String?) {
        let line = "\r\u{1B}[2K" + (text ?? "")
        FileHandle.standardError.write(Data(line.utf8))
    }
}
