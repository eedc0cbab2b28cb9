import Foundation

/// Routes of object storage (S3 with presigned URLs), under the API endpoint.
///
/// | route | meaning |
/// |---|---|
/// | `POST <api>/_objects/presign` `PresignRequest` | a short-lived signed URL to upload or download (`PresignedURL`) |
/// | `GET <api>/_objects/info?key=` | an object's size, type and storage tier (`ObjectInfo`) |
/// | `POST <api>/_objects/restore?key=` | start restoring an archived object (202 `ObjectInfo`) |
///
/// The signed URL itself points at the storage endpoint (not the record API); the client sends the bytes there
/// with exactly the method and headers given.
public enum ObjectRoute {
    public static let objects = "_objects"
    public static let presign = "presign"
    public static let info = "info"
    public static let restore = "restore"
}

/// Asks for a signed URL.
public struct PresignRequest: Codable, Sendable, Equatable {
    public enum Operation: String, Codable, Sendable { case upload, download }

    public var operation: Operation
    /// For a download: the object's key. For an upload the server chooses the key.
    public var key: String?
    /// For an upload: the record and attachment field the object belongs to (ownership follows the record).
    public var collection: String?
    public var recordId: String?
    public var field: String?
    public var fileName: String?
    public var contentType: String?
    /// For an upload: the exact size in bytes, bound into the signature.
    public var size: Int?

    public init(
        operation: Operation, key: String? = nil, collection: String? = nil, recordId: String? = nil,
        field: String? = nil, fileName: String? = nil, contentType: String? = nil, size: Int? = nil
    ) {
        self.operation = operation
        self.key = key
        self.collection = collection
        self.recordId = recordId
        self.field = field
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
    }
}

/// A signed URL and how to use it.
public struct PresignedURL: Codable, Sendable, Equatable {
    public var url: String
    public var method: String
    /// Headers the request must carry (e.g. Content-Type), as signed.
    public var headers: [String: String]
    public var key: String
    /// RFC 3339.
    public var expiresAt: String

    public init(url: String, method: String, headers: [String: String], key: String, expiresAt: String) {
        self.url = url
        self.method = method
        self.headers = headers
        self.key = key
        self.expiresAt = expiresAt
    }
}

/// An object's metadata.
public struct ObjectInfo: Codable, Sendable, Equatable {
    public enum Tier: String, Codable, Sendable { case standard = "STANDARD", archive = "GLACIER" }
    public enum RestoreState: String, Codable, Sendable { case inProgress = "in-progress", restored }

    public var key: String
    public var size: Int
    public var contentType: String
    public var tier: Tier
    public var restore: RestoreState?
    public var createdAt: String
    /// The name the uploader gave the file, spaces and all (the key keeps only a safe ASCII form of it).
    public var fileName: String?

    public init(
        key: String, size: Int, contentType: String, tier: Tier, restore: RestoreState?, createdAt: String,
        fileName: String? = nil
    ) {
        self.fileName = fileName
        self.key = key
        self.size = size
        self.contentType = contentType
        self.tier = tier
        self.restore = restore
        self.createdAt = createdAt
    }
}
