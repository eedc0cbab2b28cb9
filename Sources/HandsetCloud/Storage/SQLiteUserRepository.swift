import Foundation
import GRDB

/// Users in the cloud's SQLite database.
struct SQLiteUserRepository: UserRepository {
    let database: CloudDatabase

    func user(named username: String) async throws -> StoredUser? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ? COLLATE NOCASE", arguments: [username])
                .map { try Self.user(from: $0, db: db) }
        }
    }

    func user(sub: String) async throws -> StoredUser? {
        try await database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE sub = ?", arguments: [sub])
                .map { try Self.user(from: $0, db: db) }
        }
    }

    func create(_ user: StoredUser) async throws {
        try await database.writer.write { db in
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE username = ? COLLATE NOCASE)",
                arguments: [user.username]) == true
            {
                throw UserRepositoryError.usernameExists
            }
            try db.execute(
                sql: """
                    INSERT INTO users (
                        sub, username, email, email_verified, status, srp_user_id, srp_salt, srp_verifier,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.sub, user.username, user.email, user.emailVerified, user.status.rawValue, user.userIdForSRP,
                    Data(user.password.salt), Data(user.password.verifier), Timestamp.string(from: user.createdAt),
                ])
            for group in user.groups {
                try db.execute(
                    sql: "INSERT INTO user_groups (user_sub, group_name) VALUES (?, ?)", arguments: [user.sub, group])
            }
        }
    }

    private static func user(from row: Row, db: Database) throws -> StoredUser {
        let sub: String = row["sub"]
        let groups = try String.fetchAll(
            db, sql: "SELECT group_name FROM user_groups WHERE user_sub = ? ORDER BY group_name", arguments: [sub])
        let createdAt: String = row["created_at"]
        return StoredUser(
            sub: sub, username: row["username"], email: row["email"], emailVerified: row["email_verified"],
            status: UserStatus(rawValue: row["status"]) ?? .unconfirmed, userIdForSRP: row["srp_user_id"],
            password: SRPVerifier(
                salt: [UInt8](row["srp_salt"] as Data), verifier: [UInt8](row["srp_verifier"] as Data)),
            groups: groups, createdAt: Timestamp.date(from: createdAt) ?? Date(timeIntervalSince1970: 0))
    }
}
