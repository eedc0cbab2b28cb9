import Foundation
import HandsetCloudStorage
import HandsetWire

extension CollectionDefinition {
    /// Reads a schema's mapping onto an existing table (`x-handset-table`, `x-handset-key`,
    /// `x-handset-key-generated`, `x-handset-time-zone`, per property `x-handset-column`, and the owner rules'
    /// `x-handset-owner-column`), or `nil` for a collection of the cloud's own. Only the shape is checked here; the
    /// table itself is checked against the database when storage is prepared.
    static func tableMapping(
        schemaName: String, collection: String, schema: JSONValue, properties: [String: PropertySchema],
        rules: [AccessRule]
    ) throws -> LegacyTableMapping? {
        let ownerColumns = Set(rules.compactMap(\.ownerColumn))
        let ownerRules = rules.filter { $0.audience == .owner }
        let columnProperties = (schema["properties"]?.objectValue ?? [:]).filter {
            $0.value[APIDocumentKeys.column] != nil
        }
        guard let tableValue = schema[APIDocumentKeys.table] else {
            for key in [APIDocumentKeys.key, APIDocumentKeys.keyGenerated, APIDocumentKeys.timeZone]
            where schema[key] != nil {
                throw SchemaError("schema \(schemaName) has \(key) but no \(APIDocumentKeys.table)")
            }
            if let property = columnProperties.keys.sorted().first {
                throw SchemaError(
                    "\(schemaName).\(property) has \(APIDocumentKeys.column) but the schema has no \(APIDocumentKeys.table)"
                )
            }
            if !ownerColumns.isEmpty {
                throw SchemaError(
                    "schema \(schemaName): \(APIDocumentKeys.ownerColumn) needs a table (\(APIDocumentKeys.table))")
            }
            return nil
        }
        guard let table = tableValue.stringValue, LegacyTableMapping.isTableIdentifier(table) else {
            throw SchemaError(
                "schema \(schemaName): \(APIDocumentKeys.table) must name a table of the database (letters, digits, _ and $)"
            )
        }
        var keyColumn: String?
        switch schema[APIDocumentKeys.key] {
        case nil: keyColumn = nil
        case .string(let name)?:
            guard LegacyTableMapping.isTableIdentifier(name) else {
                throw SchemaError("schema \(schemaName): \(APIDocumentKeys.key) must name a column")
            }
            keyColumn = name
        case .array(let names)?:
            let list = names.map { $0.stringValue ?? "?" }.joined(separator: ", ")
            throw SchemaError(
                "schema \(schemaName): composite keys are not supported (\(APIDocumentKeys.key) lists \(list)); "
                    + "a record needs one key column: an AUTO_INCREMENT integer or a text key")
        default:
            throw SchemaError("schema \(schemaName): \(APIDocumentKeys.key) must name one column")
        }
        var keyGenerated = false
        if let flag = schema[APIDocumentKeys.keyGenerated] {
            guard let value = flag.boolValue else {
                throw SchemaError("schema \(schemaName): \(APIDocumentKeys.keyGenerated) must be true or false")
            }
            keyGenerated = value
        }
        let timeZone = try zone(schema[APIDocumentKeys.timeZone], at: "schema \(schemaName)")

        guard ownerColumns.count <= 1, Set(ownerRules.map(\.identityClaim)).count <= 1 else {
            throw SchemaError(
                "schema \(schemaName): owner rules must agree on \(APIDocumentKeys.ownerColumn) and \(APIDocumentKeys.identityClaim)"
            )
        }
        let ownerColumn = ownerColumns.first
        if ownerColumn != nil, ownerRules.contains(where: { $0.ownerColumn == nil }) {
            throw SchemaError(
                "schema \(schemaName): every owner rule must name the same \(APIDocumentKeys.ownerColumn)")
        }

        var fields: [LegacyFieldMapping] = []
        var byColumn: [String: String] = [:]
        let raw = schema["properties"]?.objectValue ?? [:]
        for name in properties.keys.sorted() where !RecordField.serverManaged.contains(name) {
            guard let rules = properties[name] else { continue }
            var column = name
            if let value = raw[name]?[APIDocumentKeys.column] {
                guard let text = value.stringValue, LegacyTableMapping.isTableIdentifier(text) else {
                    throw SchemaError("\(schemaName).\(name): \(APIDocumentKeys.column) must name a column")
                }
                column = text
            } else if !LegacyTableMapping.isTableIdentifier(name) {
                throw SchemaError(
                    "\(schemaName).\(name): the property's name is no column name; give it \(APIDocumentKeys.column)")
            }
            let folded = column.lowercased()
            if let other = byColumn[folded] {
                throw SchemaError("schema \(schemaName): \(other) and \(name) both map column \(column)")
            }
            if let keyColumn, folded == keyColumn.lowercased() {
                throw SchemaError(
                    "\(schemaName).\(name) maps the key column \(column), which is the record's id already")
            }
            byColumn[folded] = name
            fields.append(
                LegacyFieldMapping(
                    property: name, column: column, rules: rules,
                    timeZone: try zone(raw[name]?[APIDocumentKeys.timeZone], at: "\(schemaName).\(name)")))
        }
        return LegacyTableMapping(
            collection: collection, table: table, keyColumn: keyColumn, keyGenerated: keyGenerated, fields: fields,
            ownerColumn: ownerColumn, timeZone: timeZone)
    }

    private static func zone(_ value: JSONValue?, at place: String) throws -> String? {
        guard let value else { return nil }
        guard let name = value.stringValue, TimeZone(identifier: name) != nil else {
            throw SchemaError(
                "\(place): \(APIDocumentKeys.timeZone) must be an IANA time zone such as Europe/Paris or UTC")
        }
        return name
    }

    /// The properties that hold the owner column: the cloud sets it from the creator's claim, never from a body.
    static func ownerProperties(_ schema: JSONValue) -> Set<String> {
        let rules = schema[APIDocumentKeys.auth]?.arrayValue ?? []
        guard schema[APIDocumentKeys.table] != nil,
            let column = rules.lazy.compactMap({ $0[APIDocumentKeys.ownerColumn]?.stringValue }).first?.lowercased()
        else { return [] }
        let properties = schema["properties"]?.objectValue ?? [:]
        return Set(
            properties.filter { name, property in
                (property[APIDocumentKeys.column]?.stringValue ?? name).lowercased() == column
            }.keys)
    }

    /// The schema as clients see it: the table's names (table, columns, owner column, zone) are the server's
    /// business; `x-handset-key-generated` stays, since a client must create without an id; a property holding the
    /// owner column is read-only and never required (the cloud fills it in).
    static func servedSchema(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue, object[APIDocumentKeys.table] != nil else { return schema }
        let owners = ownerProperties(schema)
        for key in [APIDocumentKeys.table, APIDocumentKeys.key, APIDocumentKeys.timeZone] { object[key] = nil }
        if var properties = object["properties"]?.objectValue {
            for (name, property) in properties {
                guard var fields = property.objectValue else { continue }
                fields[APIDocumentKeys.column] = nil
                fields[APIDocumentKeys.timeZone] = nil
                if owners.contains(name) { fields["readOnly"] = true }
                properties[name] = .object(fields)
            }
            object["properties"] = .object(properties)
        }
        if let required = object["required"]?.arrayValue, !owners.isEmpty {
            object["required"] = .array(required.filter { !owners.contains($0.stringValue ?? "") })
        }
        if let rules = object[APIDocumentKeys.auth]?.arrayValue {
            object[APIDocumentKeys.auth] = .array(
                rules.map { rule in
                    guard var fields = rule.objectValue else { return rule }
                    fields[APIDocumentKeys.ownerColumn] = nil
                    return .object(fields)
                })
        }
        return .object(object)
    }
}

/// The mappings of a document's collections onto existing tables, for the commands that set up or remove change
/// capture (`serve --database --api`, `capture`) before any application is built.
package func tableMappings(inAPIDocument file: URL) throws -> [LegacyTableMapping] {
    try APIDocument.load(file: file).orderedCollections.compactMap(\.table)
}
