import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// The user pool's migrations (named `identity: ...`), appended after the skeleton's. Times are seconds since
    /// 1970 (REAL), from the injected clock.
    static func registerIdentityMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity: MFA, attributes, groups, challenge sessions, lockout, codes") { db in
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN phone_number TEXT;
                    ALTER TABLE users ADD COLUMN phone_number_verified INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
                    ALTER TABLE users ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
                    ALTER TABLE users ADD COLUMN password_set_at REAL NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN updated_at REAL NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN totp_secret BLOB;
                    ALTER TABLE users ADD COLUMN totp_pending_secret BLOB;
                    ALTER TABLE users ADD COLUMN totp_verified INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
                    ALTER TABLE users ADD COLUMN mfa_totp INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN mfa_sms INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN mfa_email INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE users ADD COLUMN mfa_preferred TEXT;

                    CREATE TABLE user_pool_groups (
                        name TEXT PRIMARY KEY NOT NULL,
                        description TEXT,
                        precedence INTEGER,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    INSERT OR IGNORE INTO user_pool_groups (name, created_at, updated_at)
                        SELECT DISTINCT group_name, 0, 0 FROM user_groups;

                    CREATE INDEX refresh_tokens_by_origin ON refresh_tokens(origin_jti);

                    CREATE TABLE auth_sessions (
                        id_hash TEXT PRIMARY KEY NOT NULL,
                        client_id TEXT NOT NULL,
                        username TEXT NOT NULL,
                        user_sub TEXT,
                        challenge TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT '{}',
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        used INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX auth_sessions_by_expiry ON auth_sessions(expires_at);

                    CREATE TABLE sign_in_failures (
                        subject TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        failures INTEGER NOT NULL,
                        locked_until REAL,
                        last_attempt_at REAL NOT NULL,
                        PRIMARY KEY (subject, kind)
                    );

                    CREATE TABLE verification_codes (
                        user_sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
                        purpose TEXT NOT NULL,
                        code_hash TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        PRIMARY KEY (user_sub, purpose)
                    );
                    """)
        }
    }
}
