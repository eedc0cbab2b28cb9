import Foundation
import HandsetWire

/// The kinds of field a form or a list column can show, derived from JSON Schema types and formats.
public enum FieldKind: String, Sendable, Equatable, Codable {
    case text, longText, integer, number, boolean, date, dateTime, email, uri, enumeration, objectKey
    /// An array of strings (`type: array` with string items; a SET column's): typed as `a, b, c`, its choices
    /// (`items.enum`) in `enumValues`.
    case list
    case unknown
}

/// One property of a collection's schema.
public struct FieldSchema: Sendable, Equatable, Codable {
    public var name: String
    public var kind: FieldKind
    public var required: Bool
    public var readOnly: Bool
    public var enumValues: [String]
    public var maxLength: Int?
    public var minimum: Double?
    public var maximum: Double?
    /// The JSON Schema rules a value must meet: the same implementation the cloud validates with.
    public var rules: PropertyRules
    /// The collection whose record ids the field holds (`x-handset-ref`), if it is a relation.
    public var references: String?

    /// A field; without `rules`, the rules its kind and bounds imply (the API document's own come through
    /// `APISchema(openAPIDocument:)`).
    public init(
        name: String, kind: FieldKind, required: Bool = false, readOnly: Bool = false, enumValues: [String] = [],
        maxLength: Int? = nil, minimum: Double? = nil, maximum: Double? = nil, rules: PropertyRules? = nil,
        references: String? = nil
    ) {
        self.references = references
        self.name = name
        self.kind = kind
        self.required = required
        self.readOnly = readOnly
        self.enumValues = enumValues
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.rules =
            rules
            ?? PropertyRules(
                kind: kind.ruleKind, format: kind.format,
                enumValues: enumValues.isEmpty ? nil : enumValues.map(JSONValue.string),
                maxLength: maxLength, minimum: minimum, maximum: maximum, readOnly: readOnly)
    }
}

extension FieldKind {
    /// The JSON Schema type of values of this kind.
    var ruleKind: PropertyRules.Kind {
        switch self {
        case .text, .longText, .date, .dateTime, .email, .uri, .enumeration, .objectKey: return .string
        case .integer: return .integer
        case .number: return .number
        case .boolean: return .boolean
        case .list: return .array
        case .unknown: return .any
        }
    }

    /// The JSON Schema format of values of this kind.
    var format: String? {
        switch self {
        case .date: return "date"
        case .dateTime: return "date-time"
        case .email: return "email"
        case .uri: return "uri"
        case .objectKey: return "x-object-key"
        default: return nil
        }
    }
}

/// A collection the API serves, as its OpenAPI schema describes it.
public struct CollectionSchema: Sendable, Equatable, Codable {
    /// The path segment, e.g. `tasks`.
    public var name: String
    /// The schema's name, e.g. `Task`.
    public var typeName: String
    public var titleField: String
    public var listColumns: [String]
    public var fields: [FieldSchema]
    /// Who the schema's `x-handset-auth` rules let create records.
    public var creators: Creators
    /// Whether records may carry fields the schema does not list (`additionalProperties: true`).
    public var allowsUnknownFields: Bool
    /// Whether the server's database assigns record ids (`x-handset-key-generated`): a record made on the device
    /// goes by a temporary id until the server's answer gives it its own.
    public var idsAssignedByServer: Bool
    /// The token claims the owner rules match a record's owner against (each rule's `identityClaim`, `sub` when it
    /// names none): a legacy table's owner column holds the web application's own id, `custom:customer_id` say.
    public var ownerClaims: [String]

    public init(
        name: String, typeName: String, titleField: String, listColumns: [String], fields: [FieldSchema],
        creators: Creators = .anyone, allowsUnknownFields: Bool = false, idsAssignedByServer: Bool = false,
        ownerClaims: [String] = ["sub"]
    ) {
        self.name = name
        self.typeName = typeName
        self.titleField = titleField
        self.listColumns = listColumns
        self.fields = fields
        self.creators = creators
        self.allowsUnknownFields = allowsUnknownFields
        self.idsAssignedByServer = idsAssignedByServer
        self.ownerClaims = ownerClaims
    }

    /// Whether `owner` (a record's) is `user`, by any claim the owner rules match against.
    public func isOwned(by user: SignedInUser?, owner: String) -> Bool {
        guard let user, !owner.isEmpty else { return false }
        if owner == user.sub { return true }
        return ownerClaims.contains { claim in user.claims[claim] == owner }
    }

    /// The claims of `rules` (`x-handset-auth`) that owner rules match against; `sub` when no rule names another.
    static func ownerClaims(rules: [JSONValue]?) -> [String] {
        var claims: [String] = []
        for rule in rules ?? [] where rule["allow"]?.stringValue == "owner" {
            let claim = rule[APIDocumentKeys.identityClaim]?.stringValue ?? "sub"
            if !claims.contains(claim) { claims.append(claim) }
        }
        return claims.isEmpty ? ["sub"] : claims
    }

    /// Who may create records when this user may not (the words of the app's status line and `handset put`).
    public var whoMayCreate: String {
        if case .groups(let groups) = creators, !groups.isEmpty {
            return "Only members of \(groups.sorted().joined(separator: ", ")) may create \(name)"
        }
        return "Nobody may create \(name) records"
    }

    /// Who may create records, from the rules as the API document states them (the cloud enforces them; the client
    /// only avoids offering what would be refused).
    public enum Creators: Sendable, Equatable, Codable {
        /// Any signed-in user (an owner or private rule with `create`), or the document states no rules.
        case anyone
        /// Members of these groups only (none: nobody).
        case groups(Set<String>)

        /// Reads `x-handset-auth`: `[{"allow": "owner"|"private"|"groups", "groups": [...], "operations": [...]}]`.
        public init(rules: [JSONValue]?) {
            guard let rules, !rules.isEmpty else {
                self = .anyone
                return
            }
            var groups: Set<String> = []
            for rule in rules {
                let operations = rule["operations"]?.arrayValue?.compactMap(\.stringValue) ?? ["create"]
                guard operations.contains("create") else { continue }
                switch rule["allow"]?.stringValue {
                case "owner", "private":
                    self = .anyone
                    return
                case "groups":
                    groups.formUnion(rule["groups"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                default:
                    continue
                }
            }
            self = .groups(groups)
        }

        /// Whether a member of `memberOf` may create.
        public func allow(memberOf: [String]) -> Bool {
            switch self {
            case .anyone: return true
            case .groups(let groups): return !groups.isDisjoint(with: memberOf)
            }
        }
    }

    public func field(named name: String) -> FieldSchema? {
        fields.first { $0.name == name }
    }
}

/// Every collection of an API, read from its OpenAPI 3 document.
public struct APISchema: Sendable, Equatable, Codable {
    public var title: String
    public var collections: [CollectionSchema]

    public init(title: String, collections: [CollectionSchema]) {
        self.title = title
        self.collections = collections
    }

    public func collection(named name: String) -> CollectionSchema? {
        collections.first { $0.name == name }
    }
}

extension APISchema {
    /// Reads the collections out of an OpenAPI document: each component schema carrying `x-handset-collection`.
    /// Collections follow the order of the document's top-level `tags`, so the API author decides the tab order.
    public init(openAPIDocument document: JSONValue) throws {
        guard let schemas = document["components"]?["schemas"]?.objectValue else {
            throw ConfigurationError("the API document has no components.schemas")
        }
        var collections: [CollectionSchema] = []
        for (typeName, schema) in schemas {
            guard let name = schema[APIDocumentKeys.collection]?.stringValue else { continue }
            let required = Set(schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let properties = schema["properties"]?.objectValue ?? [:]
            var fields = properties.map { key, property in
                FieldSchema(
                    name: key, kind: Self.kind(of: property), required: required.contains(key),
                    readOnly: property["readOnly"]?.boolValue ?? RecordField.serverManaged.contains(key),
                    enumValues: (property["enum"] ?? property["items"]?["enum"])?.arrayValue?.compactMap(\.stringValue)
                        ?? [],
                    maxLength: property["maxLength"]?.intValue, minimum: property["minimum"]?.doubleValue,
                    maximum: property["maximum"]?.doubleValue, rules: try? PropertyRules(property),
                    references: property[APIDocumentKeys.reference]?.stringValue)
            }
            let listColumns = schema[APIDocumentKeys.listColumns]?.arrayValue?.compactMap(\.stringValue) ?? []
            // Fields in a stable, meaningful order: list columns first, then the rest by name, server fields last.
            fields.sort { lhs, rhs in
                func rank(_ field: FieldSchema) -> (Int, Int, String) {
                    if let index = listColumns.firstIndex(of: field.name) { return (0, index, field.name) }
                    return (RecordField.serverManaged.contains(field.name) ? 2 : 1, 0, field.name)
                }
                return rank(lhs) < rank(rhs)
            }
            let titleField =
                schema[APIDocumentKeys.titleField]?.stringValue ?? listColumns.first ?? fields.first?.name
                ?? RecordField.id
            collections.append(
                CollectionSchema(
                    name: name, typeName: typeName, titleField: titleField,
                    listColumns: listColumns.isEmpty ? [titleField] : listColumns, fields: fields,
                    creators: CollectionSchema.Creators(rules: schema[APIDocumentKeys.auth]?.arrayValue),
                    allowsUnknownFields: Self.allowsUnknownFields(schema["additionalProperties"]),
                    idsAssignedByServer: schema[APIDocumentKeys.keyGenerated]?.boolValue ?? false,
                    ownerClaims: CollectionSchema.ownerClaims(rules: schema[APIDocumentKeys.auth]?.arrayValue)))
        }
        // The document's top-level `tags` list gives the order (JSON objects have none once parsed); collections
        // without a tag follow by name.
        let tagOrder = document["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        func position(_ collection: CollectionSchema) -> Int {
            tagOrder.firstIndex(of: collection.name) ?? tagOrder.count
        }
        collections.sort { (position($0), $0.name) < (position($1), $1.name) }
        self.init(title: document["info"]?["title"]?.stringValue ?? "API", collections: collections)
    }

    /// `additionalProperties: true` or a schema for them lets records carry other fields, as the cloud reads it.
    static func allowsUnknownFields(_ value: JSONValue?) -> Bool {
        switch value {
        case .bool(true)?, .object?: return true
        default: return false
        }
    }

    static func kind(of property: JSONValue) -> FieldKind {
        if property["enum"] != nil { return .enumeration }
        let format = property["format"]?.stringValue
        switch (property["type"]?.stringValue, format) {
        case ("string", "date"): return .date
        case ("string", "date-time"): return .dateTime
        case ("string", "email"): return .email
        case ("string", "uri"): return .uri
        case ("string", "x-object-key"): return .objectKey
        case ("string", _):
            if let maxLength = property["maxLength"]?.intValue, maxLength > 200 { return .longText }
            return .text
        case ("integer", _): return .integer
        case ("number", _): return .number
        case ("boolean", _): return .boolean
        case ("array", _):
            let items = property["items"]
            let strings =
                items?["type"]?.stringValue == "string"
                || (items?["enum"]?.arrayValue.map { !$0.isEmpty && $0.allSatisfy { $0.stringValue != nil } } ?? false)
            return strings ? .list : .unknown
        default: return .unknown
        }
    }
}
