import GRDB
import HandsetCloudStorage

extension CloudDatabase {
    /// Migrations of the security review (issue 12), registered after every other area's so that databases
    /// created before them apply them last, in this order.
    static func registerHardeningMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("identity: pending contact changes, rotated refresh tokens, purge indexes") { db in
            try db.execute(
                sql: """
                    -- A new email or phone number waits here, unverified, while the verified one stays in use.
                    ALTER TABLE users ADD COLUMN pending_email TEXT;
                    ALTER TABLE users ADD COLUMN pending_phone_number TEXT;
                    -- When rotation replaced the token: presenting it again after that is a reuse.
                    ALTER TABLE refresh_tokens ADD COLUMN rotated_at REAL;
                    CREATE INDEX sign_in_failures_by_age ON sign_in_failures(last_attempt_at);
                    CREATE INDEX verification_codes_by_expiry ON verification_codes(expires_at);
                    """)
        }
        migrator.registerMigration("objects: the uploader's file name, unattached uploads by owner") { db in
            try db.execute(
                sql: """
                    -- The name the person gave the file (any characters), for Content-Disposition on download.
                    ALTER TABLE objects ADD COLUMN file_name TEXT;
                    CREATE INDEX objects_unattached_by_owner ON objects(owner, attached);
                    """)
        }
    }
}
