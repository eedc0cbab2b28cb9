import Foundation
import HandsetWire

/// An object as stored: where its bytes are, what it belongs to, its tier and restore state.
package struct StoredObject: Sendable, Equatable {
    package var key: String
    package var collection: String
    package var recordId: String
    package var field: String
    /// The `sub` of the user who uploaded it.
    package var owner: String
    /// The file's name in the tier's directory.
    package var file: String
    package var size: Int
    package var contentType: String
    /// S3's ETag: the MD5 of the bytes, quoted.
    package var eTag: String
    package var tier: ObjectInfo.Tier
    /// Whether a field of its record has referred to it (clearing that field then removes it).
    package var attached: Bool
    package var createdAt: Date
    package var archivedAt: Date?
    package var restoreReadyAt: Date?
    package var restoreExpiresAt: Date?
    /// The name the uploader gave the file, as they typed it (the key holds only a safe ASCII form of it).
    package var fileName: String? = nil

    package init(
        key: String, collection: String, recordId: String, field: String, owner: String, file: String, size: Int,
        contentType: String, eTag: String, tier: ObjectInfo.Tier, attached: Bool, createdAt: Date,
        archivedAt: Date? = nil, restoreReadyAt: Date? = nil, restoreExpiresAt: Date? = nil, fileName: String? = nil
    ) {
        self.key = key
        self.collection = collection
        self.recordId = recordId
        self.field = field
        self.owner = owner
        self.file = file
        self.size = size
        self.contentType = contentType
        self.eTag = eTag
        self.tier = tier
        self.attached = attached
        self.createdAt = createdAt
        self.archivedAt = archivedAt
        self.restoreReadyAt = restoreReadyAt
        self.restoreExpiresAt = restoreExpiresAt
        self.fileName = fileName
    }

    /// Where an archived object's restore stands at `now`: `nil` when none was asked for or the copy expired.
    package func restoreState(at now: Date) -> ObjectInfo.RestoreState? {
        guard tier == .archive, let ready = restoreReadyAt else { return nil }
        if now < ready { return .inProgress }
        if let expires = restoreExpiresAt, now >= expires { return nil }
        return .restored
    }

    /// Whether its bytes can be read at `now`: always in STANDARD, in GLACIER only while a restored copy exists.
    package func isReadable(at now: Date) -> Bool {
        tier == .standard || restoreState(at: now) == .restored
    }

    package func info(at now: Date) -> ObjectInfo {
        ObjectInfo(
            key: key, size: size, contentType: contentType, tier: tier, restore: restoreState(at: now),
            createdAt: Timestamp.string(from: createdAt), fileName: fileName)
    }
}
