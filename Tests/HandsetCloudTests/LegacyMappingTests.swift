import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

/// `x-handset-table` and friends as the document declares them (the checks against the database itself are in the
/// MariaDB suites).
struct LegacyMappingTests {
    static func document(_ schema: String) -> String {
        """
        {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
         "components": {"schemas": {"Thing": \(schema)}}}
        """
    }

    static func failure(_ schema: String) -> String? {
        do {
            _ = try APIDocument(json: document(schema))
            return nil
        } catch let error as CloudStartupError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("a mapping is read with its columns, key, owner column, claim and zones")
    func mapping() throws {
        let document = try APIDocument(
            json: Self.document(
                """
                {"x-handset-collection": "things", "x-handset-table": "legacy_things", "x-handset-key": "thing_id",
                 "x-handset-key-generated": true, "x-handset-time-zone": "Europe/Paris",
                 "properties": {"title": {"type": "string"},
                                "madeAt": {"type": "string", "format": "date-time", "x-handset-column": "made_at",
                                           "x-handset-time-zone": "America/New_York"},
                                "userId": {"type": "integer", "x-handset-column": "user_id"},
                                "id": {"type": "string"}},
                 "required": ["title", "userId"],
                 "x-handset-auth": [{"allow": "owner", "x-handset-owner-column": "user_id", "identityClaim": "custom:uid"}]}
                """))
        let collection = try #require(document.collections["things"])
        let table = try #require(collection.table)
        #expect(table.table == "legacy_things")
        #expect(table.keyColumn == "thing_id")
        #expect(table.keyGenerated)
        #expect(table.ownerColumn == "user_id")
        #expect(table.timeZone == "Europe/Paris")
        #expect(table.fields.map(\.property) == ["madeAt", "title", "userId"])
        // The owner column is the cloud's to fill in from the creator's claim: never required of a body.
        #expect(collection.required == ["title"])
        #expect(table.fields.first?.column == "made_at")
        #expect(table.fields.first?.timeZone == "America/New_York")
        #expect(collection.layout.table == table)
        #expect(collection.keyGenerated)
        // The owner is the claim's value.
        let caller = Identity(
            sub: "s", username: "u", email: nil, groups: [], clientId: "c", customAttributes: ["custom:uid": "17"])
        #expect(collection.grant(for: caller).owner == "17")
        let record = StoredRecord(
            collection: "things", id: "1", owner: "17", version: 1, updatedAt: "", sequence: 1, deleted: false,
            bodyText: "{}")
        #expect(collection.grant(for: caller).allows(.update, on: record))
        let stranger = Identity(sub: "17", username: "x", email: nil, groups: [], clientId: "c")
        #expect(collection.grant(for: stranger).owner == nil)
        #expect(!collection.grant(for: stranger).allows(.read, on: record))

        // Clients see that the database assigns ids, and nothing of the table's names.
        let served = try JSONValue.parse(document.data)
        let schema = try #require(served["components"]?["schemas"]?["Thing"])
        #expect(schema[APIDocumentKeys.keyGenerated] == true)
        for key in [APIDocumentKeys.table, APIDocumentKeys.key, APIDocumentKeys.timeZone] {
            #expect(schema[key] == nil)
        }
        #expect(schema["properties"]?["madeAt"]?[APIDocumentKeys.column] == nil)
        #expect(schema["properties"]?["userId"]?["readOnly"] == true)
        #expect(schema["required"] == ["title"])
        #expect(schema[APIDocumentKeys.auth]?.arrayValue?.first?[APIDocumentKeys.ownerColumn] == nil)
        #expect(schema[APIDocumentKeys.auth]?.arrayValue?.first?["identityClaim"] == "custom:uid")
    }

    @Test("an existing table needs its MariaDB/MySQL database: SQLite storage refuses the mapping, saying so")
    func sqliteRefusesTables() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteCloudStorage.open(directory: directory)
        let document = try APIDocument(
            json: Self.document(
                #"{"x-handset-collection": "things", "x-handset-table": "things", "x-handset-auth": [{"allow": "private"}]}"#
            ))
        do {
            try await storage.records.prepare(for: document.orderedCollections.map(\.layout))
            Issue.record("SQLite took a collection of an existing table")
        } catch let error as CloudStartupError {
            #expect(error.description.contains("needs its MariaDB/MySQL database (--database mysql://…)"))
        }
        await storage.close()
    }

    @Test("composite keys and other mappings that cannot work are refused, saying why")
    func refusals() {
        let rules = #""x-handset-auth": [{"allow": "private"}]"#
        let cases: [(String, String)] = [
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "x-handset-key": ["a", "b"], \#(rules)}"#,
                "composite keys are not supported"
            ),
            (#"{"x-handset-collection": "t", "x-handset-key": "a", \#(rules)}"#, "but no x-handset-table"),
            (
                #"{"x-handset-collection": "t", "properties": {"a": {"type": "string", "x-handset-column": "b"}}, \#(rules)}"#,
                "has x-handset-column but the schema has no x-handset-table"
            ),
            (#"{"x-handset-collection": "t", "x-handset-table": "no spaces", \#(rules)}"#, "must name a table"),
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "properties": {"a": {"type": "string"}, "b": {"type": "string", "x-handset-column": "A"}}, \#(rules)}"#,
                "both map column A"
            ),
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "x-handset-key": "k", "properties": {"a": {"type": "string", "x-handset-column": "k"}}, \#(rules)}"#,
                "maps the key column k"
            ),
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "x-handset-time-zone": "Mars/Olympus", \#(rules)}"#,
                "must be an IANA time zone"
            ),
            (
                #"{"x-handset-collection": "t", "x-handset-auth": [{"allow": "owner", "x-handset-owner-column": "u"}]}"#,
                "needs a table"
            ),
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "x-handset-auth": [{"allow": "owner", "x-handset-owner-column": "u"}, {"allow": "owner", "operations": ["read"]}]}"#,
                "every owner rule must name the same"
            ),
            (
                #"{"x-handset-collection": "t", "x-handset-table": "t", "x-handset-key-generated": "yes", \#(rules)}"#,
                "must be true or false"
            ),
        ]
        for (schema, reason) in cases {
            let message = Self.failure(schema)
            #expect(message?.contains(reason) == true, "\(schema): \(message ?? "accepted")")
        }
    }
}
