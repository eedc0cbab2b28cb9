import Foundation
import GRDB
import HandsetCloudStorage
import HandsetSRP

/// The user pool's persistent state in the cloud's SQLite database: users, groups, refresh tokens, challenge
/// sessions, lockout counters and verification codes. Every method is one transaction, so each keeps its invariant
/// under concurrent requests (and, SQLite having one writer at a time, across processes).
package struct SQLiteIdentityRepository: IdentityRepository {
    package let database: CloudDatabase

    package init(database: CloudDatabase) {
        self.database = database
    }

    // MARK: Users

    /// The user with this username, compared case-insensitively as Cognito does.
    package func user(named username: String) async throws -> PoolUser? {
        try await database.writer.read { db in try Self.user(named: username, db: db) }
    }

    package func user(sub: String) async throws -> PoolUser? {
        try await database.writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE sub = ?"), arguments: [sub])
                .map { try Self.user(from: $0, db: db) }
        }
    }

    /// Adds a user; throws `IdentityRepositoryFailure.usernameExists` when the name is taken.
    package func create(_ user: PoolUser) async throws {
        try await database.writer.write { db in
            if try Self.user(named: user.username, db: db) != nil { throw IdentityRepositoryFailure.usernameExists }
            try db.execute(
                sql: """
                    INSERT INTO users (sub, username, status, srp_user_id, srp_salt, srp_verifier, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.sub, user.username, user.status.rawValue, user.userIdForSRP, Data(user.password.salt),
                    Data(user.password.verifier), Timestamp.string(from: user.createdAt),
                ])
            try Self.write(user, db: db)
        }
    }

    /// Reads the user, lets `change` edit it, and writes it back, all in one transaction. Returns the new state;
    /// throws `IdentityRepositoryFailure.userNotFound`.
    @discardableResult
    package func update(
        sub: String, _ change: @Sendable @escaping (inout PoolUser) throws -> Void
    ) async throws -> PoolUser {
        try await database.writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE sub = ?", arguments: [sub]) else {
                throw IdentityRepositoryFailure.userNotFound
            }
            var user = try Self.user(from: row, db: db)
            try change(&user)
            try Self.write(user, db: db)
            return user
        }
    }

    package func delete(sub: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM users WHERE sub = ?", arguments: [sub])
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE user_sub = ?", arguments: [sub])
            try db.execute(sql: "DELETE FROM verification_codes WHERE user_sub = ?", arguments: [sub])
            try db.execute(sql: "DELETE FROM auth_events WHERE user_sub = ?", arguments: [sub])
            try db.execute(sql: "DELETE FROM devices WHERE user_sub = ?", arguments: [sub])
        }
    }

    /// Users in username order, after `afterUsername` when paging.
    package func users(after afterUsername: String?, limit: Int) async throws -> [PoolUser] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM users WHERE username > ? COLLATE NOCASE ORDER BY username COLLATE NOCASE LIMIT ?",
                arguments: [afterUsername ?? "", limit]
            ).map { try Self.user(from: $0, db: db) }
        }
    }

    /// Accepts a TOTP time step at most once per user: true when `step` is later than every step accepted before.
    /// Atomic, so two requests with the same code cannot both pass. An accepted code also clears the user's MFA
    /// failure counter, in the same transaction.
    package func acceptTOTPStep(sub: String, step: Int64) async throws -> Bool {
        try await completeSignIn(SignInCompletion(sub: sub, totpStep: step, clearedCounters: [.init(sub, .mfa)]))
    }

    // MARK: Groups

    package func createGroup(_ group: PoolGroup) async throws {
        try await database.writer.write { db in
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM user_pool_groups WHERE name = ?)", arguments: [group.name])
                == true
            {
                throw IdentityRepositoryFailure.groupExists
            }
            try db.execute(
                sql: """
                    INSERT INTO user_pool_groups (name, description, precedence, role_arn, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    group.name, group.description, group.precedence, group.roleArn,
                    group.createdAt.timeIntervalSince1970,
                    group.updatedAt.timeIntervalSince1970,
                ])
        }
    }

    package func group(named name: String) async throws -> PoolGroup? {
        try await database.writer.read { db in try Self.group(named: name, db: db) }
    }

    package func groups(of sub: String) async throws -> [PoolGroup] {
        try await database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.* FROM user_pool_groups g JOIN user_groups m ON m.group_name = g.name
                    WHERE m.user_sub = ? ORDER BY g.name
                    """, arguments: [sub]
            ).map(Self.group(from:))
        }
    }

    package func allGroups() async throws -> [PoolGroup] {
        try await database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user_pool_groups ORDER BY name").map(Self.group(from:))
        }
    }

    /// Adds or removes a membership; throws `.groupNotFound` or `.userNotFound`.
    package func setMembership(sub: String, group: String, member: Bool) async throws {
        try await database.writer.write { db in
            guard try Self.group(named: group, db: db) != nil else { throw IdentityRepositoryFailure.groupNotFound }
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE sub = ?)", arguments: [sub])
                    == true
            else { throw IdentityRepositoryFailure.userNotFound }
            if member {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO user_groups (user_sub, group_name) VALUES (?, ?)",
                    arguments: [sub, group])
            } else {
                try db.execute(
                    sql: "DELETE FROM user_groups WHERE user_sub = ? AND group_name = ?", arguments: [sub, group])
            }
        }
    }

    // MARK: Rows

    private static func user(named username: String, db: Database) throws -> PoolUser? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM users WHERE username = ? COLLATE NOCASE"), arguments: [username]
        )
        .map { try user(from: $0, db: db) }
    }

    static func group(named name: String, db: Database) throws -> PoolGroup? {
        try Row.fetchOne(db, sql: "SELECT * FROM user_pool_groups WHERE name = ?", arguments: [name]).map(group(from:))
    }

    static func group(from row: Row) -> PoolGroup {
        PoolGroup(
            name: row["name"], description: row["description"], precedence: row["precedence"], roleArn: row["role_arn"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    /// Writes every mutable column (the username, sub and creation time never change).
    private static func write(_ user: PoolUser, db: Database) throws {
        let attributes = String(
            decoding: try JSONSerialization.data(withJSONObject: user.attributes, options: [.sortedKeys]),
            as: UTF8.self)
        try db.execute(
            sql: """
                UPDATE users SET
                    email = ?, email_verified = ?, phone_number = ?, phone_number_verified = ?, attributes = ?,
                    status = ?, enabled = ?, srp_user_id = ?, srp_salt = ?, srp_verifier = ?, password_set_at = ?,
                    updated_at = ?, totp_secret = ?, totp_pending_secret = ?, totp_verified = ?, mfa_totp = ?, mfa_sms = ?, mfa_email = ?,
                    mfa_preferred = ?, pending_email = ?, pending_phone_number = ?, passwordless = ?
                WHERE sub = ?
                """,
            arguments: [
                user.email, user.emailVerified, user.phoneNumber, user.phoneNumberVerified, attributes,
                user.status.rawValue, user.enabled, user.userIdForSRP, Data(user.password.salt),
                Data(user.password.verifier), user.passwordSetAt.timeIntervalSince1970,
                user.updatedAt.timeIntervalSince1970, user.mfa.totpSecret.map { Data($0) },
                user.mfa.pendingTOTPSecret.map { Data($0) }, user.mfa.totpVerified,
                user.mfa.totpEnabled, user.mfa.smsEnabled, user.mfa.emailEnabled, user.mfa.preferred?.rawValue,
                user.pendingEmail, user.pendingPhoneNumber, user.passwordless, user.sub,
            ])
        try db.execute(sql: "DELETE FROM user_groups WHERE user_sub = ?", arguments: [user.sub])
        for group in user.groups {
            try db.execute(
                sql: "INSERT OR IGNORE INTO user_pool_groups (name, created_at, updated_at) VALUES (?, ?, ?)",
                arguments: [group, user.updatedAt.timeIntervalSince1970, user.updatedAt.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT INTO user_groups (user_sub, group_name) VALUES (?, ?)", arguments: [user.sub, group])
        }
    }

    static func user(from row: Row, db: Database) throws -> PoolUser {
        let sub: String = row["sub"]
        let groups = try String.fetchAll(
            db.cachedStatement(sql: "SELECT group_name FROM user_groups WHERE user_sub = ? ORDER BY group_name"),
            arguments: [sub])
        let createdAt: String = row["created_at"]
        let attributesText: String = row["attributes"]
        let attributes =
            (try? JSONSerialization.jsonObject(with: Data(attributesText.utf8))) as? [String: String] ?? [:]
        let created = Timestamp.date(from: createdAt) ?? Date(timeIntervalSince1970: 0)
        let passwordSetAt: Double = row["password_set_at"]
        let updatedAt: Double = row["updated_at"]
        let totpSecret: Data? = row["totp_secret"]
        let pendingSecret: Data? = row["totp_pending_secret"]
        let preferred: String? = row["mfa_preferred"]
        return PoolUser(
            sub: sub, username: row["username"], email: row["email"], emailVerified: row["email_verified"],
            phoneNumber: row["phone_number"], phoneNumberVerified: row["phone_number_verified"],
            attributes: attributes, status: UserStatus(rawValue: row["status"]) ?? .unconfirmed,
            enabled: row["enabled"], userIdForSRP: row["srp_user_id"],
            password: SRPVerifier(
                salt: [UInt8](row["srp_salt"] as Data), verifier: [UInt8](row["srp_verifier"] as Data)),
            passwordSetAt: passwordSetAt > 0 ? Date(timeIntervalSince1970: passwordSetAt) : created,
            groups: groups,
            mfa: MFASettings(
                totpSecret: totpSecret.map { [UInt8]($0) }, pendingTOTPSecret: pendingSecret.map { [UInt8]($0) },
                totpVerified: row["totp_verified"],
                totpEnabled: row["mfa_totp"], smsEnabled: row["mfa_sms"], emailEnabled: row["mfa_email"],
                preferred: preferred.flatMap(MFAFactor.init(rawValue:))),
            createdAt: created, updatedAt: updatedAt > 0 ? Date(timeIntervalSince1970: updatedAt) : created,
            pendingEmail: row["pending_email"], pendingPhoneNumber: row["pending_phone_number"],
            passwordless: row["passwordless"])
    }
}
