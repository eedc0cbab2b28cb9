import Foundation
import HandsetModel
import HandsetWire

/// The API document the device last fetched, for starting offline and checking writes; when the last sync finished.
extension LocalStore {
    /// The schema cached by the last successful schema refresh. Parsing the document takes milliseconds (tens in a
    /// debug build), too long for every save: the parsed schema is kept with the text it came from and parsed again
    /// only when that text changes.
    public func cachedSchema() -> APISchema? {
        guard let text = try? meta(MetaKey.apiDocument) else { return nil }
        if let schema = parsedSchema.schema(for: text) { return schema }
        guard let document = try? JSONValue.parse(Data(text.utf8)),
            let schema = try? APISchema(openAPIDocument: document)
        else { return nil }
        parsedSchema.keep(schema, for: text)
        return schema
    }

    /// When the last sync finished.
    public func lastSyncedAt() -> Date? {
        (try? meta(MetaKey.lastSyncedAt)).flatMap { $0 }.flatMap { ISO8601DateFormatter().date(from: $0) }
    }
}

/// The last schema `cachedSchema` parsed, with the document text it came from.
final class ParsedSchemaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    private var schema: APISchema?

    func schema(for text: String) -> APISchema? {
        lock.withLock { self.text == text ? schema : nil }
    }

    func keep(_ schema: APISchema, for text: String) {
        lock.withLock {
            self.text = text
            self.schema = schema
        }
    }
}
