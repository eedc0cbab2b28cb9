import Foundation

/// The opaque `cursor` of a record page: base64url of the last id on the previous page.
enum RecordCursor {
    static func encode(lastId: String) -> String {
        Base64URL.encode(Array(lastId.utf8))
    }

    /// The id the next page starts after, or `nil` when the cursor is not one this API handed out.
    static func decode(_ cursor: String) -> String? {
        guard let data = Base64URL.decode(cursor), let id = String(data: data, encoding: .utf8), !id.isEmpty else {
            return nil
        }
        return id
    }
}
