import HandsetMySQL

/// The MySQL backend's schema: append-only, named migrations (`MySQLMigrator`, one instance migrates while the others
/// wait). MySQL commits DDL at once, so each migration is one statement.
///
/// Every table is InnoDB in utf8mb4. Identifiers, ids and anything compared exactly are `utf8mb4_bin` (byte order,
/// like SQLite's BINARY); times are `DATETIME(6)` in UTC, except `updated_at` of records, kept as the RFC 3339 text
/// the API shows (it sorts as text, as on SQLite). No partial indexes (MySQL has none): where SQLite's indexes are
/// limited to live records, `deleted` is a leading column instead.
package enum MySQLCloudMigrations {
    static let tableOptions = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

    static var migrator: MySQLMigrator {
        var migrator = MySQLMigrator()
        for (name, statement) in statements {
            migrator.register(name, sql: statement)
        }
        // `q` searches an InnoDB FULLTEXT index of the words `SearchWords` cut. Stop words ("the", "for") would not
        // be indexed under the server's default list, which SQLite does not have: the index is built with the
        // list turned off (a session setting read when the index is made). InnoDB leaves words longer than
        // `innodb_ft_max_token_size` out of the index, so the indexed copy has each word cut to that length;
        // `words` keeps them whole for the `LIKE` that checks longer query words.
        migrator.register("records: search words") { connection in
            try connection.query("SET SESSION innodb_ft_enable_stopword = OFF")
            try connection.query(
                """
                CREATE TABLE IF NOT EXISTS handset_record_words (
                    record_key BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                    words MEDIUMTEXT NOT NULL,
                    indexed_words MEDIUMTEXT NOT NULL,
                    FULLTEXT INDEX handset_record_words_indexed (indexed_words)
                ) \(tableOptions)
                """)
        }
        for (name, statement) in laterStatements + hostedUIStatements + legacyTableStatements {
            migrator.register(name, sql: statement)
        }
        // The pool's sent messages are the "mailbox"; "outbox" is only the client's queue of pending writes. A
        // database made before the rename has `handset_outbox`: it is renamed (which takes the DROP privilege on
        // it). A new database made `handset_mailbox` in the first place: nothing to do, and no DROP asked for.
        migrator.register("mailbox: the sent messages' table", renameOldMailbox)
        for (name, statement) in identityAdministrationStatements + deviceStatements + passwordlessStatements {
            migrator.register(name, sql: statement)
        }
        return migrator
    }

    /// Renames the sent messages' table of a database made before "mailbox" was its name; nothing on a newer one.
    package static func renameOldMailbox(_ connection: MySQLConnection) throws {
        let old = try connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            [.text("handset_outbox")])
        guard !old.rows.isEmpty else { return }
        try connection.query("RENAME TABLE handset_outbox TO handset_mailbox")
    }

    /// Migrations added after the first release of this schema (append-only: new ones go at the end).
    private static let laterStatements: [(String, String)] = [
        // Values the API lets through longer than the first columns held (Cognito allows attribute values of 2048
        // characters; a username typed at sign-in is kept in its challenge session whatever its length): TEXT,
        // which does not count towards InnoDB's row size limit. The email index keeps its 191-character prefix.
        (
            "identity: long attribute values",
            """
            ALTER TABLE handset_users MODIFY email TEXT NULL, MODIFY email_folded TEXT NULL,
                MODIFY pending_email TEXT NULL, MODIFY phone_number TEXT NULL, MODIFY pending_phone_number TEXT NULL
            """
        ),
        ("identity: long typed usernames", "ALTER TABLE handset_auth_sessions MODIFY username TEXT NOT NULL"),
    ]

    /// Managed login's tables (after every other area's): secrets only as SHA-256 hashes, times in UTC.
    private static let hostedUIStatements: [(String, String)] = [
        (
            "hosted ui: authorization codes",
            """
            CREATE TABLE IF NOT EXISTS handset_oauth_codes (
                code_hash CHAR(64) NOT NULL PRIMARY KEY,
                client_id VARCHAR(128) NOT NULL,
                redirect_uri VARCHAR(1024) NOT NULL,
                code_challenge VARCHAR(128) NULL,
                user_sub VARCHAR(191) NOT NULL,
                scopes TEXT NOT NULL,
                nonce VARCHAR(2048) NULL,
                auth_time BIGINT NOT NULL,
                created_at DATETIME(6) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                used_at DATETIME(6) NULL,
                origin_jti VARCHAR(64) NULL,
                INDEX handset_oauth_codes_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "hosted ui: sign-ins",
            """
            CREATE TABLE IF NOT EXISTS handset_oauth_sign_ins (
                origin_jti VARCHAR(64) NOT NULL PRIMARY KEY,
                client_id VARCHAR(128) NOT NULL,
                scopes TEXT NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                INDEX handset_oauth_sign_ins_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "hosted ui: browser sessions",
            """
            CREATE TABLE IF NOT EXISTS handset_hosted_ui_sessions (
                id_hash CHAR(64) NOT NULL PRIMARY KEY,
                csrf_token VARCHAR(64) NOT NULL,
                user_sub VARCHAR(191) NULL,
                auth_time BIGINT NULL,
                pending MEDIUMTEXT NULL,
                created_at DATETIME(6) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                INDEX handset_hosted_ui_sessions_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "hosted ui: device codes",
            """
            CREATE TABLE IF NOT EXISTS handset_oauth_device_codes (
                device_code_hash CHAR(64) NOT NULL PRIMARY KEY,
                user_code CHAR(8) NOT NULL,
                client_id VARCHAR(128) NOT NULL,
                scopes TEXT NOT NULL,
                status VARCHAR(16) NOT NULL,
                user_sub VARCHAR(191) NULL,
                auth_time BIGINT NULL,
                interval_seconds INT NOT NULL,
                last_polled_at DATETIME(6) NULL,
                created_at DATETIME(6) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                UNIQUE INDEX handset_oauth_device_codes_user_code (user_code),
                INDEX handset_oauth_device_codes_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "hosted ui: federation requests",
            """
            CREATE TABLE IF NOT EXISTS handset_federation_requests (
                state_hash CHAR(64) NOT NULL PRIMARY KEY,
                provider VARCHAR(64) NOT NULL,
                nonce VARCHAR(128) NOT NULL,
                code_verifier VARCHAR(128) NOT NULL,
                browser_session_hash CHAR(64) NOT NULL,
                continuation MEDIUMTEXT NOT NULL,
                created_at DATETIME(6) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                used TINYINT NOT NULL DEFAULT 0,
                INDEX handset_federation_requests_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "hosted ui: linked identities",
            """
            CREATE TABLE IF NOT EXISTS handset_linked_identities (
                provider_name VARCHAR(64) NOT NULL,
                provider_user_id VARCHAR(255) NOT NULL,
                provider_type VARCHAR(32) NOT NULL,
                user_sub VARCHAR(191) NOT NULL,
                linked_at DATETIME(6) NOT NULL,
                PRIMARY KEY (provider_name, provider_user_id),
                INDEX handset_linked_identities_user (user_sub)
            ) \(tableOptions)
            """
        ),
    ]

    private static let statements: [(String, String)] = [
        (
            "sequences",
            """
            CREATE TABLE IF NOT EXISTS handset_sequences (
                name VARCHAR(191) NOT NULL PRIMARY KEY,
                value BIGINT UNSIGNED NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            "records",
            """
            CREATE TABLE IF NOT EXISTS handset_records (
                record_key BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                collection VARCHAR(64) NOT NULL,
                id VARCHAR(128) NOT NULL,
                owner VARCHAR(191) NOT NULL,
                version INT NOT NULL,
                updated_at VARCHAR(32) NOT NULL,
                seq BIGINT UNSIGNED NULL,
                deleted TINYINT NOT NULL DEFAULT 0,
                body LONGTEXT NOT NULL,
                last_device VARCHAR(400) NULL,
                UNIQUE INDEX handset_records_id (collection, id),
                UNIQUE INDEX handset_records_feed (collection, seq),
                INDEX handset_records_feed_by_owner (collection, owner, seq),
                INDEX handset_records_live (collection, deleted, id),
                INDEX handset_records_live_by_owner (collection, owner, deleted, id),
                INDEX handset_records_updated (collection, deleted, updated_at, id),
                INDEX handset_records_updated_by_owner (collection, owner, deleted, updated_at, id)
            ) \(tableOptions)
            """
        ),
        (
            "records: sort values",
            """
            CREATE TABLE IF NOT EXISTS handset_record_sort (
                record_key BIGINT UNSIGNED NOT NULL,
                field VARCHAR(64) NOT NULL,
                collection VARCHAR(64) NOT NULL,
                id VARCHAR(128) NOT NULL,
                owner VARCHAR(191) NOT NULL,
                deleted TINYINT NOT NULL,
                sort_rank TINYINT NOT NULL,
                sort_number DOUBLE NOT NULL,
                sort_text VARCHAR(255) NOT NULL,
                PRIMARY KEY (record_key, field),
                INDEX handset_record_sort_everyone (
                    collection, field, deleted, sort_rank, sort_number, sort_text, id),
                INDEX handset_record_sort_by_owner (
                    collection, field, owner, deleted, sort_rank, sort_number, sort_text, id)
            ) \(tableOptions)
            """
        ),
        (
            "records: idempotency keys",
            """
            CREATE TABLE IF NOT EXISTS handset_idempotency_keys (
                scope VARCHAR(191) NOT NULL,
                idempotency_key VARCHAR(255) NOT NULL,
                fingerprint VARCHAR(64) NOT NULL,
                status INT NOT NULL,
                headers TEXT NOT NULL,
                body LONGTEXT NOT NULL,
                created_at VARCHAR(32) NOT NULL,
                PRIMARY KEY (scope, idempotency_key),
                INDEX handset_idempotency_keys_by_age (created_at)
            ) \(tableOptions)
            """
        ),
        (
            "identity: users",
            """
            CREATE TABLE IF NOT EXISTS handset_users (
                sub VARCHAR(191) NOT NULL PRIMARY KEY,
                username VARCHAR(191) NOT NULL,
                username_folded VARCHAR(191) NOT NULL,
                email VARCHAR(320) NULL,
                email_folded VARCHAR(320) NULL,
                email_verified TINYINT NOT NULL DEFAULT 0,
                phone_number VARCHAR(64) NULL,
                phone_number_verified TINYINT NOT NULL DEFAULT 0,
                attributes MEDIUMTEXT NOT NULL,
                status VARCHAR(32) NOT NULL,
                enabled TINYINT NOT NULL DEFAULT 1,
                srp_user_id VARCHAR(191) NOT NULL,
                srp_salt VARBINARY(1024) NOT NULL,
                srp_verifier VARBINARY(1024) NOT NULL,
                password_set_at DATETIME(6) NOT NULL,
                created_at DATETIME(6) NOT NULL,
                updated_at DATETIME(6) NOT NULL,
                totp_secret VARBINARY(256) NULL,
                totp_pending_secret VARBINARY(256) NULL,
                totp_verified TINYINT NOT NULL DEFAULT 0,
                totp_last_step BIGINT NULL,
                mfa_totp TINYINT NOT NULL DEFAULT 0,
                mfa_sms TINYINT NOT NULL DEFAULT 0,
                mfa_email TINYINT NOT NULL DEFAULT 0,
                mfa_preferred VARCHAR(32) NULL,
                pending_email VARCHAR(320) NULL,
                pending_phone_number VARCHAR(64) NULL,
                UNIQUE INDEX handset_users_username (username_folded),
                INDEX handset_users_email (email_folded(191))
            ) \(tableOptions)
            """
        ),
        (
            "identity: groups",
            """
            CREATE TABLE IF NOT EXISTS handset_groups (
                name VARCHAR(191) NOT NULL PRIMARY KEY,
                description TEXT NULL,
                precedence INT NULL,
                created_at DATETIME(6) NOT NULL,
                updated_at DATETIME(6) NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            "identity: memberships",
            """
            CREATE TABLE IF NOT EXISTS handset_user_groups (
                user_sub VARCHAR(191) NOT NULL,
                group_name VARCHAR(191) NOT NULL,
                PRIMARY KEY (user_sub, group_name),
                INDEX handset_user_groups_by_group (group_name)
            ) \(tableOptions)
            """
        ),
        (
            "identity: refresh tokens",
            """
            CREATE TABLE IF NOT EXISTS handset_refresh_tokens (
                token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
                user_sub VARCHAR(191) NOT NULL,
                client_id VARCHAR(128) NOT NULL,
                auth_time BIGINT NOT NULL,
                origin_jti VARCHAR(64) NOT NULL,
                event_id VARCHAR(64) NOT NULL,
                issued_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                revoked TINYINT NOT NULL DEFAULT 0,
                rotated_at DATETIME(6) NULL,
                INDEX handset_refresh_tokens_by_user (user_sub),
                INDEX handset_refresh_tokens_by_origin (origin_jti, revoked),
                INDEX handset_refresh_tokens_by_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "identity: challenge sessions",
            """
            CREATE TABLE IF NOT EXISTS handset_auth_sessions (
                id_hash VARCHAR(64) NOT NULL PRIMARY KEY,
                client_id VARCHAR(128) NOT NULL,
                username VARCHAR(512) NOT NULL,
                user_sub VARCHAR(191) NULL,
                challenge VARCHAR(64) NOT NULL,
                state MEDIUMTEXT NOT NULL,
                created_at DATETIME(6) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                used TINYINT NOT NULL DEFAULT 0,
                INDEX handset_auth_sessions_by_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "identity: sign-in failures",
            """
            CREATE TABLE IF NOT EXISTS handset_sign_in_failures (
                subject VARCHAR(191) NOT NULL,
                kind VARCHAR(16) NOT NULL,
                failures INT NOT NULL,
                locked_until DATETIME(6) NULL,
                last_attempt_at DATETIME(6) NOT NULL,
                PRIMARY KEY (subject, kind),
                INDEX handset_sign_in_failures_by_age (last_attempt_at)
            ) \(tableOptions)
            """
        ),
        (
            "identity: verification codes",
            """
            CREATE TABLE IF NOT EXISTS handset_verification_codes (
                user_sub VARCHAR(191) NOT NULL,
                purpose VARCHAR(32) NOT NULL,
                code_hash VARCHAR(64) NOT NULL,
                expires_at DATETIME(6) NOT NULL,
                PRIMARY KEY (user_sub, purpose),
                INDEX handset_verification_codes_by_expiry (expires_at)
            ) \(tableOptions)
            """
        ),
        (
            "notifications: inbox",
            """
            CREATE TABLE IF NOT EXISTS handset_notifications (
                notification_key BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                id VARCHAR(64) NOT NULL,
                user_sub VARCHAR(191) NOT NULL,
                seq BIGINT UNSIGNED NOT NULL,
                kind VARCHAR(32) NOT NULL,
                topic VARCHAR(256) NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                link_collection VARCHAR(64) NULL,
                link_id VARCHAR(128) NULL,
                created_at DATETIME(6) NOT NULL,
                is_read TINYINT NOT NULL DEFAULT 0,
                origin_device VARCHAR(255) NULL,
                UNIQUE INDEX handset_notifications_id (id),
                UNIQUE INDEX handset_notifications_cursor (user_sub, seq),
                INDEX handset_notifications_unread (user_sub, is_read, created_at),
                INDEX handset_notifications_by_age (created_at)
            ) \(tableOptions)
            """
        ),
        (
            "notifications: topics",
            """
            CREATE TABLE IF NOT EXISTS handset_topics (
                name VARCHAR(256) NOT NULL PRIMARY KEY,
                created_by VARCHAR(191) NOT NULL,
                created_at DATETIME(6) NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            "notifications: subscriptions",
            """
            CREATE TABLE IF NOT EXISTS handset_topic_subscriptions (
                topic VARCHAR(256) NOT NULL,
                kind VARCHAR(8) NOT NULL,
                target VARCHAR(191) NOT NULL,
                created_at DATETIME(6) NOT NULL,
                PRIMARY KEY (topic, kind, target)
            ) \(tableOptions)
            """
        ),
        (
            "objects",
            """
            CREATE TABLE IF NOT EXISTS handset_objects (
                object_key VARCHAR(1024) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
                collection VARCHAR(64) NOT NULL,
                record_id VARCHAR(128) NOT NULL,
                field VARCHAR(64) NOT NULL,
                owner VARCHAR(191) NOT NULL,
                file VARCHAR(128) NOT NULL,
                size BIGINT NOT NULL,
                content_type VARCHAR(255) NOT NULL,
                etag VARCHAR(64) NOT NULL,
                tier VARCHAR(16) NOT NULL DEFAULT 'STANDARD',
                attached TINYINT NOT NULL DEFAULT 0,
                created_at DATETIME(6) NOT NULL,
                archived_at DATETIME(6) NULL,
                restore_ready_at DATETIME(6) NULL,
                restore_expires_at DATETIME(6) NULL,
                file_name TEXT NULL,
                INDEX handset_objects_by_record (collection, record_id),
                INDEX handset_objects_by_tier_age (tier, created_at),
                INDEX handset_objects_unattached (owner, attached),
                INDEX handset_objects_unattached_by_age (attached, created_at)
            ) \(tableOptions)
            """
        ),
        (
            "keys: signing keys",
            """
            CREATE TABLE IF NOT EXISTS handset_signing_keys (
                key_number BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                private_key TEXT NOT NULL,
                created_at DATETIME(6) NOT NULL,
                retired_at DATETIME(6) NULL
            ) \(tableOptions)
            """
        ),
        (
            "keys: secrets",
            """
            CREATE TABLE IF NOT EXISTS handset_secrets (
                name VARCHAR(64) NOT NULL PRIMARY KEY,
                value VARBINARY(256) NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            "settings",
            """
            CREATE TABLE IF NOT EXISTS handset_settings (
                name VARCHAR(64) NOT NULL PRIMARY KEY,
                document MEDIUMTEXT NOT NULL,
                updated_at DATETIME(6) NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            "locks",
            """
            CREATE TABLE IF NOT EXISTS handset_locks (
                name VARCHAR(64) NOT NULL PRIMARY KEY
            ) \(tableOptions)
            """
        ),
        ("locks: rows", "INSERT IGNORE INTO handset_locks (name) VALUES ('signing-keys')"),
        (
            "periodic runs",
            """
            CREATE TABLE IF NOT EXISTS handset_periodic (
                name VARCHAR(128) NOT NULL PRIMARY KEY,
                last_run_at DATETIME(6) NOT NULL,
                holder VARCHAR(128) NOT NULL,
                run_id CHAR(36) NOT NULL
            ) \(tableOptions)
            """
        ),
        (
            // The migration's name stays as first released; the table has its later name (see "mailbox" above).
            "outbox",
            """
            CREATE TABLE IF NOT EXISTS handset_mailbox (
                message_key BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                message MEDIUMTEXT NOT NULL
            ) \(tableOptions)
            """
        ),
    ]
}
