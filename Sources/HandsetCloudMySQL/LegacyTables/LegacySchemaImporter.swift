import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetWire

/// `handset-cloud schema import`: an API document for existing tables, from `information_schema`. One collection
/// per table, named after it; a property per column (BLOBs left out), with its type, `required` (NOT NULL without a
/// default), `maxLength`, `enum`, `readOnly` for generated columns; the `x-handset-*` mapping; a title column
/// guessed; list columns; and a cautious rule to edit (signed-in users read, the `admins` group writes).
package enum LegacySchemaImporter {
    /// The document for `tables` of the pool's database; throws `LegacySchemaImportError` for a table that is missing
    /// or cannot be a collection (a composite key, no key at all).
    package static func document(_ pool: MySQLPool, tables: [String]) async throws -> JSONValue {
        try await pool.withConnection { db in
            let database = try db.execute("SELECT DATABASE()").rows.first.flatMap {
                try LegacyTableInspector.text($0, 0)
            }
            let zone = try serverZone(db)
            var descriptions: [LegacyTableDescription] = []
            for name in tables {
                guard let description = try LegacyTableInspector.describe(db, table: name) else {
                    let known = try LegacyTableInspector.tableNames(db)
                    throw LegacySchemaImportError(
                        "the database \(database ?? "") has no table \(name)"
                            + (known.isEmpty ? "" : " (it has \(known.joined(separator: ", ")))"))
                }
                descriptions.append(description)
            }
            return try build(descriptions, database: database ?? "database", zone: zone)
        }
    }

    /// The document for these descriptions (pure: the tests feed it every column type).
    static func build(_ tables: [LegacyTableDescription], database: String, zone: String) throws -> JSONValue {
        let collections = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, collectionName($0.name)) })
        var schemas: [String: JSONValue] = [:]
        var tags: [JSONValue] = []
        for table in tables {
            let (name, schema) = try self.schema(table, collections: collections, zone: zone)
            guard schemas[name] == nil else { throw LegacySchemaImportError("two tables give the schema name \(name)") }
            schemas[name] = schema
            tags.append(["name": .string(collections[table.name]!), "description": .string("Table \(table.name)")])
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": .string("\(database): \(tables.map(\.name).joined(separator: ", "))"),
                "version": "1.0.0",
                "description": .string(
                    "Imported by handset-cloud schema import. Edit x-handset-auth before serving: the imported rule "
                        + "lets every signed-in user read and the admins group write."),
            ],
            "tags": .array(tags),
            "components": ["schemas": .object(schemas)],
        ]
    }

    private static func schema(
        _ table: LegacyTableDescription, collections: [String: String], zone: String
    ) throws -> (String, JSONValue) {
        guard !table.primaryKey.isEmpty else {
            throw LegacySchemaImportError(
                "table \(table.name) has no primary key: a collection needs one key column (add one, or write the "
                    + "mapping by hand with x-handset-key naming a unique NOT NULL column)")
        }
        guard table.primaryKey.count == 1, let key = table.column(table.primaryKey[0]) else {
            throw LegacySchemaImportError(
                "table \(table.name) has a composite primary key (\(table.primaryKey.joined(separator: ", "))): "
                    + "composite keys are not supported; a collection needs one key column")
        }
        guard table.engine?.lowercased() == "innodb" else {
            throw LegacySchemaImportError(
                "table \(table.name) uses the \(table.engine ?? "?") engine: the cloud needs InnoDB")
        }
        var properties: [String: JSONValue] = [:]
        var required: [String] = []
        var order: [(property: String, column: LegacyColumn)] = []
        var leftOut: [String] = []
        var hasLocalTimes = false
        for column in table.columns where column.name.lowercased() != key.name.lowercased() {
            if case .binary = column.kind {
                leftOut.append(column.name)
                continue
            }
            if case .unsupported = column.kind {
                leftOut.append(column.name)
                continue
            }
            if column.kind == .dateTime { hasLocalTimes = true }
            var property = propertySchema(column)
            var name = column.name
            if RecordField.serverManaged.contains(name) || !isPropertyName(name) {
                name = "column_" + column.name.filter { $0.isLetter || $0.isNumber || $0 == "_" }
                property[APIDocumentKeys.column] = .string(column.name)
            }
            if let reference = table.references[column.name], let collection = collections[reference.table],
                case .integer = column.kind
            {
                // Ids of another collection travel as strings, as every record id does.
                property["type"] = "string"
                property["pattern"] = "^[0-9]+$"
                property["format"] = nil
                property["minimum"] = nil
                property["maximum"] = nil
                property[APIDocumentKeys.reference] = .string(collection)
            }
            properties[name] = .object(property)
            order.append((name, column))
            if column.isRequired { required.append(name) }
        }
        let title =
            order.first { entry in
                guard entry.column.kind == .text else { return false }
                let lower = entry.column.name.lowercased()
                return lower.contains("title") || lower.contains("name") || lower.contains("subject")
            }?.property ?? order.first { $0.column.kind == .text }?.property
        var listColumns: [String] = title.map { [$0] } ?? []
        for entry in order where listColumns.count < 4 && entry.property != title {
            switch entry.column.kind {
            case .enumeration, .boolean, .date, .dateTime, .timestamp, .decimal: listColumns.append(entry.property)
            default: continue
            }
        }
        var schema: [String: JSONValue] = [
            "type": "object",
            "description": .string(
                "Rows of table \(table.name)"
                    + (leftOut.isEmpty ? "" : "; left out: \(leftOut.joined(separator: ", ")) (binary or unsupported)")),
            APIDocumentKeys.collection: .string(collections[table.name]!),
            APIDocumentKeys.table: .string(table.name),
            APIDocumentKeys.key: .string(key.name),
            "properties": .object(properties),
            APIDocumentKeys.auth: [
                ["allow": "private", "operations": ["read"]],
                ["allow": "groups", "groups": ["admins"]],
            ],
        ]
        if key.isAutoIncrement { schema[APIDocumentKeys.keyGenerated] = true }
        if hasLocalTimes { schema[APIDocumentKeys.timeZone] = .string(zone) }
        if !required.isEmpty { schema["required"] = .array(required.sorted().map(JSONValue.string)) }
        if let title { schema[APIDocumentKeys.titleField] = .string(title) }
        if !listColumns.isEmpty { schema[APIDocumentKeys.listColumns] = .array(listColumns.map(JSONValue.string)) }
        return (schemaName(table.name), .object(schema))
    }

    /// A column's property schema: its JSON type and what `information_schema` says of its values.
    static func propertySchema(_ column: LegacyColumn) -> [String: JSONValue] {
        var property: [String: JSONValue] = [:]
        switch column.kind {
        case .integer(let bits, let unsigned):
            property["type"] = "integer"
            if bits == 64 {
                property["format"] = unsigned ? "uint64" : "int64"
                if unsigned { property["minimum"] = 0 }
            } else {
                property["format"] = bits == 32 && !unsigned ? "int32" : "int64"
                let lower = unsigned ? 0 : -(Int64(1) << (bits - 1))
                let upper = unsigned ? (Int64(1) << bits) - 1 : (Int64(1) << (bits - 1)) - 1
                property["minimum"] = .number(Double(lower))
                property["maximum"] = .number(Double(upper))
            }
        case .boolean:
            property["type"] = "boolean"
        case .decimal(let precision, let scale):
            property["type"] = "string"
            property["format"] = "decimal"
            let whole = max(precision - scale, 1)
            property["pattern"] = .string(
                scale > 0 ? "^-?[0-9]{1,\(whole)}(\\.[0-9]{1,\(scale)})?$" : "^-?[0-9]{1,\(whole)}$")
        case .float, .double:
            property["type"] = "number"
        case .text:
            property["type"] = "string"
            if let limit = column.characterLimit {
                property["maxLength"] = .number(Double(limit))
            } else if column.dataType == "mediumtext" || column.dataType == "longtext" {
                // Past the API's body limit anyway; long enough that clients edit it as long text.
                property["maxLength"] = .number(
                    Double(
                        min((column.maximumBytes ?? 0) / LegacyColumn.bytesPerCharacter(column.characterSet), 1_048_576)
                    ))
            }
        case .enumeration(let members):
            property["type"] = "string"
            property["enum"] = .array(members.map(JSONValue.string))
        case .set(let members):
            property["type"] = "array"
            property["items"] = ["type": "string", "enum": .array(members.map(JSONValue.string))]
            property["uniqueItems"] = true
        case .date:
            property["type"] = "string"
            property["format"] = "date"
        case .dateTime, .timestamp:
            property["type"] = "string"
            property["format"] = "date-time"
        case .time:
            property["type"] = "string"
            property["pattern"] = "^-?[0-9]{1,3}:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?$"
        case .year:
            property["type"] = "integer"
            property["maximum"] = 2155
        case .json:
            break
        case .binary:
            property["type"] = "string"
            property["format"] = "byte"
        case .unsupported:
            property["type"] = "string"
        }
        if column.isGenerated { property["readOnly"] = true }
        if column.isNullable { property["nullable"] = true }
        if let value = defaultValue(column) { property["default"] = value }
        var description = "\(column.columnType)\(column.isNullable ? "" : " NOT NULL")"
        if column.hasDefault, let text = column.defaultValue { description += " DEFAULT \(text)" }
        if !column.extra.isEmpty { description += " \(column.extra.uppercased())" }
        if column.characterSet.map({ $0 != "utf8mb4" }) == true, case .text = column.kind {
            description += " (\(column.characterSet!))"
        }
        if column.kind.isTemporal, column.defaultValue?.hasPrefix("'0000-00-00") == true {
            description += "; a zero date reads as null"
        }
        property["description"] = .string(description)
        return property
    }

    /// A constant default as JSON (`'open'` → "open", `0` → 0 or false); none for functions and zero dates.
    static func defaultValue(_ column: LegacyColumn) -> JSONValue? {
        guard column.hasDefault, let text = column.defaultValue, !column.isGenerated else { return nil }
        var literal = text
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'") {
            literal = String(text.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        } else if text.lowercased().contains("(") || text.lowercased().hasPrefix("current_timestamp") {
            return nil
        }
        switch column.kind {
        case .integer, .year:
            return Double(literal).map(JSONValue.number)
        case .boolean:
            return Int(literal).map { .bool($0 != 0) }
        case .float, .double:
            return Double(literal).map(JSONValue.number)
        case .date, .dateTime, .timestamp:
            if LegacyValueCodec.isZeroDate(literal) { return nil }
            return .string(literal)
        case .set:
            return .array(literal.isEmpty ? [] : literal.split(separator: ",").map { .string(String($0)) })
        case .json:
            return try? JSONValue.parse(Data(literal.utf8))
        default:
            return .string(literal)
        }
    }

    /// The database's time zone for DATETIME values, as an IANA name (`UTC` when it cannot tell).
    static func serverZone(_ db: MySQLConnection) throws -> String {
        guard let row = try db.execute("SELECT @@global.time_zone, @@system_time_zone").rows.first else { return "UTC" }
        let global = try LegacyTableInspector.text(row, 0) ?? "SYSTEM"
        let candidate = global.uppercased() == "SYSTEM" ? (try LegacyTableInspector.text(row, 1) ?? "UTC") : global
        if TimeZone(identifier: candidate) != nil { return candidate }
        if let zone = TimeZone(abbreviation: candidate), zone.secondsFromGMT() == 0 { return "UTC" }
        return "UTC"
    }

    static func collectionName(_ table: String) -> String {
        var name = String(table.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        while name.hasPrefix("_") || name.hasPrefix("-") { name.removeFirst() }
        return name.isEmpty ? "table" : String(name.prefix(64))
    }

    static func schemaName(_ table: String) -> String {
        let words = table.split { !($0.isLetter || $0.isNumber) }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.isEmpty ? "Table" : (name.first!.isNumber ? "T" + name : name)
    }

    private static func isPropertyName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }
    }
}

/// Why `schema import` cannot describe a table.
package struct LegacySchemaImportError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
