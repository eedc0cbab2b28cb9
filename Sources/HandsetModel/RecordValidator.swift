import Foundation
import HandsetWire

/// Checks a record's fields against its collection's schema before it is saved, so mistakes show at once, offline
/// too. The server validates again; this is for the person, not for security.
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
            problems[name] = "is not a field of \(collection.name)"
        }
        return problems
    }

    static func problem(with value: JSONValue, for field: FieldSchema) -> String? {
        switch field.kind {
        case .integer:
            guard let number = value.doubleValue, number.rounded() == number else { return "must be a whole number" }
            return range(number, field)
        case .number:
            guard let number = value.doubleValue else { return "must be a number" }
            return range(number, field)
        case .boolean:
            return value.boolValue == nil ? "must be true or false" : nil
        case .enumeration:
            guard let text = value.stringValue, field.enumValues.contains(text) else {
                return "must be one of \(field.enumValues.joined(separator: ", "))"
            }
            return nil
        case .text, .longText, .email, .uri, .date, .dateTime, .objectKey:
            guard let text = value.stringValue else { return "must be text" }
            if let maxLength = field.maxLength, text.count > maxLength { return "must be at most \(maxLength) characters" }
            switch field.kind {
            case .email where !isEmail(text): return "must be an email address"
            case .uri where URL(string: text)?.scheme == nil: return "must be a URL"
            case .date where !isDate(text): return "must be a date (YYYY-MM-DD)"
            case .dateTime where !isDateTime(text): return "must be a date and time (RFC 3339)"
            default: return nil
            }
        case .unknown:
            return nil
        }
    }

    static func range(_ number: Double, _ field: FieldSchema) -> String? {
        if let minimum = field.minimum, number < minimum { return "must be at least \(format(minimum))" }
        if let maximum = field.maximum, number > maximum { return "must be at most \(format(maximum))" }
        return nil
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int(number)) : String(number)
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
    }

    static func isDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return text.count == 10 && formatter.date(from: text) != nil
    }

    static func isDateTime(_ text: String) -> Bool {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return plain.date(from: text) != nil || fractional.date(from: text) != nil
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
