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
    /// The pool's name (Cognito's `PoolName`).
    public var name: String
    /// The managed-login domain prefix (`CreateUserPoolDomain`); the local cloud serves managed login on its own
    /// address whatever it is.
    public var domain: String?
    /// Third-party OpenID Connect providers users may sign in with.
    public var identityProviders: [IdentityProviderConfiguration]
    public var createdAt: Date?
    public var lastModifiedAt: Date?
    /// The device sign-in of RFC 8628 (beyond Cognito): how long a code lives and how often devices may poll.
    public var deviceAuthorization: DeviceAuthorizationSettings
    /// The custom attributes declared with `AddCustomAttributes` (or in pool.json): only these `custom:*` attributes
    /// may be set.
    public var customAttributes: [CustomAttributeDefinition] = []
    /// Cognito's `DeviceConfiguration`: when set, sign-ins hand out device keys (`NewDeviceMetadata`) that clients
    /// confirm and remember; `nil` (the default) tracks no devices.
    public var deviceConfiguration: DeviceConfiguration?
    /// Cognito's `SignInPolicy.AllowedFirstAuthFactors`: what `USER_AUTH` sign-ins may start with (`PASSWORD`,
    /// `EMAIL_OTP`, `SMS_OTP`). `PASSWORD` covers both the password and its SRP proof.
    public var allowedFirstAuthFactors: [String]

    public init(
        region: String, userPoolId: String, clients: [AppClient], tokenLifetimes: TokenLifetimes = .init(),
        passwordPolicy: PasswordPolicy = .init(), mfaConfiguration: MFAMode = .optional,
        enabledMFAs: [String] = PoolConfiguration.allMFAs, refreshTokenRotation: Bool = false,
        totpIssuer: String = "Handset", name: String = "handset", domain: String? = nil,
        identityProviders: [IdentityProviderConfiguration] = [], createdAt: Date? = nil
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
        self.name = name
        self.domain = domain
        self.identityProviders = identityProviders
        self.createdAt = createdAt
        self.lastModifiedAt = createdAt
        self.deviceAuthorization = DeviceAuthorizationSettings()
        self.allowedFirstAuthFactors = ["PASSWORD"]
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
        case refreshTokenRotation, totpIssuer, name, domain, identityProviders, createdAt, lastModifiedAt
        case deviceAuthorization, customAttributes, deviceConfiguration, allowedFirstAuthFactors
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
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? "handset"
        domain = try container.decodeIfPresent(String.self, forKey: .domain)
        identityProviders =
            try container.decodeIfPresent([IdentityProviderConfiguration].self, forKey: .identityProviders) ?? []
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        lastModifiedAt = try container.decodeIfPresent(Date.self, forKey: .lastModifiedAt)
        deviceAuthorization =
            try container.decodeIfPresent(DeviceAuthorizationSettings.self, forKey: .deviceAuthorization) ?? .init()
        customAttributes =
            try container.decodeIfPresent([CustomAttributeDefinition].self, forKey: .customAttributes) ?? []
        deviceConfiguration = try container.decodeIfPresent(DeviceConfiguration.self, forKey: .deviceConfiguration)
        allowedFirstAuthFactors =
            try container.decodeIfPresent([String].self, forKey: .allowedFirstAuthFactors) ?? ["PASSWORD"]
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

    /// The token lifetimes of a client: its own, else the pool's.
    public func tokenLifetimes(for client: AppClient) -> TokenLifetimes {
        client.tokenValidity?.lifetimes ?? tokenLifetimes
    }

    public func identityProvider(named name: String) -> IdentityProviderConfiguration? {
        identityProviders.first { $0.providerName == name }
    }

    /// A new pool with Cognito-shaped random ids.
    public static func generate(region: String = "us-east-1", now: Date = Date()) -> PoolConfiguration {
        PoolConfiguration(
            region: region,
            userPoolId: "\(region)_\(SecureRandom.alphanumeric(9))",
            clients: [
                AppClient(
                    clientId: SecureRandom.lowercaseAlphanumeric(26), name: "handset", secret: nil,
                    allowedFlows: [
                        CognitoAuthFlow.userSRP, CognitoAuthFlow.userPassword, CognitoAuthFlow.refreshToken,
                    ],
                    createdAt: now, lastModifiedAt: now)
            ], domain: "handset-\(SecureRandom.lowercaseAlphanumeric(8))", createdAt: now)
    }

    /// Reads `pool.json` from a data directory.
    public static func load(from directory: DataDirectory) throws -> PoolConfiguration {
        let file = directory.poolConfiguration
        let configuration: PoolConfiguration
        do {
            configuration = try decode(Data(contentsOf: file))
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
        // Dates as seconds since 1970, as `fileContents` writes them (not `StoredSettings`' encoding).
        let seedFile = seed?.poolConfiguration
        let data = try await settings.document(.pool) {
            if let seedFile, let data = try? Data(contentsOf: seedFile) { return data }
            return try PoolConfiguration.generate().fileContents()
        }
        let configuration: PoolConfiguration
        do {
            configuration = try decode(data)
        } catch {
            throw CloudStartupError.unreadableFile(path: "pool settings", reason: "\(error)")
        }
        guard !configuration.clients.isEmpty, configuration.userPoolId.contains("_") else {
            throw CloudStartupError.unreadableFile(
                path: "pool settings", reason: "they need a userPoolId like us-east-1_AbC123xyz and at least one client"
            )
        }
        return configuration
    }

    /// `pool.json` as written: pretty, keys sorted, dates as seconds since 1970.
    func fileContents() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Reads `pool.json` text (dates as seconds since 1970).
    static func decode(_ data: Data) throws -> PoolConfiguration {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(PoolConfiguration.self, from: data)
    }
}

/// How device sign-in codes behave (RFC 8628): `intervalSeconds` between polls (5, the RFC's default),
/// `lifetimeSeconds` until the codes expire (10 minutes).
public struct DeviceAuthorizationSettings: Codable, Sendable, Equatable {
    public var intervalSeconds: Int
    public var lifetimeSeconds: Int

    public init(intervalSeconds: Int = 5, lifetimeSeconds: Int = 600) {
        self.intervalSeconds = intervalSeconds
        self.lifetimeSeconds = lifetimeSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intervalSeconds = max(1, try container.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? 5)
        lifetimeSeconds = max(30, try container.decodeIfPresent(Int.self, forKey: .lifetimeSeconds) ?? 600)
    }

    enum CodingKeys: String, CodingKey {
        case intervalSeconds, lifetimeSeconds
    }
}
