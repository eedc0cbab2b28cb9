import Foundation
import GRDB
import HandsetCloudStorage

package struct SQLiteDeviceCodeRepository: DeviceCodeRepository {
    let database: CloudDatabase

    package func create(_ authorization: DeviceAuthorization) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO oauth_device_codes (
                        device_code_hash, user_code, client_id, scopes, status, interval_seconds, created_at,
                        expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    authorization.deviceCodeHash, authorization.userCode, authorization.clientId,
                    authorization.scopes.joined(separator: " "), authorization.status.rawValue, authorization.interval,
                    authorization.createdAt.timeIntervalSince1970, authorization.expiresAt.timeIntervalSince1970,
                ])
            return db.changesCount == 1
        }
    }

    package func pending(userCode: String, now: Date) async throws -> DeviceAuthorization? {
        try await database.writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM oauth_device_codes WHERE user_code = ? AND status = 'pending' AND expires_at > ?",
                arguments: [userCode, now.timeIntervalSince1970]
            ).map(Self.authorization(from:))
        }
    }

    package func decide(userCode: String, approve: Bool, sub: String, authTime: Int, now: Date) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE oauth_device_codes SET status = ?, user_sub = ?, auth_time = ?
                    WHERE user_code = ? AND status = 'pending' AND expires_at > ?
                    """,
                arguments: [
                    approve ? DeviceAuthorization.Status.approved.rawValue : DeviceAuthorization.Status.denied.rawValue,
                    sub, authTime, userCode, now.timeIntervalSince1970,
                ])
            return db.changesCount == 1
        }
    }

    package func poll(deviceCodeHash: String, clientId: String, now: Date) async throws -> DevicePoll {
        try await database.writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM oauth_device_codes WHERE device_code_hash = ?",
                    arguments: [deviceCodeHash])
            else { return .invalid }
            var authorization = Self.authorization(from: row)
            guard authorization.clientId == clientId, authorization.status != .redeemed else { return .invalid }
            guard now < authorization.expiresAt else { return .expired }
            if let last = authorization.lastPolledAt, now.timeIntervalSince(last) < Double(authorization.interval) {
                try db.execute(
                    sql: """
                        UPDATE oauth_device_codes SET interval_seconds = interval_seconds + 5, last_polled_at = ?
                        WHERE device_code_hash = ?
                        """,
                    arguments: [now.timeIntervalSince1970, deviceCodeHash])
                return .slowDown
            }
            switch authorization.status {
            case .pending:
                try db.execute(
                    sql: "UPDATE oauth_device_codes SET last_polled_at = ? WHERE device_code_hash = ?",
                    arguments: [now.timeIntervalSince1970, deviceCodeHash])
                return .pending
            case .denied:
                return .denied
            case .approved:
                try db.execute(
                    sql: "UPDATE oauth_device_codes SET status = 'redeemed' WHERE device_code_hash = ?",
                    arguments: [deviceCodeHash])
                authorization.status = .redeemed
                return .approved(authorization)
            case .redeemed:
                return .invalid
            }
        }
    }

    package func purge(before date: Date) async throws {
        try await database.writer.write { db in
            try db.execute(
                sql: "DELETE FROM oauth_device_codes WHERE expires_at < ?", arguments: [date.timeIntervalSince1970])
        }
    }

    private static func authorization(from row: Row) -> DeviceAuthorization {
        let scopes: String = row["scopes"]
        return DeviceAuthorization(
            deviceCodeHash: row["device_code_hash"], userCode: row["user_code"], clientId: row["client_id"],
            scopes: scopes.split(separator: " ").map(String.init),
            status: DeviceAuthorization.Status(rawValue: row["status"]) ?? .denied, sub: row["user_sub"],
            authTime: row["auth_time"], interval: row["interval_seconds"],
            lastPolledAt: (row["last_polled_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
    }
}
