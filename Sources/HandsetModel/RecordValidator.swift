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
        case .list:
            // `bug, urgent`, or the JSON array itself.
            if let array = jsonText(text), case .array = array { return array }
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return .array(items.filter { !$0.isEmpty }.map(JSONValue.string))
        case .unknown:
            // A field of no one type (an object, an array of numbers): JSON text is taken as JSON.
            return jsonText(text) ?? .string(text)
        default:
            return .string(text)
        }
    }

    /// `text` parsed, when it is a JSON array or object.
    private static func jsonText(_ text: String) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("[") || trimmed.hasPrefix("{") else { return nil }
        return try? JSONValue.parse(Data(trimmed.utf8))
    }

    /// A number as people write it: whole numbers without `.0`, and any other (a fraction, or one too large for an
    /// exact integer, 1e20 say) as Swift prints a `Double`. Never traps, whatever the server sent.
    public static func numberText(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// A value as a person types it back (`FieldInput.value`'s inverse): `bug, urgent` for a list whose items hold
    /// no comma, JSON for other arrays and objects.
    public static func text(_ value: JSONValue, for field: FieldSchema) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return numberText(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array(let items) where field.kind == .list:
            let strings = items.compactMap(\.stringValue)
            if strings.count == items.count,
                !strings.contains(where: {
                    $0.contains(",") || $0 != $0.trimmingCharacters(in: .whitespaces) || $0.isEmpty
                })
            {
                return strings.joined(separator: ", ")
            }
            return String(decoding: value.encoded(), as: UTF8.self)
        default: return String(decoding: value.encoded(), as: UTF8.self)
        }
    }
}
