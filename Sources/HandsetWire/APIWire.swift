import Foundation

/// One page of a record list: `GET <api>/<collection>`.
public struct RecordPage: Codable, Sendable, Equatable {
    public var items: [JSONValue]
    /// Pass back as `cursor` for the next page; `nil` when this is the last page.
    public var nextCursor: String?

    public init(items: [JSONValue], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// The API's error body, in API Gateway's shape (`{"message": ...}`), with a message per field for validation errors.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public var message: String
    public var fields: [String: String]?

    public init(message: String, fields: [String: String]? = nil) {
        self.message = message
        self.fields = fields
    }
}

/// Names of the server-managed record fields.
public enum RecordField {
    public static let id = "id"
    public static let version = "version"
    public static let updatedAt = "updatedAt"
    public static let owner = "owner"
    public static let deleted = "deleted"
    public static let serverManaged: Set<String> = [id, version, updatedAt, owner, deleted]
}

/// Extensions to OpenAPI that describe how a collection is shown and who may touch it.
public enum APIDocumentKeys {
    /// On a component schema: the collection (path segment) it describes.
    public static let collection = "x-handset-collection"
    /// On a component schema: the field used as a record's title.
    public static let titleField = "x-handset-title"
    /// On a component schema: the fields shown as list columns, in order.
    public static let listColumns = "x-handset-list-columns"
    /// On a component schema: access rules, in the spirit of Amplify's `@auth`.
    public static let auth = "x-handset-auth"
    /// On a property: the collection whose record ids it holds (a relation, shown by the record's title).
    public static let reference = "x-handset-ref"
}
