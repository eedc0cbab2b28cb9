import Foundation
import HandsetMySQL
import HandsetWire
import Testing

@testable import HandsetCloudMySQL

/// Column values to JSON and back, one kind at a time (the round trips through a real table are in
/// `LegacySchemaImportTests`).
struct LegacyValueCodecTests {
    static func column(
        _ dataType: String, _ columnType: String? = nil, nullable: Bool = true, precision: Int? = nil,
        scale: Int? = nil, characters: Int? = nil, bytes: Int? = nil, characterSet: String? = nil,
        fraction: Int? = nil
    ) -> LegacyColumn {
        LegacyColumn(
            name: "c", dataType: dataType, columnType: columnType ?? dataType, isNullable: nullable, defaultValue: nil,
            extra: "", isGenerated: false, characterSet: characterSet, maximumCharacters: characters,
            maximumBytes: bytes, numericPrecision: precision, numericScale: scale, datetimePrecision: fraction,
            isJSON: false, columnKey: "")
    }

    static let utc = TimeZone(identifier: "UTC")!
    static let paris = TimeZone(identifier: "Europe/Paris")!

    func read(
        _ value: MySQLValue, _ column: LegacyColumn, as kind: PropertyRules.Kind = .any, zone: TimeZone = utc
    )
        -> JSONValue?
    {
        LegacyValueCodec.read(value, column: column, rules: PropertyRules(kind: kind), zone: zone)
    }

    @Test("integers: numbers up to 2^53, decimal strings past it, signed and unsigned, strings for ids")
    func integers() throws {
        let bigint = Self.column("bigint", "bigint(20)")
        let unsigned = Self.column("bigint", "bigint(20) unsigned")
        #expect(read(.int(-42), bigint) == .number(-42))
        #expect(read(.int(9_007_199_254_740_992), bigint) == .number(9_007_199_254_740_992))
        #expect(read(.int(9_007_199_254_740_993), bigint) == .string("9007199254740993"))
        #expect(read(.int(Int64.min), bigint) == .string("-9223372036854775808"))
        #expect(read(.uint(UInt64.max), unsigned) == .string("18446744073709551615"))
        #expect(read(.int(7), Self.column("int"), as: .string) == .string("7"))
        #expect(
            try LegacyValueCodec.write(.string("18446744073709551615"), column: unsigned, zone: Self.utc) == .uint(.max)
        )
        #expect(try LegacyValueCodec.write(.number(-3), column: bigint, zone: Self.utc) == .int(-3))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.number(-1), column: unsigned, zone: Self.utc)
        }
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.number(128), column: Self.column("tinyint", "tinyint(4)"), zone: Self.utc)
        }
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.number(1.5), column: Self.column("int"), zone: Self.utc)
        }
        #expect(
            try LegacyValueCodec.write(
                .number(4_294_967_295), column: Self.column("int", "int(10) unsigned"), zone: Self.utc)
                == .uint(4_294_967_295))
        // The shared rules accept the string form of a 64-bit integer, so a client can send it back.
        let rules = PropertyRules(kind: .integer, format: "int64")
        #expect(rules.problem(with: .string("9007199254740993")) == nil)
        #expect(rules.problem(with: .string("nine")) == "must be an integer")
    }

    @Test("TINYINT(1) is a boolean; any other value reads as true and is written only when changed")
    func booleans() throws {
        let flag = Self.column("tinyint", "tinyint(1)")
        #expect(flag.kind == .boolean)
        #expect(read(.int(0), flag) == .bool(false))
        #expect(read(.int(2), flag) == .bool(true))
        #expect(read(.int(2), flag, as: .integer) == .number(2))
        #expect(try LegacyValueCodec.write(.bool(true), column: flag, zone: Self.utc) == .int(1))
        #expect(try LegacyValueCodec.write(.number(0), column: flag, zone: Self.utc) == .int(0))
        // Found by the legacy-value fuzz target: 2 was stored, read back as true, and written back as 1.
        #expect(throws: LegacyFieldProblem("must be true or false")) {
            try LegacyValueCodec.write(.number(2), column: flag, zone: Self.utc)
        }
        #expect(Self.column("tinyint", "tinyint(1) unsigned").kind == .integer(bits: 8, unsigned: true))
    }

    @Test("DECIMAL as strings, refused rather than rounded; FLOAT through its shortest form")
    func decimalsAndFloats() throws {
        let money = Self.column("decimal", "decimal(10,2)", precision: 10, scale: 2)
        #expect(read(.text("12345678.90"), money) == .string("12345678.90"))
        #expect(read(.text("1.50"), money, as: .number) == .number(1.5))
        #expect(try LegacyValueCodec.write(.string("-0.5"), column: money, zone: Self.utc) == .text("-0.5"))
        #expect(try LegacyValueCodec.write(.string("1.50000"), column: money, zone: Self.utc) == .text("1.50000"))
        #expect(try LegacyValueCodec.write(.number(3), column: money, zone: Self.utc) == .text("3"))
        for bad in ["1.234", "123456789", "1e3", "", "1.", ".5", "12,5"] {
            #expect(throws: LegacyFieldProblem.self, "\(bad)") {
                try LegacyValueCodec.write(.string(bad), column: money, zone: Self.utc)
            }
        }
        #expect(read(.double(Double(Float(0.1))), Self.column("float")) == .number(0.1))
        #expect(read(.double(0.1), Self.column("double")) == .number(0.1))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.string("x"), column: Self.column("double"), zone: Self.utc)
        }
    }

    @Test("text: lengths of CHAR and VARCHAR in characters, of TEXT in bytes per character")
    func text() throws {
        #expect(Self.column("varchar", characters: 5, bytes: 20, characterSet: "utf8mb4").characterLimit == 5)
        #expect(Self.column("text", characters: 65535, bytes: 65535, characterSet: "utf8mb4").characterLimit == 16383)
        #expect(Self.column("text", characters: 65535, bytes: 65535, characterSet: "latin1").characterLimit == 65535)
        #expect(Self.column("longtext", bytes: 4_294_967_295, characterSet: "utf8mb4").characterLimit == nil)
        let short = Self.column("varchar", characters: 3, characterSet: "latin1")
        #expect(try LegacyValueCodec.write(.string("été"), column: short, zone: Self.utc) == .text("été"))
        #expect(throws: LegacyFieldProblem("must be at most 3 characters")) {
            try LegacyValueCodec.write(.string("étés"), column: short, zone: Self.utc)
        }
    }

    @Test("ENUM and SET: members from the column type, SET as an array in the column's order")
    func enumerationsAndSets() throws {
        #expect(LegacyColumn.members(of: "enum('a','it''s','c,d')") == ["a", "it's", "c,d"])
        let set = Self.column("set", "set('red','green','blue')")
        #expect(read(.text("red,blue"), set) == .array(["red", "blue"]))
        #expect(read(.text(""), set) == .array([]))
        #expect(try LegacyValueCodec.write(.array(["blue", "red"]), column: set, zone: Self.utc) == .text("red,blue"))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.array(["pink"]), column: set, zone: Self.utc)
        }
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.array(["red", "red"]), column: set, zone: Self.utc)
        }
        let state = Self.column("enum", "enum('new','used')")
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.string("old"), column: state, zone: Self.utc)
        }
    }

    @Test("dates: zero dates read as null; DATETIME in its zone, TIMESTAMP in UTC, fractions kept")
    func dates() throws {
        let date = Self.column("date")
        #expect(read(.text("0000-00-00"), date) == nil)
        #expect(read(.text("2024-05-00"), date) == nil)
        #expect(read(.text("2024-02-29"), date) == .string("2024-02-29"))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.string("2023-02-29"), column: date, zone: Self.utc)
        }

        let local = Self.column("datetime", "datetime(3)", fraction: 3)
        #expect(read(.text("0000-00-00 00:00:00.000"), local, zone: Self.paris) == nil)
        #expect(read(.text("2026-01-15 18:00:00.125"), local, zone: Self.paris) == .string("2026-01-15T17:00:00.125Z"))
        #expect(read(.text("2026-07-01 09:30:00.000"), local, zone: Self.paris) == .string("2026-07-01T07:30:00.000Z"))
        #expect(
            try LegacyValueCodec.write(.string("2026-07-01T09:30:00.125+02:00"), column: local, zone: Self.paris)
                == .text("2026-07-01 09:30:00.125"))
        #expect(
            try LegacyValueCodec.write(.string("2026-12-31T23:59:59.9999Z"), column: local, zone: Self.paris)
                == .text("2027-01-01 00:59:59.999"))
        let stamp = Self.column("timestamp", fraction: 0)
        #expect(read(.text("2026-07-01 07:30:00"), stamp, zone: Self.paris) == .string("2026-07-01T07:30:00Z"))
        #expect(
            try LegacyValueCodec.write(.string("2026-07-01T09:30:00+02:00"), column: stamp, zone: Self.paris)
                == .text("2026-07-01 07:30:00"))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.string("yesterday"), column: stamp, zone: Self.utc)
        }
    }

    @Test("TIME past 24 hours and negative, YEAR, JSON, BLOB as base64")
    func otherKinds() throws {
        let time = Self.column("time")
        #expect(read(.text("-838:59:59"), time) == .string("-838:59:59"))
        for good in ["09:30:00", "100:00:00.5", "-01:00:00"] {
            #expect(try LegacyValueCodec.write(.string(good), column: time, zone: Self.utc) == .text(good))
        }
        for bad in ["9:3", "839:00:00", "10:60:00", "+01:00:00"] {
            #expect(throws: LegacyFieldProblem.self, "\(bad)") {
                try LegacyValueCodec.write(.string(bad), column: time, zone: Self.utc)
            }
        }
        let year = Self.column("year", "year(4)")
        #expect(read(.uint(2026), year) == .number(2026))
        #expect(throws: LegacyFieldProblem.self) {
            try LegacyValueCodec.write(.number(1800), column: year, zone: Self.utc)
        }
        var json = Self.column("longtext")
        json.isJSON = true
        #expect(read(.text(#"{"a": [1, true]}"#), json) == ["a": [1, true]])
        #expect(read(.text("null"), json) == nil)
        #expect(try LegacyValueCodec.write(["a": 1], column: json, zone: Self.utc) == .text(#"{"a":1}"#))
        let blob = Self.column("blob")
        #expect(read(.bytes([0, 255, 1]), blob) == .string("AP8B"))
        #expect(try LegacyValueCodec.write(.string("AP8B"), column: blob, zone: Self.utc) == .bytes([0, 255, 1]))
    }

    @Test("server messages name the column the cloud refuses a value for")
    func messages() {
        #expect(
            MySQLLegacyRecordRepository.quotedName(in: "Data too long for column 'subject' at row 1") == "subject")
        #expect(
            MySQLLegacyRecordRepository.quotedName(
                in: "Incorrect string value: '\\xF0\\x9F' for column `db`.`tickets`.`subject` at row 1") == "subject")
        #expect(MySQLLegacyRecordRepository.quotedName(in: "Field 'title' doesn't have a default value") == "title")
    }
}
