import Foundation
import GRDB

/// A pending step of a sign-in: what the client must answer next, for whom, until when.
struct ChallengeSession: Sendable, Equatable {
    /// SHA-256 (hex) of the `Session` string; the string itself is never stored.
    var idHash: String
    var clientId: String
    /// The username as the client typed it.
    var username: String
    /// `nil` for the decoy session of an unknown user.
    var userSub: String?
    var challenge: String
    var state: ChallengeState
    var createdAt: Date
    var expiresAt: Date
}

/// What a challenge session remembers between requests.
struct ChallengeState: Codable, Sendable, Equatable {
    /// SHA-256 of the one-time code sent for SMS_MFA or EMAIL_OTP.
    var codeHash: String?
    /// The TOTP secret (base32) handed out by AssociateSoftwareToken during MFA_SETUP.
    var pendingTOTPSecret: String?
    /// Set once VerifySoftwareToken accepted a code during MFA_SETUP.
    var totpSetupVerified: Bool?
    /// Second factors offered by SELECT_MFA_TYPE.
    var choices: [String]?
    /// A decoy PASSWORD_VERIFIER: the username does not exist.
    var decoy: Bool?
    /// SRP_A (public) as the client sent it to InitiateAuth, needed to check its PASSWORD_VERIFIER answer.
    var clientPublicValue: String?
    /// SRP_B (public) as handed out, so that the answer is checked without recomputing it.
    var serverPublicValue: String?

    init(
        codeHash: String? = nil, pendingTOTPSecret: String? = nil, totpSetupVerified: Bool? = nil,
        choices: [String]? = nil, decoy: Bool? = nil, clientPublicValue: String? = nil,
        serverPublicValue: String? = nil
    ) {
        self.clientPublicValue = clientPublicValue
        self.serverPublicValue = serverPublicValue
        self.codeHash = codeHash
        self.pendingTOTPSecret = pendingTOTPSecret
        self.totpSetupVerified = totpSetupVerified
        self.choices = choices
        self.decoy = decoy
    }
}

extension IdentityStore {
    func createSession(_ session: ChallengeSession) async throws {
        let state = String(decoding: try JSONEncoder().encode(session.state), as: UTF8.self)
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO auth_sessions (
                        id_hash, client_id, username, user_sub, challenge, state, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.idHash, session.clientId, session.username, session.userSub, session.challenge, state,
                    session.createdAt.timeIntervalSince1970, session.expiresAt.timeIntervalSince1970,
                ])
        }
    }

    /// Takes a session for answering: atomically marks it used and returns it, or `nil` when it is unknown,
    /// expired or already taken. Of two concurrent answers with one session, exactly one gets it.
    func claimSession(idHash: String, now: Date) async throws -> ChallengeSession? {
        try await database.writer.write { db in
            // Old sessions are dropped on the way; nothing else needs them.
            try db.execute(
                sql: "DELETE FROM auth_sessions WHERE expires_at < ?", arguments: [now.timeIntervalSince1970 - 3600])
            try db.execute(
                sql: "UPDATE auth_sessions SET used = 1 WHERE id_hash = ? AND used = 0 AND expires_at > ?",
                arguments: [idHash, now.timeIntervalSince1970])
            guard db.changesCount == 1,
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM auth_sessions WHERE id_hash = ?", arguments: [idHash])
            else { return nil }
            let stateText: String = row["state"]
            return ChallengeSession(
                idHash: row["id_hash"], clientId: row["client_id"], username: row["username"],
                userSub: row["user_sub"], challenge: row["challenge"],
                state: (try? JSONDecoder().decode(ChallengeState.self, from: Data(stateText.utf8))) ?? ChallengeState(),
                createdAt: Date(timeIntervalSince1970: row["created_at"]),
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]))
        }
    }

    /// Gives a claimed session back after a wrong code, so the user may try again until it expires (the lockout
    /// counter limits how often).
    func releaseSession(idHash: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE auth_sessions SET used = 0 WHERE id_hash = ?", arguments: [idHash])
        }
    }
}
