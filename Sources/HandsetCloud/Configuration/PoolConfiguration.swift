import Foundation
import HandsetWire

/// The user pool's settings, created on first start and kept in `<data dir>/pool.json` so ids stay stable.
public struct PoolConfiguration: Codable, Sendable, Equatable {
    public var region: String
    public var userPoolId: String
    public var clients: [AppClient]
    public var tokenLifetimes: TokenLifetimes
    public var passwordPolicy: PasswordPolicy

    public init(
        region: String, userPoolId: String, clients: [AppClient], tokenLifetimes: TokenLifetimes = .init(),
        passwordPolicy: PasswordPolicy = .init()
    ) {
        self.region = region
        self.userPoolId = userPoolId
        self.clients = clients
        self.tokenLifetimes = tokenLifetimes
        self.passwordPolicy = passwordPolicy
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

    /// Reads `pool.json`, creating it with new ids on the first start.
    static func loadOrCreate(in directory: DataDirectory) throws -> PoolConfiguration {
        if FileManager.default.fileExists(atPath: directory.poolConfiguration.path) {
            return try load(from: directory)
        }
        let configuration = PoolConfiguration.generate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try AtomicFile.write(encoder.encode(configuration), to: directory.poolConfiguration, permissions: 0o600)
        } catch {
            throw CloudStartupError.unwritableFile(path: directory.poolConfiguration.path, reason: "\(error)")
        }
        return configuration
    }
}
