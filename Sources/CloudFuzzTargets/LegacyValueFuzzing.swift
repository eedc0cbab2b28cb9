import Foundation
import HandsetCloudMySQL
import HandsetFuzzing
import HandsetMySQL
import HandsetWire

/// Values a client sends for columns of an existing table (`x-handset-table`): the first byte picks a column type,
/// the rest is the JSON value (or, when it is not JSON, a string). A value the column takes is written as the
/// server would store it; read back as the cloud reads that column and written again, it gives the same column
/// value (nothing drifts on a round trip through a device). One the column cannot hold is refused with a message,
/// never anything else.
enum LegacyValueFuzzing {
    static func column(
        _ dataType: String, _ columnType: String, precision: Int? = nil, scale: Int? = nil,
        characters: Int? = nil, fraction: Int? = nil, json: Bool = false
    ) -> LegacyColumn {
        LegacyColumn(
            name: "c", dataType: dataType, columnType: columnType, isNullable: true, defaultValue: nil, extra: "",
            isGenerated: false, characterSet: "utf8mb4", maximumCharacters: characters,
            maximumBytes: characters.map { $0 * 4 }, numericPrecision: precision, numericScale: scale,
            datetimePrecision: fraction, isJSON: json, columnKey: "")
    }

    static let columns: [LegacyColumn] = [
        column("int", "int(11)"), column("int", "int(10) unsigned"), column("bigint", "bigint(20)"),
        column("bigint", "bigint(20) unsigned"), column("tinyint", "tinyint(1)"), column("tinyint", "tinyint(4)"),
        column("decimal", "decimal(10,2)", precision: 10, scale: 2), column("double", "double"),
        column("varchar", "varchar(8)", characters: 8), column("enum", "enum('a','b''c')"),
        column("set", "set('red','green','blue')"), column("date", "date"),
        column("datetime", "datetime(3)", fraction: 3), column("timestamp", "timestamp", fraction: 0),
        column("time", "time"), column("year", "year(4)"), column("longtext", "longtext", json: true),
        column("blob", "blob"),
    ]

    static let zones = [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Paris")!]

    static let target = FuzzTarget("legacy-value") { data in
        guard let selector = data.first else { return }
        let column = columns[Int(selector) % columns.count]
        let zone = zones[Int(selector) / columns.count % zones.count]
        let rest = data.dropFirst()
        let value = (try? JSONValue.parse(Data(rest))) ?? .string(String(decoding: rest, as: UTF8.self))
        let stored: StoredColumnValue
        do throws(LegacyFieldProblem) {
            stored = StoredColumnValue(try LegacyValueCodec.write(value, column: column, zone: zone))
        } catch {
            FuzzCheck.that(!error.message.isEmpty, "refused without a reason")
            return
        }
        // What the server would hand back for that column: integers and doubles as themselves, the rest as text.
        guard
            let read = LegacyValueCodec.read(
                stored.asRead(for: column), column: column, rules: PropertyRules(kind: .any), zone: zone)
        else { return }
        let again: StoredColumnValue
        do throws(LegacyFieldProblem) {
            again = StoredColumnValue(try LegacyValueCodec.write(read, column: column, zone: zone))
        } catch {
            FuzzCheck.that(
                false, "\(column.columnType): \(stored) reads as \(read), which is refused: \(error.message)")
            return
        }
        FuzzCheck.that(
            again.normalized(for: column) == stored.normalized(for: column),
            "\(column.columnType): \(stored) read as \(read) writes \(again)")
    }
}

/// A stored column value, as the fuzz target compares them: the way the server would hand it back, and a form in
/// which values the server keeps alike compare equal (DECIMAL by number, JSON by value, integers by digits).
struct StoredColumnValue: CustomStringConvertible {
    let value: MySQLValue

    init(_ value: MySQLValue) { self.value = value }

    var description: String { "\(value)" }

    func asRead(for column: LegacyColumn) -> MySQLValue {
        if case .bytes = value { return value }
        if case .double = value { return value }
        switch column.kind {
        case .integer, .boolean, .year: return value
        default: return .text(text)
        }
    }

    func normalized(for column: LegacyColumn) -> String {
        switch column.kind {
        case .decimal: return Decimal(string: text).map { "\($0)" } ?? text
        case .json:
            return (try? JSONValue.parse(Data(text.utf8))).map { String(decoding: $0.encoded(), as: UTF8.self) } ?? text
        default:
            if case .bytes(let bytes) = value { return Data(bytes).base64EncodedString() }
            return text
        }
    }

    private var text: String {
        switch value {
        case .text(let text): text
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .double(let number): String(number)
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null: ""
        }
    }
}
