/// A collection's rules for a whole record: which fields it has, which are required, and each field's
/// `PropertyRules`. The client checks a form or `handset put` with it and the cloud checks every write with it, so
/// both refuse the same records with the same words.
public struct RecordRules: Sendable, Equatable {
    /// The schema's name, as messages name it ("is not a field of Task").
    public var typeName: String
    public var properties: [String: PropertyRules]
    /// Required fields (server-managed ones never are: the server fills them in).
    public var required: Set<String>
    /// Whether bodies may carry fields the schema does not list (`additionalProperties: true`).
    public var allowsUnknownFields: Bool

    public init(
        typeName: String, properties: [String: PropertyRules], required: Set<String>, allowsUnknownFields: Bool = false
    ) {
        self.typeName = typeName
        self.properties = properties
        self.required = required.subtracting(RecordField.serverManaged)
        self.allowsUnknownFields = allowsUnknownFields
    }

    /// One message per bad field; empty when the fields are fine. A `null` means "no value" (a patch clears the
    /// field with it). With `partial` (a patch), only the fields given are checked; otherwise every required field
    /// must be there. Server-managed fields (`id`, `version`, ...) are ignored: the server sets them.
    public func problems(in fields: [String: JSONValue], partial: Bool = false) -> [String: String] {
        var problems: [String: String] = [:]
        for (name, value) in fields where !RecordField.serverManaged.contains(name) {
            guard let property = properties[name] else {
                if !allowsUnknownFields { problems[name] = Self.notAField(of: typeName) }
                continue
            }
            if value == .null {
                if required.contains(name) { problems[name] = Self.isRequired }
                continue
            }
            if let problem = property.problem(with: value) { problems[name] = problem }
        }
        if !partial {
            for name in required where fields[name] == nil {
                problems[name] = Self.isRequired
            }
        }
        return problems
    }

    public static let isRequired = "is required"

    public static func notAField(of typeName: String) -> String { "is not a field of \(typeName)" }
}
