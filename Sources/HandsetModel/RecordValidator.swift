import Foundation
import HandsetWire

/// Checks a record's fields against its collection's schema before it is saved, so mistakes show at once, offline
/// too. The server validates again with the same rules and words; this is for the person, not for security.
public enum RecordValidator {
    /// One message per field that is wrong; empty when the fields are fine.
    public static func problems(in fields: [String: JSONValue], for collection: CollectionSchema) -> [String: String] {
        var problems: [String: String] = [:]
        for field in collection.fields where !field.readOnly {
            let value = fields[field.name]
            guard let value, !value.isNull, value != .string("") else {
                if field.required { problems[field.name] = "is required" }
                continue
            }
            if let problem = problem(with: value, for: field) { problems[field.name] = problem }
        }
        for name in fields.keys where collection.field(named: name) == nil && !RecordField.serverManaged.contains(name) {
            problems[name] = "is not a field of \(collection.typeName)"
        }
        return problems
    }

    /// The shared rules' answer (HandsetWire's `PropertyRules`, the cloud's too), so the form and the cloud agree.
    static func problem(with value: JSONValue, for field: FieldSchema) -> String? {
        field.rules.problem(with: value)
    }
}

/// Turns text typed by a person (a form field, `--field name=value`) into the JSON value the schema expects.
public enum FieldInput {
    /// The typed value for `field`, or the text itself when it does not parse (validation then says why).
    /// Empty text means "no value" (null).
    public static func value(_ text: String, for field: FieldSchema) -> JSONValue {
        if text.isEmpty { return .null }
        switch field.kind {
        case .integer, .number:
            return Double(text.trimmingCharacters(in: .whitespaces)).map(JSONValue.number) ?? .string(text)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "y", "1", "on": return .bool(true)
            case "false", "no", "n", "0", "off": return .bool(false)
            default: return .string(text)
            }
        default:
            return .string(text)
        }
    }
}
