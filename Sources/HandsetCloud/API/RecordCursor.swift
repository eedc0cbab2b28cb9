import Foundation
import HandsetWire

/// The opaque `cursor` of a record page: base64url of where the previous page ended, in the order it was sorted.
struct RecordCursor: Codable, Equatable {
    /// The sort field's name.
    var sort: String
    var descending: Bool
    var position: RecordListPosition

    enum CodingKeys: String, CodingKey {
        case sort = "s"
        case descending = "d"
        case position = "p"
    }

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Base64URL.encode((try? encoder.encode(self)) ?? Data())
    }

    /// The cursor, or `nil` when it is not one this API handed out.
    static func decode(_ text: String) -> RecordCursor? {
        guard let data = Base64URL.decode(text), let cursor = try? JSONDecoder().decode(RecordCursor.self, from: data),
            !cursor.position.id.isEmpty
        else { return nil }
        switch cursor.position.value {
        case .string, .number: return cursor
        default: return nil
        }
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
