import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import HandsetWire
import Testing

@testable import HandsetCloud
@testable import HandsetCloudMySQL

/// `schema import` against every column type the issue lists, and the imported document served: each type read and
/// written back without loss.
@Suite(.serialized, needsMariaDBServer)
struct LegacySchemaImportTests {
    static let tables = [
        """
        CREATE TABLE everything (
            id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            count_signed INT NULL,
            count_unsigned INT UNSIGNED NULL,
            big_signed BIGINT NULL,
            big_unsigned BIGINT UNSIGNED NULL,
            amount DECIMAL(12,4) NULL,
            ratio FLOAT NULL,
            precise DOUBLE NULL,
            flag TINYINT(1) NOT NULL DEFAULT 0,
            code CHAR(4) CHARACTER SET latin1 NULL,
            title VARCHAR(50) NOT NULL,
            old_title VARCHAR(50) CHARACTER SET latin1 NULL,
            notes TEXT NULL,
            long_notes LONGTEXT CHARACTER SET latin1 NULL,
            day DATE NOT NULL DEFAULT '0000-00-00',
            local_at DATETIME(3) NOT NULL DEFAULT '0000-00-00 00:00:00.000',
            stamp TIMESTAMP NULL DEFAULT NULL,
            duration TIME NULL,
            year_made YEAR NULL,
            state ENUM('new','used','broken') NOT NULL DEFAULT 'new',
            tags SET('red','green','blue') NULL,
            doc JSON NULL,
            picture BLOB NULL,
            with_default VARCHAR(20) NOT NULL DEFAULT 'it''s plain',
            version INT NOT NULL DEFAULT 1,
            total DECIMAL(14,4) AS (amount * 2) VIRTUAL,
            upper_title VARCHAR(50) AS (UPPER(title)) STORED
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """,
        """
        CREATE TABLE parts (
            part_code VARCHAR(20) NOT NULL PRIMARY KEY,
            everything_id BIGINT UNSIGNED NOT NULL,
            label VARCHAR(30) NOT NULL,
            CONSTRAINT parts_everything FOREIGN KEY (everything_id) REFERENCES everything (id)
        ) ENGINE=InnoDB
        """,
        "CREATE TABLE pairs (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b)) ENGINE=InnoDB",
        "CREATE TABLE keyless (note VARCHAR(10)) ENGINE=InnoDB",
        "CREATE TABLE old_engine (id INT PRIMARY KEY) ENGINE=MyISAM",
    ]

    @Test("every listed type becomes a property with its type, limits, enum, default and required-ness")
    func importsEveryType() async throws {
        try await TestMariaDB.withDatabase("import") { database in
            let pool = database.makePool()
            for statement in Self.tables { _ = try await pool.execute(statement) }
            let document = try await LegacySchemaImporter.document(pool, tables: ["everything", "parts"])
            let schema = try #require(document["components"]?["schemas"]?["Everything"])
            #expect(schema["x-handset-collection"] == "everything")
            #expect(schema["x-handset-table"] == "everything")
            #expect(schema["x-handset-key"] == "id")
            #expect(schema["x-handset-key-generated"] == true)
            #expect(schema["x-handset-title"] == "title")
            #expect(schema["x-handset-list-columns"] == ["title", "amount", "flag", "day"])
            #expect(schema["x-handset-time-zone"] == "UTC")
            #expect(
                schema["x-handset-auth"]
                    == [["allow": "private", "operations": ["read"]], ["allow": "groups", "groups": ["admins"]]])
            #expect(schema["required"] == ["title"])
            let properties = try #require(schema["properties"]?.objectValue)
            func property(_ name: String) -> JSONValue { properties[name] ?? .null }
            #expect(properties["id"] == nil)  // the key is the record's id
            #expect(properties["picture"] == nil)  // BLOBs are left out
            #expect(schema["description"]?.stringValue?.contains("left out: picture") == true)
            #expect(property("count_signed")["type"] == "integer")
            #expect(property("count_signed")["minimum"] == -2_147_483_648)
            #expect(property("count_unsigned")["maximum"] == 4_294_967_295)
            #expect(property("big_signed")["format"] == "int64")
            #expect(property("big_unsigned")["format"] == "uint64")
            #expect(property("amount")["type"] == "string")
            #expect(property("amount")["format"] == "decimal")
            #expect(property("amount")["pattern"] == "^-?[0-9]{1,8}(\\.[0-9]{1,4})?$")
            #expect(property("ratio")["type"] == "number")
            #expect(property("precise")["type"] == "number")
            #expect(property("flag")["type"] == "boolean")
            #expect(property("flag")["default"] == false)
            #expect(property("code")["maxLength"] == 4)
            #expect(property("code")["description"]?.stringValue?.contains("latin1") == true)
            #expect(property("title")["maxLength"] == 50)
            #expect(property("title")["nullable"] == nil)
            #expect(property("notes")["maxLength"] == 16383)
            #expect(property("long_notes")["maxLength"] == 1_048_576)
            #expect(property("day")["format"] == "date")
            #expect(property("day")["default"] == nil)  // a zero date
            #expect(property("day")["description"]?.stringValue?.contains("a zero date reads as null") == true)
            #expect(property("local_at")["format"] == "date-time")
            #expect(property("stamp")["format"] == "date-time")
            #expect(property("stamp")["nullable"] == true)
            #expect(property("duration")["pattern"] != nil)
            #expect(property("year_made")["type"] == "integer")
            #expect(property("state")["enum"] == ["new", "used", "broken"])
            #expect(property("state")["default"] == "new")
            #expect(property("tags")["type"] == "array")
            #expect(property("tags")["items"]?["enum"] == ["red", "green", "blue"])
            #expect(property("doc")["type"] == nil)  // any JSON value
            #expect(property("with_default")["default"] == "it's plain")
            // A column named like a server-managed field keeps its column under another property name.
            #expect(properties["version"] == nil)
            #expect(property("column_version")["x-handset-column"] == "version")
            #expect(property("total")["readOnly"] == true)
            #expect(property("upper_title")["readOnly"] == true)

            // A foreign key to an imported table is a relation, its ids strings as every record id.
            let parts = try #require(document["components"]?["schemas"]?["Parts"])
            #expect(parts["x-handset-key"] == "part_code")
            #expect(parts["x-handset-key-generated"] == nil)
            #expect(parts["properties"]?["everything_id"]?["x-handset-ref"] == "everything")
            #expect(parts["properties"]?["everything_id"]?["type"] == "string")

            // The imported document is one the cloud accepts as it is.
            let served = try APIDocument(data: document.encoded())
            #expect(served.collections["everything"]?.table?.table == "everything")
            #expect(served.collections["parts"]?.keyGenerated == false)

            for (table, reason) in [
                ("pairs", "composite primary key (a, b)"), ("keyless", "has no primary key"),
                ("old_engine", "MyISAM"), ("missing", "has no table missing"),
            ] {
                do {
                    _ = try await LegacySchemaImporter.document(pool, tables: [table])
                    Issue.record("\(table) was imported")
                } catch let error as LegacySchemaImportError {
                    #expect(error.description.contains(reason), "\(error)")
                }
            }
        }
    }

    static let row = """
        INSERT INTO everything (count_signed, count_unsigned, big_signed, big_unsigned, amount, ratio, precise, flag,
            code, title, old_title, notes, long_notes, day, local_at, stamp, duration, year_made, state, tags, doc,
            picture)
        VALUES (-2147483648, 4294967295, -9223372036854775808, 18446744073709551615, '12345678.1234', 0.1, 0.1, 2,
            'AB', 'Ünïcödé 🎉', 'Café', 'multi\nline', 'Ça va', '0000-00-00', '2026-07-01 09:30:00.250',
            '2026-07-01 07:30:00', '-12:30:00', 1999, 'used', 'red,blue', '{"k": [1, 2.5, null]}', x'00FF')
        """

    static let everyColumn = """
        SELECT count_signed, count_unsigned, big_signed, big_unsigned, amount, ratio, precise, flag, code, title,
            old_title, notes, long_notes, CAST(day AS CHAR), CAST(local_at AS CHAR), CAST(stamp AS CHAR),
            CAST(duration AS CHAR), year_made, state, tags, doc, HEX(picture), with_default, version, total, upper_title
        FROM everything WHERE id = 1
        """

    @Test("the imported document served: every type read, written back unchanged, and changed, without loss")
    func everyTypeRoundTrips() async throws {
        try await withLegacyCloud(
            setup: [Self.tables[0], Self.row],
            document: { pool in
                // As a person would edit the import: local times are Paris time.
                var document =
                    try await LegacySchemaImporter.document(pool, tables: ["everything"])
                    .objectValue ?? [:]
                var components = document["components"]?.objectValue ?? [:]
                var schemas = components["schemas"]?.objectValue ?? [:]
                var schema = schemas["Everything"]?.objectValue ?? [:]
                schema["x-handset-time-zone"] = "Europe/Paris"
                schemas["Everything"] = .object(schema)
                components["schemas"] = .object(schemas)
                document["components"] = .object(components)
                return String(decoding: JSONValue.object(document).encoded(), as: UTF8.self)
            }, users: [LegacyUser(name: "admin", groups: ["admins"]), LegacyUser(name: "reader")]
        ) { cloud in
            let before = try #require(try await cloud.sql(Self.everyColumn).rows.first).values
            let read = try await cloud.send(.get, "/api/everything/1", as: "reader")
            #expect(read.status == .ok, "\(read.text)")
            let record = try read.json()
            let expected: [String: JSONValue] = [
                "count_signed": -2_147_483_648, "count_unsigned": 4_294_967_295, "big_signed": "-9223372036854775808",
                "big_unsigned": "18446744073709551615", "amount": "12345678.1234", "ratio": 0.1, "precise": 0.1,
                "flag": true, "code": "AB", "title": "Ünïcödé 🎉", "old_title": "Café", "notes": "multi\nline",
                "long_notes": "Ça va", "local_at": "2026-07-01T07:30:00.250Z", "stamp": "2026-07-01T07:30:00Z",
                "duration": "-12:30:00", "year_made": 1999, "state": "used", "tags": ["red", "blue"],
                "doc": ["k": [1, 2.5, nil]], "with_default": "it's plain", "column_version": 1,
                "total": "24691356.2468", "upper_title": "ÜNÏCÖDÉ 🎉",
            ]
            for (name, value) in expected {
                #expect(
                    record[name] == value,
                    "\(name): \(record[name].map { String(decoding: $0.encoded(), as: UTF8.self) } ?? "absent")")
            }
            #expect(record["day"] == nil)  // the zero date
            #expect(record["picture"] == nil)

            // The whole record sent back as it came: nothing changes in the row, not even the zero date or the 2.
            var body = record.objectValue ?? [:]
            for name in RecordField.serverManaged { body[name] = nil }
            let replaced = try await cloud.send(
                .put, "/api/everything/1", as: "admin", headers: ["If-Match": "\"1\""],
                body: String(decoding: JSONValue.object(body).encoded(), as: UTF8.self))
            #expect(replaced.status == .ok, "\(replaced.text)")
            let after = try #require(try await cloud.sql(Self.everyColumn).rows.first).values
            #expect(after == before)

            // Every kind changed through the API lands in its column as it should.
            let patch: JSONValue = [
                "big_unsigned": "18446744073709551614", "big_signed": 42, "amount": "-0.0001", "ratio": 2.5,
                "flag": false, "code": "Zé", "old_title": "Noël", "day": "2024-02-29",
                "local_at": "2026-01-01T00:00:00.5Z", "stamp": "2026-01-01T12:00:00+01:00", "duration": "100:00:00",
                "year_made": 2155, "state": "broken", "tags": ["green"], "doc": ["x": nil, "y": "z"],
                "upper_title": "ignored", "column_version": 7,
            ]
            let patched = try await cloud.send(
                .patch, "/api/everything/1", as: "admin", headers: ["If-Match": "\"2\""],
                body: String(decoding: patch.encoded(), as: UTF8.self))
            #expect(patched.status == .ok, "\(patched.text)")
            let row = try #require(try await cloud.sql(Self.everyColumn).rows.first)
            #expect(try row.string(3) == "18446744073709551614")
            #expect(try row.int(2) == 42)
            #expect(try row.string(4) == "-0.0001")
            #expect(try row.double(5) == 2.5)
            #expect(try row.int(7) == 0)
            #expect(try row.string(8) == "Zé")
            #expect(try row.string(10) == "Noël")
            #expect(try row.string(13) == "2024-02-29")
            #expect(try row.string(14) == "2026-01-01 01:00:00.500")
            #expect(try row.string(15) == "2026-01-01 11:00:00")
            #expect(try row.string(16) == "100:00:00")
            #expect(try row.int(17) == 2155)
            #expect(try row.string(18) == "broken")
            #expect(try row.string(19) == "green")
            #expect(try JSONValue.parse(Data(try row.string(20).utf8)) == ["x": nil, "y": "z"])
            #expect(try row.string(21) == "00FF")  // the BLOB nobody mapped
            #expect(try row.int(23) == 7)
            #expect(try row.string(24) == "-0.0002")  // generated, from the new amount
            #expect(try row.string(25) == "ÜNÏCÖDÉ 🎉")  // generated columns are never written

            // A create gives only what it has: the table's defaults fill the rest.
            let created = try await cloud.send(.post, "/api/everything", as: "admin", body: #"{"title": "Bare"}"#)
            #expect(created.status == .created, "\(created.text)")
            let bare = try created.json()
            #expect(bare["id"] == "2")
            #expect(bare["state"] == "new")
            #expect(bare["with_default"] == "it's plain")
            #expect(bare["flag"] == false)
            #expect(bare["day"] == nil)
            #expect(
                try await cloud.sql("SELECT CAST(day AS CHAR) FROM everything WHERE id = 2").rows.first?.string(0)
                    == "0000-00-00")
            // Readers may not write.
            #expect(
                try await cloud.send(.post, "/api/everything", as: "reader", body: #"{"title": "No"}"#).status
                    == .forbidden)
        }
    }
}
