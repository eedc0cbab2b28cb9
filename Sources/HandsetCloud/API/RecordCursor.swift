import Foundation
import HandsetCloudStorage
import HandsetWire

/// The opaque `cursor` of a record page: base64url of where the previous page ended, in the order it was sorted:
/// `v1`, the order (`a`/`d`), the sort field, the sort value's type (`s` string, `n` number, `m` missing) and text,
/// and the last id, separated by NUL. Written by hand: a page with a next page makes one on every request.
struct RecordCursor: Equatable {
    /// The sort field's name.
    var sort: String
    var descending: Bool
    var position: RecordListPosition

    var encoded: String {
        let value: String
        switch position.value {
        case .number(let number):
            value = "n" + (position.value.intValue.map { String($0) } ?? String(number))
        case .string(let text): value = "s" + text
        default: value = "m"
        }
        let fields = ["v1", descending ? "d" : "a", sort, value, position.id]
        return Base64URL.encode(Array(fields.joined(separator: "\u{0}").utf8))
    }

    /// The cursor, or `nil` when it is not one this API handed out.
    static func decode(_ text: String) -> RecordCursor? {
        guard let data = Base64URL.decode(text), let string = String(data: data, encoding: .utf8) else { return nil }
        let fields = string.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 5, fields[0] == "v1", fields[1] == "a" || fields[1] == "d", !fields[4].isEmpty,
            let kind = fields[3].first
        else { return nil }
        let valueText = String(fields[3].dropFirst())
        let value: JSONValue
        switch kind {
        case "s": value = .string(valueText)
        case "m":
            guard valueText.isEmpty else { return nil }
            value = .null
        case "n":
            guard let number = Double(valueText), number.isFinite else { return nil }
            value = .number(number)
        default: return nil
        }
        return RecordCursor(
            sort: fields[2], descending: fields[1] == "d", position: RecordListPosition(value: value, id: fields[4]))
    }
}

/// The opaque cursor of a change feed: the server sequence number it covers.
enum ChangeCursor {
    static func encode(_ sequence: Int64) -> String {
        Base64URL.encode(Array("seq:\(sequence)".utf8))
    }

    static func decode(_ text: String) -> Int64? {
        guard let data = Base64URL.decode(text), let string = String(data: data, encoding: .utf8),
            string.hasPrefix("seq:"), let sequence = Int64(string.dropFirst(4)), sequence >= 0
        else { return nil }
        return sequence
    }
}
