import HandsetWire

/// A record as stored: the client's fields plus the server-managed ones.
struct StoredRecord: Sendable, Equatable {
    var collection: String
    var id: String
    var owner: String
    var version: Int
    /// RFC 3339 with milliseconds, UTC.
    var updatedAt: String
    /// The server sequence number of the last write (orders change feeds).
    var sequence: Int64
    var deleted: Bool
    /// The client's fields, without any server-managed one.
    var body: [String: JSONValue]

    /// The record as the API returns it: the body with `id`, `version`, `updatedAt` and `owner` set by the server.
    var json: JSONValue {
        var object = body
        object[RecordField.id] = .string(id)
        object[RecordField.version] = .number(Double(version))
        object[RecordField.updatedAt] = .string(updatedAt)
        object[RecordField.owner] = .string(owner)
        if deleted { object[RecordField.deleted] = .bool(true) }
        return .object(object)
    }
}
