import Foundation
import HandsetWire

/// Paging of Cognito's list operations: `Limit`/`MaxResults` of at most 60 (60 when left out or 0), and opaque
/// tokens that carry the key of the last item shown (base64url, so that they survive any client).
enum ListPage {
    static func limit(_ requested: Int?, member: String = "limit") throws -> Int {
        guard let requested, requested != 0 else { return 60 }
        guard (1...60).contains(requested) else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(requested)' at '\(member)' failed to satisfy constraint: "
                    + "Member must have value \(requested < 0 ? "greater than or equal to 0" : "less than or equal to 60")"
            )
        }
        return requested
    }

    static func token(for key: String) -> String { Base64URL.encode(Array(key.utf8)) }

    /// The key in a token from `token(for:)`; nil for no token.
    static func key(from token: String?) throws -> String? {
        guard let token else { return nil }
        guard !token.isEmpty, token.utf8.count <= 4096, let bytes = Base64URL.decode(token),
            let key = String(validating: bytes, as: UTF8.self)
        else { throw CognitoError.invalidParameter("The pagination token is not valid.") }
        return key
    }

    /// A page of items already in memory, in key order.
    static func page<Item>(
        _ items: [Item], key: (Item) -> String, limit requested: Int?, token: String?, member: String = "limit"
    ) throws -> (items: [Item], next: String?) {
        let count = try limit(requested, member: member)
        let after = try Self.key(from: token)
        let sorted = items.sorted { key($0) < key($1) }
        let rest = after.map { after in sorted.filter { key($0) > after } } ?? sorted
        let shown = Array(rest.prefix(count))
        return (shown, rest.count > count ? shown.last.map { Self.token(for: key($0)) } : nil)
    }
}
