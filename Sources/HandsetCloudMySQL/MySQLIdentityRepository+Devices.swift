import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetSRP

extension MySQLIdentityRepository {
    package func storeDevice(_ device: StoredDevice) async throws -> Bool {
        let result = try await pool.write(
            """
            INSERT IGNORE INTO handset_devices (device_key, user_sub, group_key, srp_salt, srp_verifier, name,
                remembered, created_at, last_modified_at, last_authenticated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(device.key), .text(device.sub), .text(device.groupKey), .bytes(device.verifier.salt),
                .bytes(device.verifier.verifier), MySQLValue(device.name), MySQLValue(device.remembered),
                .dateTime(device.createdAt), .dateTime(device.lastModifiedAt),
                device.lastAuthenticatedAt.map { .dateTime($0) } ?? .null,
            ])
        return result.affectedRows == 1
    }

    package func device(key: String) async throws -> StoredDevice? {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_devices WHERE device_key = ?", [.text(key)]).rows.first
                .map(Self.device(from:))
        }
    }

    package func devices(sub: String, after afterKey: String?, limit: Int) async throws -> [StoredDevice] {
        try await pool.withConnection { db in
            try db.execute(
                """
                SELECT * FROM handset_devices WHERE user_sub = ? AND device_key > ? ORDER BY device_key LIMIT ?
                """,
                [.text(sub), .text(afterKey ?? ""), .int(Int64(limit))]
            ).rows.map(Self.device(from:))
        }
    }

    package func setDeviceRemembered(key: String, sub: String, remembered: Bool, at date: Date) async throws -> Bool {
        // Matched rows, not changed ones: setting the status a device already has is no failure.
        try await pool.transaction { db in
            guard
                !(try db.execute(
                    "SELECT 1 FROM handset_devices WHERE device_key = ? AND user_sub = ? FOR UPDATE",
                    [.text(key), .text(sub)]
                ).rows.isEmpty)
            else { return false }
            try db.execute(
                "UPDATE handset_devices SET remembered = ?, last_modified_at = ? WHERE device_key = ?",
                [MySQLValue(remembered), .dateTime(date), .text(key)])
            return true
        }
    }

    package func noteDeviceAuthenticated(key: String, at date: Date) async throws {
        _ = try await pool.write(
            "UPDATE handset_devices SET last_authenticated_at = ? WHERE device_key = ?", [.dateTime(date), .text(key)])
    }

    package func forgetDevice(key: String, sub: String) async throws -> Bool {
        try await pool.write(
            "DELETE FROM handset_devices WHERE device_key = ? AND user_sub = ?", [.text(key), .text(sub)]
        ).affectedRows == 1
    }

    private static func device(from row: MySQLRow) throws -> StoredDevice {
        StoredDevice(
            key: try row.string("device_key"), sub: try row.string("user_sub"), groupKey: try row.string("group_key"),
            verifier: SRPVerifier(salt: try row.bytes("srp_salt"), verifier: try row.bytes("srp_verifier")),
            name: try row.optionalString("name"), remembered: try row.bool("remembered"),
            createdAt: try row.date("created_at"), lastModifiedAt: try row.date("last_modified_at"),
            lastAuthenticatedAt: try row.optionalDate("last_authenticated_at"))
    }
}
