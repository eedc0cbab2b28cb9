import Foundation

/// An object's key: `<collection>/<record id>/<field>/<random>/<file name>`. The server chooses it when it signs an
/// upload, so the key itself says which record (and attachment field) the object belongs to, and the signature over
/// the key makes that binding tamper-proof. Every character is one a URL path carries as is.
struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    var collection: String
    var recordId: String
    var field: String
    var token: String
    var fileName: String

    var description: String { "\(collection)/\(recordId)/\(field)/\(token)/\(fileName)" }

    /// A fresh key for an upload to `collection/recordId`'s `field`, keeping what is safe of `fileName`.
    static func make(collection: String, recordId: String, field: String, fileName: String?) -> ObjectKey {
        ObjectKey(
            collection: collection, recordId: recordId, field: field, token: SecureRandom.lowercaseAlphanumeric(20),
            fileName: safeFileName(fileName))
    }

    /// Parses a key this server made; `nil` for anything else (wrong shape, unsafe characters, `..`).
    init?(_ text: String) {
        guard text.utf8.count <= 1024 else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5,
            parts.allSatisfy({ part in
                !part.isEmpty && part != "." && part != ".." && part.unicodeScalars.allSatisfy(Self.isSafe)
            })
        else { return nil }
        self.init(collection: parts[0], recordId: parts[1], field: parts[2], token: parts[3], fileName: parts[4])
    }

    init(collection: String, recordId: String, field: String, token: String, fileName: String) {
        self.collection = collection
        self.recordId = recordId
        self.field = field
        self.token = token
        self.fileName = fileName
    }

    /// Letters, digits, `.`, `-`, `_` and `:` (record ids may contain `:`).
    static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", ":": return true
        default: return false
        }
    }

    /// A path segment of a key (a record id or field name) that is safe as is.
    static func isSafeSegment(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".." && text.utf8.count <= 128 && text.unicodeScalars.allSatisfy(isSafe)
    }

    /// The file name with every unsafe character replaced by `-`, at most 100 characters, `object` when empty.
    static func safeFileName(_ name: String?) -> String {
        let base = (name ?? "").split(separator: "/").last.map(String.init) ?? ""
        var safe = String(String.UnicodeScalarView(base.unicodeScalars.map { isSafe($0) && $0 != ":" ? $0 : "-" }))
        if safe.unicodeScalars.count > 100 { safe = String(safe.unicodeScalars.suffix(100)) }
        if safe.isEmpty || safe.allSatisfy({ $0 == "." }) { return "object" }
        return safe
    }
}
