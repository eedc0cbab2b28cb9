import Foundation

/// Routes and headers of the record API beyond the list (`GET <api>/<collection>`).
///
/// | route | meaning |
/// |---|---|
/// | `GET <api>/<c>?limit&cursor&sort=<field>&order=asc\|desc&q=<text>&<field>=<value>` | a page of records (`RecordPage`) |
/// | `GET <api>/<c>/<id>` | one record, `ETag: "<version>"` |
/// | `POST <api>/<c>` | create with a server id (201); `Idempotency-Key` makes a retry return the first answer |
/// | `PUT <api>/<c>/<id>` + `If-None-Match: *` | create with the client's id; a retry of the same body returns the record |
/// | `PUT <api>/<c>/<id>` + `If-Match: "<v>"` | replace; a stale version gets 412 with the current record as the body |
/// | `PATCH <api>/<c>/<id>` + `If-Match` | change the given fields only |
/// | `DELETE <api>/<c>/<id>` + `If-Match` | delete, leaving a tombstone in the change feed (204) |
/// | `GET <api>/<c>/_changes?since=<cursor>&limit` | records and tombstones in server order (`ChangeFeedPage`) |
/// | `POST <api>/<c>/_batch` | many writes, one result each (`BatchRequest` -> `BatchResponse`) |
public enum APIRoute {
    public static let changes = "_changes"
    public static let batch = "_batch"
    public static let openAPIDocument = "openapi.json"
}

/// HTTP header names of the record API.
public enum APIHeader {
    public static let eTag = "ETag"
    public static let ifMatch = "If-Match"
    public static let ifNoneMatch = "If-None-Match"
    public static let idempotencyKey = "Idempotency-Key"
    public static let requestID = "x-amzn-RequestId"

    /// `"<version>"`, the entity tag of a record version.
    public static func eTag(version: Int) -> String { "\"\(version)\"" }

    /// The version in an entity tag (`"3"`, `W/"3"` or `3`), if it is one.
    public static func version(fromETag tag: String) -> Int? {
        var text = tag.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return Int(text)
    }
}

/// One page of a collection's change feed, in server sequence order (never client clocks).
///
/// Items are records, or tombstones `{"id", "version", "updatedAt", "owner", "deleted": true}`.
public struct ChangeFeedPage: Codable, Sendable, Equatable {
    public var items: [JSONValue]
    /// Pass as `since` next time; it already covers every item of this page.
    public var cursor: String
    /// Whether more changes wait beyond this page.
    public var hasMore: Bool

    public init(items: [JSONValue], cursor: String, hasMore: Bool) {
        self.items = items
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

/// What one batch operation does.
public enum BatchOperationKind: String, Codable, Sendable, Equatable {
    /// Create: with `id`, like `PUT` + `If-None-Match: *` (idempotent); without, a server id.
    case create
    /// Replace every field, like `PUT` + `If-Match`.
    case replace
    /// Change the given fields, like `PATCH` + `If-Match`.
    case patch
    /// Delete, like `DELETE` + `If-Match`.
    case delete
}

/// One write in a batch.
public struct BatchOperation: Codable, Sendable, Equatable {
    public var op: BatchOperationKind
    public var id: String?
    /// The version the client last saw; required for replace, patch and delete.
    public var ifMatch: Int?
    public var body: JSONValue?

    public init(op: BatchOperationKind, id: String?, ifMatch: Int? = nil, body: JSONValue? = nil) {
        self.op = op
        self.id = id
        self.ifMatch = ifMatch
        self.body = body
    }
}

/// `POST <api>/<collection>/_batch` body. Operations apply in order; each succeeds or fails on its own.
public struct BatchRequest: Codable, Sendable, Equatable {
    public var operations: [BatchOperation]

    public init(operations: [BatchOperation]) {
        self.operations = operations
    }
}

/// The outcome of one batch operation, with the status the single request would have had.
public struct BatchResult: Codable, Sendable, Equatable {
    public var status: Int
    /// The record after the write; for a 412, the current server record; absent after a delete.
    public var record: JSONValue?
    public var error: APIErrorBody?

    public init(status: Int, record: JSONValue? = nil, error: APIErrorBody? = nil) {
        self.status = status
        self.record = record
        self.error = error
    }
}

/// `POST <api>/<collection>/_batch` answer: one result per operation, in order.
public struct BatchResponse: Codable, Sendable, Equatable {
    public var results: [BatchResult]

    public init(results: [BatchResult]) {
        self.results = results
    }
}
