extension MySQLCloudMigrations {
    /// Remembered devices (Cognito's `ConfirmDevice`), after every other area's statements.
    static let deviceStatements: [(String, String)] = [
        (
            "identity: confirmed devices",
            """
            CREATE TABLE IF NOT EXISTS handset_devices (
                device_key VARCHAR(128) NOT NULL PRIMARY KEY,
                user_sub VARCHAR(191) NOT NULL,
                group_key VARCHAR(128) NOT NULL,
                srp_salt VARBINARY(1024) NOT NULL,
                srp_verifier VARBINARY(1024) NOT NULL,
                name TEXT NULL,
                remembered TINYINT NOT NULL,
                created_at DATETIME(6) NOT NULL,
                last_modified_at DATETIME(6) NOT NULL,
                last_authenticated_at DATETIME(6) NULL,
                INDEX handset_devices_by_user (user_sub, device_key)
            ) \(tableOptions)
            """
        )
    ]
}
