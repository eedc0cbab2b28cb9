import Foundation
import HandsetApp
import HandsetModel
import HandsetWire

/// How a field's value reads in a list cell or a detail line.
public enum FieldFormatter {
    /// A value in a list cell: one line; date-times in the local zone (`timeZone`).
    public static func format(_ value: JSONValue?, kind: FieldKind, timeZone: TimeZone = .current) -> String {
        guard let value else { return "" }
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "yes" : "no"
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .string(let text):
            switch kind {
            case .dateTime:
                // 2026-11-27T12:34:56.789Z -> 2026-11-27 13:34 in Paris; text that is no time stays as it is.
                guard let date = TimeText.parse(text) else { return text }
                return TimeText.short(date, timeZone: timeZone)
            case .longText, .text:
                return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            default:
                return text
            }
        case .array(let items): return items.map { format($0, kind: .text) }.joined(separator: ", ")
        case .object: return "{…}"
        }
    }

    /// A boolean's text as people read it (the form's `true`/`false` as the detail shows it).
    public static func yesNo(_ text: String) -> String {
        switch text {
        case "true": return "yes"
        case "false": return "no"
        default: return text
        }
    }

    /// Display name of a field: `updatedAt` -> `Updated at`.
    public static func label(for field: String) -> String { FieldNames.label(for: field) }

    /// A sensible column width for a kind of field; `nil` means "share the remaining space".
    public static func preferredWidth(for field: FieldSchema) -> Int? {
        switch field.kind {
        case .enumeration:
            return max(field.enumValues.map { TextWidth.width(of: $0) }.max() ?? 6, label(for: field.name).count)
        case .integer: return max(8, min(label(for: field.name).count, 12))
        case .number: return 10
        case .boolean: return 5
        case .date: return 10
        case .dateTime: return 16
        case .email: return 22
        default: return nil
        }
    }
}
