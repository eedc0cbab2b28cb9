import Foundation
import HandsetCloudStorage
import HandsetWire

/// The parts of a provider's OpenID discovery document the pool uses.
struct OIDCProviderMetadata: Sendable, Equatable {
    var issuer: String
    var authorizationEndpoint: URL
    var tokenEndpoint: URL
    var jwksURI: URL

    /// Reads a discovery document; its `issuer` must be the one configured (OpenID Connect Discovery §4.3), and
    /// endpoints must be http(s) URLs.
    static func parse(_ data: Data, expectedIssuer: String) throws -> OIDCProviderMetadata {
        guard let object = (try? JSONValue.parse(data))?.objectValue else {
            throw FederationError.providerAnswer("the discovery document is not JSON")
        }
        func url(_ name: String) throws -> URL {
            guard let text = object[name]?.stringValue, let url = URL(string: text),
                url.scheme == "https" || url.scheme == "http", url.host != nil
            else { throw FederationError.providerAnswer("the discovery document has no usable \(name)") }
            return url
        }
        let issuer = object["issuer"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard issuer == expectedIssuer else {
            throw FederationError.providerAnswer("the discovery document names another issuer")
        }
        return OIDCProviderMetadata(
            issuer: expectedIssuer, authorizationEndpoint: try url("authorization_endpoint"),
            tokenEndpoint: try url("token_endpoint"), jwksURI: try url("jwks_uri"))
    }
}

/// Discovery documents and key sets of the configured providers, cached in this instance for an hour (they are
/// hints: any instance can fetch them again). A key set is fetched again when a token names a key it lacks (the
/// provider rotated), at most once a minute per provider.
actor OIDCProviderDirectory {
    private let http: any UpstreamHTTP
    private let now: @Sendable () -> Date
    private var metadata: [String: (OIDCProviderMetadata, fetchedAt: Date)] = [:]
    private var keySets: [URL: (Data, fetchedAt: Date)] = [:]

    static let cacheLifetime: TimeInterval = 3600
    static let refetchInterval: TimeInterval = 60

    init(http: any UpstreamHTTP, now: @escaping @Sendable () -> Date) {
        self.http = http
        self.now = now
    }

    func metadata(issuer: String) async throws -> OIDCProviderMetadata {
        if let (cached, fetchedAt) = metadata[issuer], now().timeIntervalSince(fetchedAt) < Self.cacheLifetime {
            return cached
        }
        guard let url = URL(string: issuer + "/.well-known/openid-configuration") else {
            throw FederationError.providerAnswer("the issuer is not a URL")
        }
        let (status, body) = try await fetch { try await self.http.get(url) }
        guard status == 200 else { throw FederationError.providerAnswer("discovery answered HTTP \(status)") }
        let parsed = try OIDCProviderMetadata.parse(body, expectedIssuer: issuer)
        metadata[issuer] = (parsed, now())
        return parsed
    }

    /// The key set, fetched again when `refresh` is asked for and the cached copy is over a minute old.
    func keySet(at url: URL, refresh: Bool = false) async throws -> Data {
        if let (cached, fetchedAt) = keySets[url] {
            let age = now().timeIntervalSince(fetchedAt)
            if age < Self.cacheLifetime && !(refresh && age >= Self.refetchInterval) { return cached }
        }
        let (status, body) = try await fetch { try await self.http.get(url) }
        guard status == 200 else { throw FederationError.providerAnswer("the key set answered HTTP \(status)") }
        keySets[url] = (body, now())
        return body
    }

    private func fetch(_ body: () async throws -> (status: Int, body: Data)) async throws -> (Int, Data) {
        do {
            return try await body()
        } catch let error as FederationError {
            throw error
        } catch {
            throw FederationError.providerUnreachable
        }
    }
}
