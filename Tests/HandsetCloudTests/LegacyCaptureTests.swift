import Foundation
import HandsetCloudMySQL
import HandsetCloudStorage
import HandsetMySQL
import HandsetMySQLTesting
import HandsetWire
import Testing

@testable import HandsetCloud

/// Change capture of the web application's writes: set up and taken away again, what it says when a privilege is
/// missing, and If-Match against a web write still in flight.
@Suite(.serialized, needsMariaDBServer)
struct LegacyCaptureTests {
    static let setup = [
        """
        CREATE TABLE notes (
            note_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            title VARCHAR(60) NOT NULL,
            done TINYINT(1) NOT NULL DEFAULT 0
        ) ENGINE=InnoDB
        """,
        "INSERT INTO notes (title) VALUES ('one'), ('two'), ('three')",
    ]

    static let document = """
        {"openapi": "3.0.3", "info": {"title": "Notes", "version": "1"},
         "components": {"schemas": {"Note": {
            "x-handset-collection": "notes", "x-handset-table": "notes", "x-handset-key-generated": true,
            "required": ["title"],
            "properties": {"title": {"type": "string"}, "done": {"type": "boolean"}},
            "x-handset-auth": [{"allow": "private"}]}}}}
        """

    static func mappings() throws -> [LegacyTableMapping] {
        try APIDocument(json: document).orderedCollections.compactMap(\.table)
    }

    static func layouts() throws -> [RecordCollectionLayout] {
        try APIDocument(json: document).orderedCollections.map(\.layout)
    }

    @Test("install enters existing rows, is idempotent, re-creates triggers for a changed table; remove stops capture")
    func lifecycle() async throws {
        try await TestMariaDB.withDatabase("capture") { database in
            let web = database.makePool()
            for statement in Self.setup { try await web.execute(statement) }
            let storage = try await MySQLCloudStorage.open(database.configuration)
            let first = try await LegacyTableCommands.installCapture(database.configuration, mappings: Self.mappings())
            #expect(first.count == 2, "\(first)")
            #expect(first[0].hasPrefix("capture: notes: created triggers handset_ai_"))
            #expect(first[1] == "capture: notes: 3 existing rows entered in the change feed")
            let again = try await LegacyTableCommands.installCapture(database.configuration, mappings: Self.mappings())
            #expect(again == ["capture: notes: triggers in place"])
            try await storage.records.prepare(for: Self.layouts())
            let start = try await storage.records.changes(collection: "notes", owner: nil, after: 0, limit: 10)
            #expect(start.map(\.id) == ["1", "2", "3"])
            #expect(start.map(\.version) == [1, 1, 1])

            // Without capture the cloud refuses to serve the table, rather than miss the web application's writes.
            let removed = try await LegacyTableCommands.removeCapture(database.configuration, tables: ["notes"])
            #expect(removed.count == 1 && removed[0].hasPrefix("capture: notes: dropped triggers handset_"))
            #expect(try await web.execute("SHOW TRIGGERS").rows.isEmpty)
            await #expect(throws: CloudStartupError.self) { try await storage.records.prepare(for: Self.layouts()) }
            try await web.execute("UPDATE notes SET title = 'ONE' WHERE note_id = 1")
            try await web.execute("DELETE FROM notes WHERE note_id = 3")
            #expect(try await web.execute("SELECT COUNT(*) FROM handset_legacy_changes").rows[0].int(0) == 0)

            // Back on: whatever happened meanwhile, every row is marked changed, and the row gone is a tombstone.
            let back = try await LegacyTableCommands.installCapture(database.configuration, mappings: Self.mappings())
            #expect(
                back.contains(
                    "capture: notes: capture was off, so 3 rows are marked changed (devices fetch them again)"))
            try await storage.records.prepare(for: Self.layouts())
            let cursor = start.map(\.sequence).max() ?? 0
            let after = try await storage.records.changes(collection: "notes", owner: nil, after: cursor, limit: 10)
            #expect(after.map(\.id).sorted() == ["1", "2", "3"])
            #expect(after.first { $0.id == "1" }?.body["title"] == "ONE")
            #expect(after.first { $0.id == "3" }?.deleted == true)
            #expect(after.allSatisfy { $0.version == 2 })

            // The table changed shape: new triggers first, then the old ones go.
            try await web.execute("ALTER TABLE notes ADD COLUMN color VARCHAR(10) NULL")
            let altered = try await LegacyTableCommands.installCapture(
                database.configuration, mappings: Self.mappings())
            #expect(altered.count == 2, "\(altered)")
            #expect(altered[1].hasPrefix("capture: notes: dropped triggers made for an earlier definition"))
            #expect(try await web.execute("SHOW TRIGGERS").rows.count == 3)
            try await web.execute("UPDATE notes SET color = 'red' WHERE note_id = 2")
            #expect(try await web.execute("SELECT COUNT(*) FROM handset_legacy_changes").rows[0].int(0) == 1)
            await storage.close()
        }
    }

    @Test("a database user without the TRIGGER privilege is told which privilege to grant")
    func missingPrivilege() async throws {
        try await TestMariaDB.withDatabase("privilege") { database in
            let admin = database.makePool()
            for statement in Self.setup { try await admin.execute(statement) }
            let user = "hs_\(UUID().uuidString.prefix(8).lowercased())"
            try await admin.execute("CREATE USER '\(user)'@'localhost' IDENTIFIED BY 'Secret-42!'")
            try await admin.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, INDEX, ALTER ON `\(database.name)`.* TO '\(user)'@'localhost'"
            )
            defer { Task { _ = try? await admin.execute("DROP USER '\(user)'@'localhost'") } }
            var limited = database.configuration
            limited.user = user
            limited.password = MySQLPassword("Secret-42!")
            do {
                _ = try await LegacyTableCommands.installCapture(limited, mappings: Self.mappings())
                Issue.record("capture was set up without the TRIGGER privilege")
            } catch let error as LegacyCaptureError {
                #expect(error.description.contains("lacks the TRIGGER privilege"), "\(error)")
                #expect(error.description.contains("GRANT TRIGGER ON <database>.notes TO '\(user)'"), "\(error)")
                #expect(!error.description.contains("Secret-42!"))
            }
            // Granted, the same user sets it up.
            try await admin.execute("GRANT TRIGGER ON `\(database.name)`.* TO '\(user)'@'localhost'")
            let report = try await LegacyTableCommands.installCapture(limited, mappings: Self.mappings())
            #expect(report.first?.contains("created triggers") == true)
        }
    }

    @Test("If-Match against a row the web application is changing waits for it, then answers 412")
    func ifMatchAgainstAWebWriteInFlight() async throws {
        try await withLegacyCloud(
            setup: Self.setup, document: Self.document, users: [LegacyUser(name: "alice")]
        ) { cloud in
            let holding = LegacyGate()
            let release = LegacyGate()
            async let web: Void = cloud.web.transaction(retry: .never) { connection in
                try connection.execute("UPDATE notes SET done = 1 WHERE note_id = 2")
                holding.open()
                try release.wait()
            }
            try await legacyEventually("the web application holds row 2") { holding.isOpen }
            async let write = cloud.send(
                .patch, "/api/notes/2", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"title": "Two"}"#)
            let observer = MySQLPool(
                configuration: cloud.configuration, options: MySQLPoolOptions(maximumConnections: 1))
            try await legacyEventually("the cloud's write waits for the row") {
                try await observer.execute(
                    """
                    SELECT COUNT(*) FROM information_schema.processlist
                    WHERE db = DATABASE() AND command IN ('Query', 'Execute') AND info LIKE 'SELECT %FOR UPDATE'
                    """
                ).rows[0].int(0) == 1
            }
            await observer.close()
            release.open()
            try await web
            let answer = try await write
            #expect(answer.status == .preconditionFailed, "\(answer.text)")
            #expect(try answer.json()["done"] == true)
            #expect(try answer.json()["version"] == 2)
            #expect(try await cloud.sql("SELECT title FROM notes WHERE note_id = 2").rows[0].string(0) == "two")
        }
    }

    @Test("web writers and feed readers at once: readers following the feed miss no committed change")
    func concurrentWritersAndReaders() async throws {
        try await withLegacyCloud(
            setup: Self.setup, document: Self.document, users: [LegacyUser(name: "alice")]
        ) { cloud in
            let writers = 4
            let perWriter = 25
            let writersDone = LegacyGate()
            let streams = try await withThrowingTaskGroup(of: [JSONValue]?.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            try await cloud.sql("INSERT INTO notes (title) VALUES (?)", [.text("w\(writer)-\(index)")])
                            if index % 5 == 0 {
                                try await cloud.sql("UPDATE notes SET done = 1 - done WHERE note_id = 1")
                            }
                        }
                        return nil
                    }
                }
                for _ in 0..<2 {
                    group.addTask {
                        // Follows the feed while the writers write, then once more after the last commit.
                        var seen: [JSONValue] = []
                        var cursor: String?
                        var finished = false
                        while !finished {
                            finished = writersDone.isOpen
                            let page = try await cloud.changes("notes", as: "alice", since: cursor)
                            seen += page.items
                            cursor = page.cursor
                        }
                        return seen
                    }
                }
                var streams: [[JSONValue]] = []
                var writing = writers
                for try await result in group {
                    if let stream = result {
                        streams.append(stream)
                    } else {
                        writing -= 1
                        if writing == 0 { writersDone.open() }
                    }
                }
                return streams
            }
            let done = try await cloud.sql("SELECT done FROM notes WHERE note_id = 1").rows[0].int(0) != 0
            #expect(streams.count == 2)
            for stream in streams {
                let titles = Set(stream.compactMap { $0["title"]?.stringValue })
                for writer in 0..<writers {
                    for index in 0..<perWriter { #expect(titles.contains("w\(writer)-\(index)")) }
                }
                // Versions of a row only grow along the stream, and its last one is the row as it is.
                var versions: [String: Int] = [:]
                for item in stream {
                    let id = item["id"]?.stringValue ?? ""
                    let version = item["version"]?.intValue ?? 0
                    #expect(version > versions[id, default: 0], "\(id) went back to version \(version)")
                    versions[id] = version
                }
                #expect(stream.last { $0["id"] == "1" }?["done"] == .bool(done))
            }
        }
    }
}

/// A door a test opens for a waiting thread (the web application's transaction held open).
final class LegacyGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false

    var isOpen: Bool {
        condition.lock()
        defer { condition.unlock() }
        return opened
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }

    struct Timeout: Error {}

    func wait(seconds: Double = 60) throws {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !opened {
            if !condition.wait(until: deadline) { throw Timeout() }
        }
    }
}

func legacyEventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while try await !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting until \(what)")
            throw CancellationError()
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
