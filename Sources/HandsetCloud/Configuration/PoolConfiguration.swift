import Foundation
import HandsetCloudStorage
import HandsetWire

/// The user pool's settings, created on first start and kept in the storage (SQLite: `<data dir>/pool.json`) so ids
/// stay stable.
public struct PoolConfiguration: Codable, Sendable, Equatable {
    public var region: String
    public var userPoolId: String
    public var clients: [AppClient]
    public var tokenLifetimes: TokenLifetimes
    public var passwordPolicy: PasswordPolicy
    /// Cognito's `MfaConfiguration`: `OFF`, `OPTIONAL` (users choose) or `ON` (every sign-in needs a second factor;
    /// a user without one is asked to set up TOTP with `MFA_SETUP`).
    public var mfaConfiguration: MFAMode
    /// The second factors users may use: `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`.
    public var enabledMFAs: [String]
    /// When set, `REFRESH_TOKEN_AUTH` returns a new refresh token and revokes the one it was given.
    public var refreshTokenRotation: Bool
    /// The issuer shown in authenticator apps (`otpauth://totp/<issuer>:<user>`).
    public var totpIssuer: String

    public init(
        region: String, userPoolId: String, clients: [AppClient], tokenLifetimes: TokenLifetimes = .init(),
        passwordPolicy: PasswordPolicy = .init(), mfaConfiguration: MFAMode = .optional,
        enabledMFAs: [String] = PoolConfiguration.allMFAs, refreshTokenRotation: Bool = false,
        totpIssuer: String = "Handset"
    ) {
        self.region = region
        self.userPoolId = userPoolId
        self.clients = clients
        self.tokenLifetimes = tokenLifetimes
        self.passwordPolicy = passwordPolicy
        self.mfaConfiguration = mfaConfiguration
        self.enabledMFAs = enabledMFAs
        self.refreshTokenRotation = refreshTokenRotation
        self.totpIssuer = totpIssuer
    }

    /// Every second factor handset-cloud implements.
    public static let allMFAs = ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SMS_MFA"]

    /// Cognito's MFA modes.
    public enum MFAMode: String, Codable, Sendable {
        case off = "OFF"
        case optional = "OPTIONAL"
        case on = "ON"
    }

    enum CodingKeys: String, CodingKey {
        case region, userPoolId, clients, tokenLifetimes, passwordPolicy, mfaConfiguration, enabledMFAs
        case refreshTokenRotation, totpIssuer
    }

    /// Settings added after the first release may be missing from older `pool.json` files: they take defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        region = try container.decode(String.self, forKey: .region)
        userPoolId = try container.decode(String.self, forKey: .userPoolId)
        clients = try container.decode([AppClient].self, forKey: .clients)
        tokenLifetimes = try container.decodeIfPresent(TokenLifetimes.self, forKey: .tokenLifetimes) ?? .init()
        passwordPolicy = try container.decodeIfPresent(PasswordPolicy.self, forKey: .passwordPolicy) ?? .init()
        mfaConfiguration = try container.decodeIfPresent(MFAMode.self, forKey: .mfaConfiguration) ?? .optional
        enabledMFAs = try container.decodeIfPresent([String].self, forKey: .enabledMFAs) ?? Self.allMFAs
        refreshTokenRotation = try container.decodeIfPresent(Bool.self, forKey: .refreshTokenRotation) ?? false
        totpIssuer = try container.decodeIfPresent(String.self, forKey: .totpIssuer) ?? "Handset"
    }

    /// The part of the pool id after `_`, which Cognito's SRP mixes into every password hash.
    public var poolName: String {
        userPoolId.split(separator: "_", maxSplits: 1).last.map(String.init) ?? userPoolId
    }

    /// The client written to `amplify_outputs.json`.
    public var defaultClient: AppClient { clients[0] }

    public func client(id: String) -> AppClient? {
        clients.first { $0.clientId == id }
    }

    /// A new pool with Cognito-shaped random ids.
    public static func generate(region: String = "us-east-1") -> PoolConfiguration {
        PoolConfiguration(
            region: region,
            userPoolId: "\(region)_\(SecureRandom.alphanumeric(9))",
            clients: [
                AppClient(
                    clientId: SecureRandom.lowercaseAlphanumeric(26), name: "handset", secret: nil,
                    allowedFlows: [CognitoAuthFlow.userSRP, CognitoAuthFlow.userPassword, CognitoAuthFlow.refreshToken])
            ])
    }

    /// Reads `pool.json` from a data directory.
    public static func load(from directory: DataDirectory) throws -> PoolConfiguration {
        let file = directory.poolConfiguration
        let configuration: PoolConfiguration
        do {
            configuration = try JSONDecoder().decode(PoolConfiguration.self, from: Data(contentsOf: file))
        } catch {
            throw CloudStartupError.unreadableFile(path: file.path, reason: "\(error)")
        }
        guard !configuration.clients.isEmpty, configuration.userPoolId.contains("_") else {
            throw CloudStartupError.unreadableFile(
                path: file.path, reason: "it needs a userPoolId like us-east-1_AbC123xyz and at least one client")
        }
        return configuration
    }

    /// The pool's settings in the storage, created with new ids on the first start (seeded from the data
    /// directory's `pool.json` when there is one).
    static func loadOrCreate(
        from settings: any SettingsRepository, seed: DataDirectory?
    ) async throws
        -> PoolConfiguration
    {
        let configuration = try await StoredSettings.load(
            .pool, from: settings, seed: seed, defaults: { PoolConfiguration.generate() })
        guard !configuration.clients.isEmpty, configuration.userPoolId.contains("_") else {
            throw CloudStartupError.unreadableFile(
                path: "pool settings", reason: "they need a userPoolId like us-east-1_AbC123xyz and at least one client"
            )
        }
        return configuration
    }
}
