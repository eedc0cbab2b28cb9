import Foundation
import GRDB
import HandsetCloudStorage
import HandsetSRP

extension SQLiteIdentityRepository {
    package func storeDevice(_ device: StoredDevice) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO devices (device_key, user_sub, group_key, srp_salt, srp_verifier, name, remembered,
                        created_at, last_modified_at, last_authenticated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(device_key) DO NOTHING
                    """,
                arguments: [
                    device.key, device.sub, device.groupKey, Data(device.verifier.salt), Data(device.verifier.verifier),
                    device.name, device.remembered, device.createdAt.timeIntervalSince1970,
                    device.lastModifiedAt.timeIntervalSince1970, device.lastAuthenticatedAt?.timeIntervalSince1970,
                ])
            return db.changesCount == 1
        }
    }

    package func device(key: String) async throws -> StoredDevice? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM devices WHERE device_key = ?", arguments: [key])
                .map(Self.device(from:))
        }
    }

    package func devices(sub: String, after afterKey: String?, limit: Int) async throws -> [StoredDevice] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM devices WHERE user_sub = ? AND device_key > ? ORDER BY device_key LIMIT ?",
                arguments: [sub, afterKey ?? "", limit]
            ).map(Self.device(from:))
        }
    }

    package func setDeviceRemembered(key: String, sub: String, remembered: Bool, at date: Date) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE devices SET remembered = ?, last_modified_at = ? WHERE device_key = ? AND user_sub = ?
                    """,
                arguments: [remembered, date.timeIntervalSince1970, key, sub])
            return db.changesCount == 1
        }
    }

    package func noteDeviceAuthenticated(key: String, at date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE devices SET last_authenticated_at = ? WHERE device_key = ?",
                arguments: [date.timeIntervalSince1970, key])
        }
    }

    package func forgetDevice(key: String, sub: String) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM devices WHERE device_key = ? AND user_sub = ?", arguments: [key, sub])
            return db.changesCount == 1
        }
    }

    static func device(from row: Row) -> StoredDevice {
        let salt: Data = row["srp_salt"]
        let verifier: Data = row["srp_verifier"]
        let authenticated: Double? = row["last_authenticated_at"]
        return StoredDevice(
            key: row["device_key"], sub: row["user_sub"], groupKey: row["group_key"],
            verifier: SRPVerifier(salt: Array(salt), verifier: Array(verifier)), name: row["name"],
            remembered: row["remembered"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            lastModifiedAt: Date(timeIntervalSince1970: row["last_modified_at"]),
            lastAuthenticatedAt: authenticated.map(Date.init(timeIntervalSince1970:)))
    }
}
