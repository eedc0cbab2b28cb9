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

    /// Users signed up without a password (issue 18), after the device migrations.
    static let passwordlessStatements: [(String, String)] = [
        (
            "identity: passwordless users",
            "ALTER TABLE handset_users ADD COLUMN IF NOT EXISTS passwordless TINYINT(1) NOT NULL DEFAULT 0"
        )
    ]
}
