import Foundation
import HandsetCloudStorage

/// How the notification inbox behaves, kept in `<data dir>/notifications.json` (created with these defaults on
/// first start; keys missing from the file take their defaults).
public struct NotificationSettings: Codable, Sendable, Equatable {
    /// Notifications older than this are gone from inboxes (and purged from the database).
    public var retentionDays: Double
    /// The Cognito group whose members may create topics and publish.
    public var adminGroup: String
    /// The record field that names, by email (or username), the user a record is assigned to.
    public var assigneeField: String
    /// How often a running server looks for notifications that another process (`handset-cloud notify`) wrote to
    /// its database, while long-polls are waiting.
    public var externalWritePollMilliseconds: Int
    /// How often the running server purges notifications past retention.
    public var purgeIntervalSeconds: Double

    public init(
        retentionDays: Double = 30, adminGroup: String = "admins", assigneeField: String = "assignee",
        externalWritePollMilliseconds: Int = 500, purgeIntervalSeconds: Double = 3600
    ) {
        self.retentionDays = retentionDays
        self.adminGroup = adminGroup
        self.assigneeField = assigneeField
        self.externalWritePollMilliseconds = externalWritePollMilliseconds
        self.purgeIntervalSeconds = purgeIntervalSeconds
    }

    enum CodingKeys: String, CodingKey {
        case retentionDays, adminGroup, assigneeField, externalWritePollMilliseconds, purgeIntervalSeconds
    }

    public init(from decoder: any Decoder) throws {
        let defaults = NotificationSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        retentionDays = try container.decodeIfPresent(Double.self, forKey: .retentionDays) ?? defaults.retentionDays
        adminGroup = try container.decodeIfPresent(String.self, forKey: .adminGroup) ?? defaults.adminGroup
        assigneeField = try container.decodeIfPresent(String.self, forKey: .assigneeField) ?? defaults.assigneeField
        externalWritePollMilliseconds =
            try container.decodeIfPresent(Int.self, forKey: .externalWritePollMilliseconds)
            ?? defaults.externalWritePollMilliseconds
        purgeIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .purgeIntervalSeconds) ?? defaults.purgeIntervalSeconds
    }

    /// The settings in the storage (SQLite: `<data dir>/notifications.json`), written with defaults when absent.
    static func loadOrCreate(
        from settings: any SettingsRepository, seed: DataDirectory?
    ) async throws
        -> NotificationSettings
    {
        try await StoredSettings.load(
            .notifications, from: settings, seed: seed, defaults: { NotificationSettings() })
    }

    func validated() throws -> NotificationSettings {
        guard retentionDays > 0, !adminGroup.isEmpty, externalWritePollMilliseconds >= 50, purgeIntervalSeconds > 0
        else {
            throw CloudStartupError.unreadableFile(
                path: "notifications.json",
                reason: "retentionDays and purgeIntervalSeconds must be positive, externalWritePollMilliseconds >= 50")
        }
        return self
    }
}
