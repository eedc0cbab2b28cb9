import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// Managed login's tables (named `hosted-ui: ...`), appended after every other area's. Times are seconds since
    /// 1970 (REAL) from the injected clock; secrets are stored as SHA-256 hashes only.
    static func registerHostedUIMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(
            "hosted-ui: authorization codes, browser sessions, device codes, federation, linked identities"
        ) { db in
            try db.execute(
                sql: """
                    CREATE TABLE oauth_authorization_codes (
                        code_hash TEXT PRIMARY KEY NOT NULL,
                        client_id TEXT NOT NULL,
                        redirect_uri TEXT NOT NULL,
                        code_challenge TEXT,
                        user_sub TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        nonce TEXT,
                        auth_time INTEGER NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        used_at REAL,
                        origin_jti TEXT
                    );
                    CREATE INDEX oauth_authorization_codes_by_expiry ON oauth_authorization_codes(expires_at);

                    CREATE TABLE oauth_sign_ins (
                        origin_jti TEXT PRIMARY KEY NOT NULL,
                        client_id TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    CREATE INDEX oauth_sign_ins_by_expiry ON oauth_sign_ins(expires_at);

                    CREATE TABLE hosted_ui_sessions (
                        id_hash TEXT PRIMARY KEY NOT NULL,
                        csrf_token TEXT NOT NULL,
                        user_sub TEXT,
                        auth_time INTEGER,
                        pending TEXT,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    CREATE INDEX hosted_ui_sessions_by_expiry ON hosted_ui_sessions(expires_at);

                    CREATE TABLE oauth_device_codes (
                        device_code_hash TEXT PRIMARY KEY NOT NULL,
                        user_code TEXT NOT NULL UNIQUE,
                        client_id TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        status TEXT NOT NULL,
                        user_sub TEXT,
                        auth_time INTEGER,
                        interval_seconds INTEGER NOT NULL,
                        last_polled_at REAL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL
                    );
                    CREATE INDEX oauth_device_codes_by_expiry ON oauth_device_codes(expires_at);

                    CREATE TABLE federation_requests (
                        state_hash TEXT PRIMARY KEY NOT NULL,
                        provider TEXT NOT NULL,
                        nonce TEXT NOT NULL,
                        code_verifier TEXT NOT NULL,
                        browser_session_hash TEXT NOT NULL,
                        continuation TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        used INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX federation_requests_by_expiry ON federation_requests(expires_at);

                    CREATE TABLE linked_identities (
                        provider_name TEXT NOT NULL,
                        provider_user_id TEXT NOT NULL,
                        provider_type TEXT NOT NULL,
                        user_sub TEXT NOT NULL REFERENCES users(sub) ON DELETE CASCADE,
                        linked_at REAL NOT NULL,
                        PRIMARY KEY (provider_name, provider_user_id)
                    );
                    CREATE INDEX linked_identities_by_user ON linked_identities(user_sub);
                    """)
        }
    }
}
