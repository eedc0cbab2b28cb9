import Foundation
import HandsetCloudStorage
import HandsetMySQL
import HandsetSRP

/// The user pool's state in MySQL/MariaDB. Every method is one transaction; what must hold across instances holds
/// through row locks and conditional updates: a username is unique through a unique index on its folded form, a
/// challenge session or a refresh token is taken by an UPDATE whose matched-row count decides, and lockout counters
/// are counted under their row's lock.
package struct MySQLIdentityRepository: IdentityRepository {
    let pool: MySQLPool

    /// Usernames and emails compare as SQLite's NOCASE and `lower()` compare them: ASCII letters folded, every other
    /// character as is. The folded form is stored beside the name and indexed.
    static func folded(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar
                }))
    }

    // MARK: Users

    package func user(named username: String) async throws -> PoolUser? {
        try await pool.withConnection { db in try Self.user(named: username, db: db) }
    }

    package func user(sub: String) async throws -> PoolUser? {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_users WHERE sub = ?", [.text(sub)]).rows.first
                .map { try Self.user(from: $0, db: db) }
        }
    }

    package func create(_ user: PoolUser) async throws {
        try await pool.transaction { db in
            do {
                try db.execute(
                    """
                    INSERT INTO handset_users (sub, username, username_folded, status, srp_user_id, srp_salt,
                        srp_verifier, attributes, password_set_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)
                    """,
                    [
                        .text(user.sub), .text(user.username), .text(Self.folded(user.username)),
                        .text(user.status.rawValue), .text(user.userIdForSRP), .bytes(user.password.salt),
                        .bytes(user.password.verifier), .dateTime(user.passwordSetAt), .dateTime(user.createdAt),
                        .dateTime(user.updatedAt),
                    ])
            } catch let error as MySQLError where error.isDuplicateKey {
                throw IdentityRepositoryFailure.usernameExists
            }
            try Self.write(user, db: db)
        }
    }

    @discardableResult
    package func update(
        sub: String, _ change: @Sendable @escaping (inout PoolUser) throws -> Void
    ) async throws
        -> PoolUser
    {
        try await pool.transaction { db in
            guard
                let row = try db.execute("SELECT * FROM handset_users WHERE sub = ? FOR UPDATE", [.text(sub)]).rows
                    .first
            else { throw IdentityRepositoryFailure.userNotFound }
            var user = try Self.user(from: row, db: db)
            try change(&user)
            try Self.write(user, db: db)
            return user
        }
    }

    package func delete(sub: String) async throws {
        try await pool.transaction { db in
            for table in [
                "handset_users", "handset_user_groups", "handset_refresh_tokens", "handset_verification_codes",
                "handset_linked_identities", "handset_auth_events", "handset_devices",
            ] {
                let column = table == "handset_users" ? "sub" : "user_sub"
                try db.execute("DELETE FROM \(table) WHERE \(column) = ?", [.text(sub)])
            }
        }
    }

    package func users(after afterUsername: String?, limit: Int) async throws -> [PoolUser] {
        try await pool.withConnection { db in
            try db.execute(
                "SELECT * FROM handset_users WHERE username_folded > ? ORDER BY username_folded LIMIT ?",
                [.text(Self.folded(afterUsername ?? "")), .int(Int64(limit))]
            ).rows.map { try Self.user(from: $0, db: db) }
        }
    }

    package func acceptTOTPStep(sub: String, step: Int64) async throws -> Bool {
        try await completeSignIn(SignInCompletion(sub: sub, totpStep: step, clearedCounters: [.init(sub, .mfa)]))
    }

    // MARK: Groups

    package func createGroup(_ group: PoolGroup) async throws {
        try await pool.transaction { db in
            do {
                try db.execute(
                    """
                    INSERT INTO handset_groups (name, description, precedence, role_arn, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(group.name), MySQLValue(group.description), MySQLValue(group.precedence),
                        MySQLValue(group.roleArn),
                        .dateTime(group.createdAt), .dateTime(group.updatedAt),
                    ])
            } catch let error as MySQLError where error.isDuplicateKey {
                throw IdentityRepositoryFailure.groupExists
            }
        }
    }

    package func group(named name: String) async throws -> PoolGroup? {
        try await pool.withConnection { db in try Self.group(named: name, db: db) }
    }

    package func groups(of sub: String) async throws -> [PoolGroup] {
        try await pool.withConnection { db in
            try db.execute(
                """
                SELECT g.* FROM handset_groups g JOIN handset_user_groups m ON m.group_name = g.name
                WHERE m.user_sub = ? ORDER BY g.name
                """, [.text(sub)]
            ).rows.map(Self.group(from:))
        }
    }

    package func allGroups() async throws -> [PoolGroup] {
        try await pool.withConnection { db in
            try db.execute("SELECT * FROM handset_groups ORDER BY name").rows.map(Self.group(from:))
        }
    }

    package func setMembership(sub: String, group: String, member: Bool) async throws {
        try await pool.transaction { db in
            guard try Self.group(named: group, db: db) != nil else { throw IdentityRepositoryFailure.groupNotFound }
            guard !(try db.execute("SELECT 1 FROM handset_users WHERE sub = ?", [.text(sub)]).rows.isEmpty) else {
                throw IdentityRepositoryFailure.userNotFound
            }
            if member {
                try db.execute(
                    "INSERT IGNORE INTO handset_user_groups (user_sub, group_name) VALUES (?, ?)",
                    [.text(sub), .text(group)])
            } else {
                try db.execute(
                    "DELETE FROM handset_user_groups WHERE user_sub = ? AND group_name = ?", [.text(sub), .text(group)])
            }
        }
    }

    // MARK: Rows

    private static func user(named username: String, db: MySQLConnection) throws -> PoolUser? {
        try db.execute("SELECT * FROM handset_users WHERE username_folded = ?", [.text(folded(username))]).rows.first
            .map { try user(from: $0, db: db) }
    }

    static func group(named name: String, db: MySQLConnection) throws -> PoolGroup? {
        try db.execute("SELECT * FROM handset_groups WHERE name = ?", [.text(name)]).rows.first.map(group(from:))
    }

    static func group(from row: MySQLRow) throws -> PoolGroup {
        PoolGroup(
            name: try row.string("name"), description: try row.optionalString("description"),
            precedence: try row.optionalInt64("precedence").map { Int($0) },
            roleArn: try row.optionalString("role_arn"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    /// Writes every mutable column (the username, sub and creation time never change) and the memberships.
    private static func write(_ user: PoolUser, db: MySQLConnection) throws {
        let attributes = String(
            decoding: try JSONSerialization.data(withJSONObject: user.attributes, options: [.sortedKeys]),
            as: UTF8.self)
        try db.execute(
            """
            UPDATE handset_users SET
                email = ?, email_folded = ?, email_verified = ?, phone_number = ?, phone_number_verified = ?,
                attributes = ?, status = ?, enabled = ?, srp_user_id = ?, srp_salt = ?, srp_verifier = ?,
                password_set_at = ?, updated_at = ?, totp_secret = ?, totp_pending_secret = ?, totp_verified = ?,
                mfa_totp = ?, mfa_sms = ?, mfa_email = ?, mfa_preferred = ?, pending_email = ?, pending_phone_number = ?,
                passwordless = ?
            WHERE sub = ?
            """,
            [
                MySQLValue(user.email), MySQLValue(user.email.map(folded)), MySQLValue(user.emailVerified),
                MySQLValue(user.phoneNumber), MySQLValue(user.phoneNumberVerified), .text(attributes),
                .text(user.status.rawValue), MySQLValue(user.enabled), .text(user.userIdForSRP),
                .bytes(user.password.salt), .bytes(user.password.verifier), .dateTime(user.passwordSetAt),
                .dateTime(user.updatedAt), user.mfa.totpSecret.map { .bytes($0) } ?? .null,
                user.mfa.pendingTOTPSecret.map { .bytes($0) } ?? .null, MySQLValue(user.mfa.totpVerified),
                MySQLValue(user.mfa.totpEnabled), MySQLValue(user.mfa.smsEnabled), MySQLValue(user.mfa.emailEnabled),
                MySQLValue(user.mfa.preferred?.rawValue), MySQLValue(user.pendingEmail),
                MySQLValue(user.pendingPhoneNumber), MySQLValue(user.passwordless), .text(user.sub),
            ])
        try db.execute("DELETE FROM handset_user_groups WHERE user_sub = ?", [.text(user.sub)])
        for group in Set(user.groups).sorted() {
            try db.execute(
                "INSERT IGNORE INTO handset_groups (name, created_at, updated_at) VALUES (?, ?, ?)",
                [.text(group), .dateTime(user.updatedAt), .dateTime(user.updatedAt)])
            try db.execute(
                "INSERT INTO handset_user_groups (user_sub, group_name) VALUES (?, ?)", [.text(user.sub), .text(group)])
        }
    }

    static func user(from row: MySQLRow, db: MySQLConnection) throws -> PoolUser {
        let sub = try row.string("sub")
        let groups = try db.execute(
            "SELECT group_name FROM handset_user_groups WHERE user_sub = ? ORDER BY group_name", [.text(sub)]
        ).rows.map { try $0.string(0) }
        let attributesText = try row.string("attributes")
        let attributes =
            (try? JSONSerialization.jsonObject(with: Data(attributesText.utf8))) as? [String: String] ?? [:]
        return PoolUser(
            sub: sub, username: try row.string("username"), email: try row.optionalString("email"),
            emailVerified: try row.bool("email_verified"), phoneNumber: try row.optionalString("phone_number"),
            phoneNumberVerified: try row.bool("phone_number_verified"), attributes: attributes,
            status: UserStatus(rawValue: try row.string("status")) ?? .unconfirmed, enabled: try row.bool("enabled"),
            userIdForSRP: try row.string("srp_user_id"),
            password: SRPVerifier(salt: try row.bytes("srp_salt"), verifier: try row.bytes("srp_verifier")),
            passwordSetAt: try row.date("password_set_at"), groups: groups,
            mfa: MFASettings(
                totpSecret: try row.optionalBytes("totp_secret"),
                pendingTOTPSecret: try row.optionalBytes("totp_pending_secret"),
                totpVerified: try row.bool("totp_verified"), totpEnabled: try row.bool("mfa_totp"),
                smsEnabled: try row.bool("mfa_sms"), emailEnabled: try row.bool("mfa_email"),
                preferred: try row.optionalString("mfa_preferred").flatMap(MFAFactor.init(rawValue:))),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            pendingEmail: try row.optionalString("pending_email"),
            pendingPhoneNumber: try row.optionalString("pending_phone_number"),
            passwordless: try row.bool("passwordless"))
    }
}
