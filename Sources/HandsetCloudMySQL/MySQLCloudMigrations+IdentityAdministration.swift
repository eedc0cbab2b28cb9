extension MySQLCloudMigrations {
    /// Group roles and sign-in events (issue 18).
    static let identityAdministrationStatements: [(String, String)] = [
        ("identity: group roles", "ALTER TABLE handset_groups ADD COLUMN IF NOT EXISTS role_arn VARCHAR(2048) NULL"),
        (
            "identity: sign-in events",
            """
            CREATE TABLE IF NOT EXISTS handset_auth_events (
                event_id VARCHAR(64) NOT NULL PRIMARY KEY,
                user_sub VARCHAR(191) NOT NULL,
                event_type VARCHAR(64) NOT NULL,
                response VARCHAR(16) NOT NULL,
                challenges VARCHAR(255) NOT NULL,
                client_id VARCHAR(128) NULL,
                created_at DATETIME(6) NOT NULL,
                INDEX handset_auth_events_by_user (user_sub, created_at, event_id)
            ) \(tableOptions)
            """
        ),
    ]
}
