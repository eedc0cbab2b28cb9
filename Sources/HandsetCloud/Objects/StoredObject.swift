import Foundation
import GRDB
import HandsetWire

/// An object as stored: where its bytes are, what it belongs to, its tier and restore state.
struct StoredObject: Sendable, Equatable {
    var key: String
    var collection: String
    var recordId: String
    var field: String
    /// The `sub` of the user who uploaded it.
    var owner: String
    /// The file's name in the tier's directory.
    var file: String
    var size: Int
    var contentType: String
    /// S3's ETag: the MD5 of the bytes, quoted.
    var eTag: String
    var tier: ObjectInfo.Tier
    /// Whether a field of its record has referred to it (clearing that field then removes it).
    var attached: Bool
    var createdAt: Date
    var archivedAt: Date?
    var restoreReadyAt: Date?
    var restoreExpiresAt: Date?
    /// The name the uploader gave the file, as they typed it (the key holds only a safe ASCII form of it).
    var fileName: String? = nil

    /// Where an archived object's restore stands at `now`: `nil` when none was asked for or the copy expired.
    func restoreState(at now: Date) -> ObjectInfo.RestoreState? {
        guard tier == .archive, let ready = restoreReadyAt else { return nil }
        if now < ready { return .inProgress }
        if let expires = restoreExpiresAt, now >= expires { return nil }
        return .restored
    }

    /// Whether its bytes can be read at `now`: always in STANDARD, in GLACIER only while a restored copy exists.
    func isReadable(at now: Date) -> Bool {
        tier == .standard || restoreState(at: now) == .restored
    }

    func info(at now: Date) -> ObjectInfo {
        ObjectInfo(
            key: key, size: size, contentType: contentType, tier: tier, restore: restoreState(at: now),
            createdAt: Timestamp.string(from: createdAt), fileName: fileName)
    }
}

extension StoredObject {
    init(row: Row) {
        self.init(
            key: row["key"], collection: row["collection"], recordId: row["record_id"], field: row["field"],
            owner: row["owner"], file: row["file"], size: row["size"], contentType: row["content_type"],
            eTag: row["etag"], tier: ObjectInfo.Tier(rawValue: row["tier"]) ?? .standard, attached: row["attached"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            archivedAt: (row["archived_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            restoreReadyAt: (row["restore_ready_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            restoreExpiresAt: (row["restore_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            fileName: row["file_name"])
    }
}
