import Foundation
import HandsetWire

/// Checks a record's fields against its collection's schema before it is saved, so mistakes show at once, offline
/// too. The server validates again with the same rules and words; this is for the person, not for security.
public enum RecordValidator {
    /// One message per field that is wrong; empty when the fields are fine.
    public static func problems(in fields: [String: JSONValue], for collection: CollectionSchema) -> [String: String] {
        collection.rules.problems(in: fields)
    }

    /// The shared rules' answer for one value (HandsetWire's `PropertyRules`, the cloud's too).
    static func problem(with value: JSONValue, for field: FieldSchema) -> String? {
        field.rules.problem(with: value)
    }
}

extension CollectionSchema {
    /// The collection's rules as the cloud applies them (HandsetWire's `RecordRules`): its fields, the required
    /// ones, and each field's JSON Schema keywords.
    public var rules: RecordRules {
        RecordRules(
            typeName: typeName,
            properties: Dictionary(fields.map { ($0.name, $0.rules) }, uniquingKeysWith: { first, _ in first }),
            required: Set(fields.filter(\.required).map(\.name)), allowsUnknownFields: allowsUnknownFields)
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
