import Foundation
import HandsetCloudStorage
import HandsetWire

/// A collection the API serves, as declared by one component schema with `x-handset-collection`.
struct CollectionDefinition: Sendable, Equatable {
    var name: String
    var schemaName: String
    var titleField: String?
    var listColumns: [String]
    /// The schema's properties, server-managed ones included (they are accepted and ignored in bodies).
    var properties: [String: PropertySchema]
    var required: Set<String>
    /// Whether bodies may carry fields the schema does not list (`additionalProperties: true`); off by default.
    var allowsUnknownFields: Bool
    /// The schema's `x-handset-auth` rules as written, like `[{"allow": "owner"}]`.
    var authRules: [JSONValue]
    var rules: [AccessRule]
    /// The existing table whose rows are the records, if any (`x-handset-table`).
    var table: LegacyTableMapping?
    /// Whether the database assigns record ids (`x-handset-key-generated`): creates carry no id.
    var keyGenerated: Bool { table?.keyGenerated ?? false }

    init(schemaName: String, schema: JSONValue) throws {
        guard let name = schema[APIDocumentKeys.collection]?.stringValue else {
            throw SchemaError("schema \(schemaName) has no \(APIDocumentKeys.collection)")
        }
        guard Self.isCollectionName(name) else {
            throw SchemaError(
                "schema \(schemaName) names collection '\(name)': use letters, digits, '-' and '_', not starting with '_'"
            )
        }
        self.name = name
        self.schemaName = schemaName
        titleField = schema[APIDocumentKeys.titleField]?.stringValue
        listColumns = schema[APIDocumentKeys.listColumns]?.arrayValue?.compactMap(\.stringValue) ?? []
        var properties: [String: PropertySchema] = [:]
        for (field, property) in schema["properties"]?.objectValue ?? [:] {
            do {
                properties[field] = try PropertySchema(property)
            } catch {
                throw SchemaError("\(schemaName).\(field): \(error.description)")
            }
        }
        self.properties = properties
        required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            .subtracting(RecordField.serverManaged)
        switch schema["additionalProperties"] {
        case .bool(true)?, .object?: allowsUnknownFields = true
        default: allowsUnknownFields = false
        }
        authRules = schema[APIDocumentKeys.auth]?.arrayValue ?? []
        guard !authRules.isEmpty else {
            throw SchemaError("schema \(schemaName) has no \(APIDocumentKeys.auth) rules: nobody could use it")
        }
        do {
            rules = try authRules.map(AccessRule.init)
        } catch let error as SchemaError {
            throw SchemaError("schema \(schemaName): \(error.description)")
        }
        table = try Self.tableMapping(
            schemaName: schemaName, collection: name, schema: schema, properties: properties, rules: rules)
        required.subtract(Self.ownerProperties(schema))
        sortKeys = computedSortKeys
        filterFields = computedFilterFields
    }

    static func == (lhs: CollectionDefinition, rhs: CollectionDefinition) -> Bool {
        lhs.name == rhs.name && lhs.schemaName == rhs.schemaName && lhs.properties == rhs.properties
            && lhs.required == rhs.required && lhs.authRules == rhs.authRules && lhs.listColumns == rhs.listColumns
            && lhs.titleField == rhs.titleField && lhs.allowsUnknownFields == rhs.allowsUnknownFields
            && lhs.table == rhs.table
    }

    /// A path segment that is not one of the API's own (`openapi.json`, `_changes`, `_batch`).
    static func isCollectionName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 64,
            first != "_", first != "-"
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-")
        }
    }

    /// A name that storage can put in SQL as is.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first),
            name.unicodeScalars.count <= 64
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") }
    }

    /// The `sort` values lists accept: the list columns that are plain values, plus `id` and `updatedAt`.
    private(set) var sortKeys: [(name: String, key: RecordSortKey)] = []
    /// The fields lists filter by (`?status=todo`): scalar body properties with plain names that are not list
    /// parameters (`limit`, `sort`, ...), and `owner`.
    private(set) var filterFields: [String] = []

    private var computedSortKeys: [(name: String, key: RecordSortKey)] {
        var keys: [(String, RecordSortKey)] = []
        for column in listColumns + [RecordField.id, RecordField.updatedAt]
        where !keys.contains(where: { $0.0 == column }) {
            switch column {
            case RecordField.id: keys.append((column, .id))
            case RecordField.updatedAt: keys.append((column, .updatedAt))
            default:
                guard !RecordField.serverManaged.contains(column), Self.isPlainIdentifier(column),
                    properties[column]?.isScalar == true
                else { continue }
                keys.append((column, .field(column)))
            }
        }
        return keys
    }

    private var computedFilterFields: [String] {
        let fields = properties.filter { name, property in
            property.isScalar && !RecordField.serverManaged.contains(name) && Self.isPlainIdentifier(name)
                && !RecordsController.listParameters.contains(name)
        }.keys
        return fields.sorted() + [RecordField.owner]
    }

    var layout: RecordCollectionLayout {
        RecordCollectionLayout(
            collection: name, sortKeys: sortKeys.map(\.key),
            ownerLists: rules.contains { $0.audience == .owner && $0.operations.contains(.read) },
            sharedLists: rules.contains { $0.audience != .owner && $0.operations.contains(.read) }, table: table)
    }

    func grant(for identity: Identity) -> AccessGrant {
        AccessGrant(rules: rules, identity: identity)
    }
}
