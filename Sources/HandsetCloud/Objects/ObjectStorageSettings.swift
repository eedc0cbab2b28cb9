import Foundation
import HandsetCloudStorage

/// How object storage behaves, kept in `<data dir>/storage.json` (created with these defaults on first start; keys
/// missing from the file take their defaults).
public struct ObjectStorageSettings: Codable, Sendable, Equatable {
    /// The bucket name in storage URLs (`/_s3/<bucket>/<key>`).
    public var bucket: String
    /// Uploads over this many bytes get 413, at presign and at the storage endpoint.
    public var maximumSize: Int
    /// Content types an upload may declare: exact (`application/pdf`), a family (`image/*`) or anything (`*/*`).
    public var allowedContentTypes: [String]
    /// How long a signed URL stays valid.
    public var urlLifetimeSeconds: Int
    /// The lifecycle rule: objects older than this move to the archive tier (Glacier).
    public var archiveAfterDays: Double
    /// How often the running server applies the lifecycle rule (`handset-cloud objects lifecycle` runs it at once).
    public var lifecycleIntervalSeconds: Double
    /// How long a restore of an archived object takes before the object can be downloaded.
    public var restoreDelaySeconds: Double
    /// How long a restored copy stays downloadable, as S3's `RestoreRequest.Days`.
    public var restoredCopyDays: Double
    /// Uploads that no record field ever referred to are removed by the lifecycle run after this long.
    public var unattachedGraceHours: Double
    /// How many uploads no record refers to yet one user may hold at once (a new one past it gets 429).
    public var unattachedQuotaCount: Int
    /// How many bytes of such uploads one user may hold at once.
    public var unattachedQuotaBytes: Int

    public static let defaultContentTypes = [
        "image/*", "audio/*", "video/*", "text/*", "application/pdf", "application/json", "application/zip",
        "application/octet-stream",
    ]

    public init(
        bucket: String = "handset-objects", maximumSize: Int = 256 * 1024 * 1024,
        allowedContentTypes: [String] = ObjectStorageSettings.defaultContentTypes, urlLifetimeSeconds: Int = 900,
        archiveAfterDays: Double = 30, lifecycleIntervalSeconds: Double = 3600, restoreDelaySeconds: Double = 300,
        restoredCopyDays: Double = 7, unattachedGraceHours: Double = 24, unattachedQuotaCount: Int = 100,
        unattachedQuotaBytes: Int = 1024 * 1024 * 1024
    ) {
        self.bucket = bucket
        self.maximumSize = maximumSize
        self.allowedContentTypes = allowedContentTypes
        self.urlLifetimeSeconds = urlLifetimeSeconds
        self.archiveAfterDays = archiveAfterDays
        self.lifecycleIntervalSeconds = lifecycleIntervalSeconds
        self.restoreDelaySeconds = restoreDelaySeconds
        self.restoredCopyDays = restoredCopyDays
        self.unattachedGraceHours = unattachedGraceHours
        self.unattachedQuotaCount = unattachedQuotaCount
        self.unattachedQuotaBytes = unattachedQuotaBytes
    }

    enum CodingKeys: String, CodingKey {
        case bucket, maximumSize, allowedContentTypes, urlLifetimeSeconds, archiveAfterDays, lifecycleIntervalSeconds
        case restoreDelaySeconds, restoredCopyDays, unattachedGraceHours, unattachedQuotaCount, unattachedQuotaBytes
    }

    public init(from decoder: any Decoder) throws {
        let defaults = ObjectStorageSettings()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bucket = try container.decodeIfPresent(String.self, forKey: .bucket) ?? defaults.bucket
        maximumSize = try container.decodeIfPresent(Int.self, forKey: .maximumSize) ?? defaults.maximumSize
        allowedContentTypes =
            try container.decodeIfPresent([String].self, forKey: .allowedContentTypes) ?? defaults.allowedContentTypes
        urlLifetimeSeconds =
            try container.decodeIfPresent(Int.self, forKey: .urlLifetimeSeconds) ?? defaults.urlLifetimeSeconds
        archiveAfterDays =
            try container.decodeIfPresent(Double.self, forKey: .archiveAfterDays) ?? defaults.archiveAfterDays
        lifecycleIntervalSeconds =
            try container.decodeIfPresent(Double.self, forKey: .lifecycleIntervalSeconds)
            ?? defaults.lifecycleIntervalSeconds
        restoreDelaySeconds =
            try container.decodeIfPresent(Double.self, forKey: .restoreDelaySeconds) ?? defaults.restoreDelaySeconds
        restoredCopyDays =
            try container.decodeIfPresent(Double.self, forKey: .restoredCopyDays) ?? defaults.restoredCopyDays
        unattachedGraceHours =
            try container.decodeIfPresent(Double.self, forKey: .unattachedGraceHours) ?? defaults.unattachedGraceHours
        unattachedQuotaCount =
            try container.decodeIfPresent(Int.self, forKey: .unattachedQuotaCount) ?? defaults.unattachedQuotaCount
        unattachedQuotaBytes =
            try container.decodeIfPresent(Int.self, forKey: .unattachedQuotaBytes) ?? defaults.unattachedQuotaBytes
    }

    /// Whether an upload may declare `contentType` (parameters such as `; charset=utf-8` are ignored).
    func allows(contentType: String) -> Bool {
        let type = Self.mediaType(contentType)
        guard let slash = type.firstIndex(of: "/"), slash != type.startIndex, type.index(after: slash) != type.endIndex
        else { return false }
        let family = type[..<slash]
        return allowedContentTypes.contains { pattern in
            let pattern = pattern.lowercased()
            return pattern == "*/*" || pattern == type || pattern == "\(family)/*"
        }
    }

    /// `text/plain; charset=utf-8` → `text/plain`, lowercased.
    static func mediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
    }

    /// The settings in the storage (SQLite: `<data dir>/storage.json`), written with defaults when absent.
    static func loadOrCreate(
        from settings: any SettingsRepository, seed: DataDirectory?
    ) async throws
        -> ObjectStorageSettings
    {
        try await StoredSettings.load(.storage, from: settings, seed: seed, defaults: { ObjectStorageSettings() })
    }

    func validated() throws -> ObjectStorageSettings {
        guard !bucket.isEmpty, bucket.unicodeScalars.allSatisfy({ ObjectKey.isSafe($0) && $0 != "/" }),
            maximumSize > 0, urlLifetimeSeconds > 0, urlLifetimeSeconds <= 604_800, archiveAfterDays >= 0,
            lifecycleIntervalSeconds > 0, lifecycleIntervalSeconds < 1e9, restoreDelaySeconds >= 0,
            restoredCopyDays > 0, unattachedGraceHours >= 0, unattachedQuotaCount >= 0, unattachedQuotaBytes >= 0
        else {
            throw CloudStartupError.unreadableFile(
                path: "storage.json",
                reason: "bucket must be letters, digits, '.', '-' or '_'; sizes, lifetimes and intervals positive")
        }
        return self
    }
}
