import Foundation
import HandsetCloudStorage
import HandsetMySQL

/// Device authorizations in `handset_oauth_device_codes`; each poll is decided on the row locked `FOR UPDATE`, so
/// an approved authorization hands out its tokens once whichever instances the device polls.
package struct MySQLDeviceCodeRepository: DeviceCodeRepository {
    let pool: MySQLPool

    package func create(_ authorization: DeviceAuthorization) async throws -> Bool {
        let result = try await pool.write(
            """
            INSERT IGNORE INTO handset_oauth_device_codes (
                device_code_hash, user_code, client_id, scopes, status, interval_seconds, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(authorization.deviceCodeHash), .text(authorization.userCode), .text(authorization.clientId),
                .text(authorization.scopes.joined(separator: " ")), .text(authorization.status.rawValue),
                .int(Int64(authorization.interval)), .dateTime(authorization.createdAt),
                .dateTime(authorization.expiresAt),
            ])
        return result.affectedRows == 1
    }

    package func pending(userCode: String, now: Date) async throws -> DeviceAuthorization? {
        try await pool.withConnection { db in
            try db.execute(
                """
                SELECT * FROM handset_oauth_device_codes
                WHERE user_code = ? AND status = 'pending' AND expires_at > ?
                """, [.text(userCode), .dateTime(now)]
            ).rows.first.map(Self.authorization(from:))
        }
    }

    package func decide(userCode: String, approve: Bool, sub: String, authTime: Int, now: Date) async throws -> Bool {
        let status = approve ? DeviceAuthorization.Status.approved : .denied
        let result = try await pool.write(
            """
            UPDATE handset_oauth_device_codes SET status = ?, user_sub = ?, auth_time = ?
            WHERE user_code = ? AND status = 'pending' AND expires_at > ?
            """, [.text(status.rawValue), .text(sub), .int(Int64(authTime)), .text(userCode), .dateTime(now)])
        return result.affectedRows == 1
    }

    package func poll(deviceCodeHash: String, clientId: String, now: Date) async throws -> DevicePoll {
        try await pool.transaction { db in
            guard
                let row = try db.execute(
                    "SELECT * FROM handset_oauth_device_codes WHERE device_code_hash = ? FOR UPDATE",
                    [.text(deviceCodeHash)]
                ).rows.first
            else { return .invalid }
            var authorization = try Self.authorization(from: row)
            guard authorization.clientId == clientId, authorization.status != .redeemed else { return .invalid }
            guard now < authorization.expiresAt else { return .expired }
            if let last = authorization.lastPolledAt, now.timeIntervalSince(last) < Double(authorization.interval) {
                try db.execute(
                    """
                    UPDATE handset_oauth_device_codes SET interval_seconds = interval_seconds + 5, last_polled_at = ?
                    WHERE device_code_hash = ?
                    """, [.dateTime(now), .text(deviceCodeHash)])
                return .slowDown
            }
            switch authorization.status {
            case .pending:
                try db.execute(
                    "UPDATE handset_oauth_device_codes SET last_polled_at = ? WHERE device_code_hash = ?",
                    [.dateTime(now), .text(deviceCodeHash)])
                return .pending
            case .denied:
                return .denied
            case .approved:
                try db.execute(
                    "UPDATE handset_oauth_device_codes SET status = 'redeemed' WHERE device_code_hash = ?",
                    [.text(deviceCodeHash)])
                authorization.status = .redeemed
                return .approved(authorization)
            case .redeemed:
                return .invalid
            }
        }
    }

    package func purge(before date: Date) async throws {
        try await pool.write("DELETE FROM handset_oauth_device_codes WHERE expires_at < ?", [.dateTime(date)])
    }

    private static func authorization(from row: MySQLRow) throws -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCodeHash: try row.string("device_code_hash"), userCode: try row.string("user_code"),
            clientId: try row.string("client_id"),
            scopes: try row.string("scopes").split(separator: " ").map(String.init),
            status: DeviceAuthorization.Status(rawValue: try row.string("status")) ?? .denied,
            sub: try row.optionalString("user_sub"), authTime: try row.optionalInt64("auth_time").map(Int.init),
            interval: try row.int("interval_seconds"), lastPolledAt: try row.optionalDate("last_polled_at"),
            createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"))
    }
}
