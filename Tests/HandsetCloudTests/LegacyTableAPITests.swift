import Foundation
import HTTPTypes
import HandsetMySQL
import HandsetWire
import Testing

@testable import HandsetCloud

/// A help desk's tables in the legacy style, served as collections: rows are records, writes go to the table, the
/// web application's own writes reach the change feed.
@Suite(.serialized, needsMariaDBServer)
struct LegacyTableAPITests {
    static let setup = [
        """
        CREATE TABLE customers (
            customer_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            email VARCHAR(120) NOT NULL,
            name VARCHAR(80) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1
        """,
        """
        CREATE TABLE tickets (
            ticket_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            customer_id INT UNSIGNED NULL,
            subject VARCHAR(100) NOT NULL,
            body TEXT CHARACTER SET utf8mb4 NULL,
            status ENUM('open','pending','closed') NOT NULL DEFAULT 'open',
            labels SET('bug','billing','urgent') NOT NULL DEFAULT '',
            urgent TINYINT(1) NOT NULL DEFAULT 0,
            price DECIMAL(10,2) NOT NULL DEFAULT '0.00',
            due DATE NOT NULL DEFAULT '0000-00-00',
            opened_at DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00',
            touched DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            CONSTRAINT tickets_customer FOREIGN KEY (customer_id) REFERENCES customers (customer_id)
        ) ENGINE=InnoDB DEFAULT CHARSET=latin1
        """,
        "INSERT INTO customers (email, name) VALUES ('alice@example.com', 'Alice'), ('bob@example.com', 'Bob')",
        """
        INSERT INTO tickets (customer_id, subject, status, labels, urgent, price, due, opened_at) VALUES
            (1, 'Printer on fire', 'open', 'bug,urgent', 1, '12.50', '2026-12-01', '2026-07-01 09:30:00'),
            (2, 'Café au lait', 'pending', '', 2, '0.00', '0000-00-00', '0000-00-00 00:00:00'),
            (1, 'Refund', 'closed', 'billing', 0, '99.99', '2026-11-02', '2026-01-15 18:00:00')
        """,
    ]

    static let document = """
        {
          "openapi": "3.0.3",
          "info": {"title": "Help desk", "version": "1"},
          "tags": [{"name": "tickets"}, {"name": "customers"}],
          "components": {"schemas": {
            "Ticket": {
              "type": "object",
              "x-handset-collection": "tickets",
              "x-handset-table": "tickets",
              "x-handset-key": "ticket_id",
              "x-handset-key-generated": true,
              "x-handset-time-zone": "Europe/Paris",
              "x-handset-title": "subject",
              "x-handset-list-columns": ["subject", "status", "due"],
              "required": ["subject"],
              "properties": {
                "subject": {"type": "string", "maxLength": 100},
                "body": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "pending", "closed"]},
                "labels": {"type": "array"},
                "urgent": {"type": "boolean"},
                "price": {"type": "string", "format": "decimal"},
                "due": {"type": "string", "format": "date"},
                "openedAt": {"type": "string", "format": "date-time", "x-handset-column": "opened_at"},
                "customer": {"type": "string", "x-handset-column": "customer_id", "readOnly": true}
              },
              "x-handset-auth": [
                {"allow": "owner", "x-handset-owner-column": "customer_id", "identityClaim": "custom:customer_id"},
                {"allow": "groups", "groups": ["admins"]}
              ]
            },
            "Customer": {
              "type": "object",
              "x-handset-collection": "customers",
              "x-handset-table": "customers",
              "x-handset-key-generated": true,
              "required": ["email", "name"],
              "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
              "x-handset-auth": [{"allow": "private", "operations": ["read"]}, {"allow": "groups", "groups": ["admins"]}]
            }
          }}
        }
        """

    static let users = [
        LegacyUser(name: "alice", attributes: ["custom:customer_id": "1"]),
        LegacyUser(name: "bob", attributes: ["custom:customer_id": "2"]),
        LegacyUser(name: "carol"),
        LegacyUser(name: "admin", groups: ["admins"]),
    ]

    @Test("rows are records: types without loss, owners by a token claim, writes to the table itself")
    func rowsAreRecords() async throws {
        try await withLegacyCloud(setup: Self.setup, document: Self.document, users: Self.users) { cloud in
            let all = try await cloud.send(.get, "/api/tickets?limit=10", as: "admin").json()
            #expect(all["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["1", "2", "3"])
            let first = try #require(all.itemsByID["1"])
            #expect(first["subject"] == "Printer on fire")
            #expect(first["status"] == "open")
            #expect(first["labels"] == ["bug", "urgent"])
            #expect(first["urgent"] == true)
            #expect(first["price"] == "12.50")
            #expect(first["due"] == "2026-12-01")
            // 09:30 in Paris in July is 07:30 UTC.
            #expect(first["openedAt"] == "2026-07-01T07:30:00Z")
            #expect(first["owner"] == "1")
            #expect(first["customer"] == "1")
            #expect(first["version"] == 1)
            let second = try #require(all.itemsByID["2"])
            #expect(second["subject"] == "Café au lait")
            #expect(second["urgent"] == true)  // TINYINT(1) holding 2
            #expect(second["due"] == nil)  // a zero date
            #expect(second["openedAt"] == nil)
            #expect(second["labels"] == [])

            // Each customer sees the rows whose customer_id is their token's custom:customer_id.
            let mine = try await cloud.send(.get, "/api/tickets", as: "alice").json()
            #expect(mine["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["1", "3"])
            let bobs = try await cloud.send(.get, "/api/tickets/_changes", as: "bob").json()
            #expect(bobs["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["2"])
            #expect(try await cloud.send(.get, "/api/tickets/2", as: "alice").status == .notFound)
            // Without the claim, nobody's rows are yours.
            #expect(try await cloud.send(.get, "/api/tickets", as: "carol").status == .forbidden)

            // A patch writes the changed column only: the zero date and the 2 stay as the web application wrote them.
            let patched = try await cloud.send(
                .patch, "/api/tickets/2", as: "admin", headers: ["If-Match": "\"1\""],
                body: #"{"subject": "Café crème", "customer": "1"}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try patched.json()["version"] == 2)
            let row = try #require(
                try await cloud.sql(
                    "SELECT subject, urgent, CAST(due AS CHAR), CAST(opened_at AS CHAR), customer_id FROM tickets WHERE ticket_id = 2"
                ).rows.first)
            #expect(try row.string(0) == "Café crème")
            #expect(try row.int(1) == 2)
            #expect(try row.string(2) == "0000-00-00")
            #expect(try row.string(3) == "0000-00-00 00:00:00")
            #expect(try row.int(4) == 2)  // the owner column is not the body's to change

            // A create: the database assigns the id, the owner column gets the creator's claim, defaults fill in.
            let created = try await cloud.send(
                .post, "/api/tickets", as: "alice",
                body: #"{"subject": "New toner", "openedAt": "2026-03-29T01:30:00Z", "price": "5.5"}"#)
            #expect(created.status == .created, "\(created.text)")
            let record = try created.json()
            #expect(record["id"] == "4")
            #expect(created.headers[.location] == "/api/tickets/4")
            #expect(record["status"] == "open")
            #expect(record["price"] == "5.50")
            #expect(record["owner"] == "1")
            #expect(record["openedAt"] == "2026-03-29T01:30:00Z")
            let inserted = try #require(
                try await cloud.sql(
                    "SELECT customer_id, CAST(opened_at AS CHAR), status FROM tickets WHERE ticket_id = 4"
                ).rows.first)
            #expect(try inserted.int(0) == 1)
            // 01:30 UTC on the night clocks go forward is 03:30 in Paris.
            #expect(try inserted.string(1) == "2026-03-29 03:30:00")
            // A column the server fills with the current time holds Paris time, as the web application's would (the
            // cloud's sessions run in UTC, so the cloud writes it).
            let offset = try await cloud.sql(
                "SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), touched) FROM tickets WHERE ticket_id = 4"
            ).rows.first?.int(0)
            let paris = TimeZone(identifier: "Europe/Paris")!.secondsFromGMT() / 60
            #expect(offset.map { abs($0 - paris) <= 2 } == true, "\(offset ?? 0) minutes from UTC")
            let withID = try await cloud.send(
                .put, "/api/tickets/\(UUID().uuidString)", as: "alice", headers: ["If-None-Match": "*"],
                body: #"{"subject": "Mine"}"#)
            #expect(withID.status == .badRequest)
            #expect(try withID.json()["fields"]?["id"] == "is assigned by the database")

            // What the columns cannot hold is a 400 naming the field, never a 500, and writes nothing.
            let latin = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"subject": "Fire 🔥"}"#)
            #expect(latin.status == .badRequest, "\(latin.text)")
            #expect(try latin.json()["fields"]?["subject"] != nil)
            let precise = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"price": "1.234"}"#)
            #expect(precise.status == .badRequest, "\(precise.text)")
            #expect(try precise.json()["fields"]?["price"] != nil)
            let label = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"labels": ["nope"]}"#)
            #expect(label.status == .badRequest, "\(label.text)")
            #expect(try await cloud.send(.get, "/api/tickets/1", as: "alice").json()["version"] == 1)

            // Other rows refer to a customer: deleting it is a conflict, not a server error.
            let parent = try await cloud.send(.delete, "/api/customers/2", as: "admin", headers: ["If-Match": "\"1\""])
            #expect(parent.status == .conflict, "\(parent.text)")

            // Idempotency-Key: a retried create answers the first answer and inserts nothing more.
            let key = ["Idempotency-Key": "create-once"]
            let once = try await cloud.send(
                .post, "/api/tickets", as: "bob", headers: key, body: #"{"subject": "Once"}"#)
            let again = try await cloud.send(
                .post, "/api/tickets", as: "bob", headers: key, body: #"{"subject": "Once"}"#)
            #expect(once.status == .created)
            #expect(try once.json()["id"] == again.json()["id"])
            #expect(try await cloud.sql("SELECT COUNT(*) FROM tickets WHERE subject = 'Once'").rows.first?.int(0) == 1)

            // Batches: creates without ids get theirs, a refusal leaves the rest.
            let batch = try await cloud.send(
                .post, "/api/tickets/_batch", as: "alice",
                body:
                    #"{"operations": [{"op": "create", "body": {"subject": "B1"}}, {"op": "create", "body": {"subject": "B2", "status": "bad"}}, {"op": "patch", "id": "1", "ifMatch": 1, "body": {"urgent": false}}]}"#
            )
            let results = try batch.json()["results"]?.arrayValue ?? []
            #expect(results.map { $0["status"]?.doubleValue } == [201, 400, 200], "\(batch.text)")
            #expect(results.first?["record"]?["id"]?.stringValue.flatMap(Int.init) != nil)
            #expect(try await cloud.sql("SELECT urgent FROM tickets WHERE ticket_id = 1").rows.first?.int(0) == 0)
        }
    }

    @Test(
        "the web application's writes reach the change feed; If-Match against them answers 412; deletes are tombstones")
    func webWritesReachTheFeed() async throws {
        try await withLegacyCloud(setup: Self.setup, document: Self.document, users: Self.users) { cloud in
            let (start, cursor) = try await cloud.changes("tickets", as: "alice")
            #expect(start.compactMap { $0["id"]?.stringValue } == ["1", "3"])

            // The web application edits, inserts and deletes; nothing of the cloud's is involved.
            try await cloud.sql("UPDATE tickets SET status = 'closed' WHERE ticket_id = 1")
            try await cloud.sql("UPDATE tickets SET status = status WHERE ticket_id = 3")  // changes nothing
            try await cloud.sql("INSERT INTO tickets (customer_id, subject) VALUES (1, 'From the web')")
            try await cloud.sql("INSERT INTO tickets (customer_id, subject) VALUES (2, 'Not for alice')")
            let (after, next) = try await cloud.changes("tickets", as: "alice", since: cursor)
            #expect(after.compactMap { $0["id"]?.stringValue } == ["1", "4"])
            #expect(after.first?["status"] == "closed")
            #expect(after.first?["version"] == 2)
            #expect(after.last?["subject"] == "From the web")

            // A device still holding version 1 is told: 412 with the row as the web application left it.
            let stale = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"status": "open"}"#)
            #expect(stale.status == .preconditionFailed, "\(stale.text)")
            #expect(try stale.json()["status"] == "closed")
            #expect(try stale.json()["version"] == 2)
            #expect(
                try await cloud.sql("SELECT status FROM tickets WHERE ticket_id = 1").rows.first?.string(0) == "closed")

            // Changed again while the cloud was not looking: If-Match must still see it, before any read folds it.
            try await cloud.sql("UPDATE tickets SET body = 'Called the customer' WHERE ticket_id = 1")
            let racing = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"2\""], body: #"{"status": "open"}"#)
            #expect(racing.status == .preconditionFailed, "\(racing.text)")
            #expect(try racing.json()["version"] == 3)
            let fresh = try await cloud.send(
                .patch, "/api/tickets/1", as: "alice", headers: ["If-Match": "\"3\""], body: #"{"status": "open"}"#)
            #expect(fresh.status == .ok, "\(fresh.text)")
            #expect(try fresh.json()["body"] == "Called the customer")
            #expect(try fresh.json()["version"] == 4)

            // A delete by the web application is a tombstone in the feed; a GET is a 404.
            try await cloud.sql("DELETE FROM tickets WHERE ticket_id = 3")
            let (gone, last) = try await cloud.changes("tickets", as: "alice", since: next)
            let tombstone = try #require(gone.first { $0["id"] == "3" })
            #expect(tombstone["deleted"] == true)
            #expect(tombstone["version"] == 2)
            #expect(gone.contains { $0["id"] == "1" && $0["version"] == 4 })
            #expect(try await cloud.send(.get, "/api/tickets/3", as: "alice").status == .notFound)

            // A delete through the API removes the row; the feed says so once.
            let deleted = try await cloud.send(.delete, "/api/tickets/4", as: "alice", headers: ["If-Match": "\"1\""])
            #expect(deleted.status == .noContent, "\(deleted.text)")
            #expect(try await cloud.sql("SELECT COUNT(*) FROM tickets WHERE ticket_id = 4").rows.first?.int(0) == 0)
            let (end, _) = try await cloud.changes("tickets", as: "alice", since: last)
            #expect(end.map { $0["id"]?.stringValue } == ["4"])
            #expect(end.first?["deleted"] == true)
            // The cloud's own entries and the web application's are all folded: nothing waits.
            #expect(try await cloud.sql("SELECT COUNT(*) FROM handset_legacy_changes").rows.first?.int(0) == 0)
        }
    }
}
