import Foundation

/// A third-party identity provider of the pool (Cognito's `IdentityProviderType`), kept in `pool.json` in
/// Cognito's own shape: `ProviderDetails` and `AttributeMapping` are string maps.
///
/// OpenID Connect providers only: `providerDetails` holds `client_id`, `client_secret`, `authorize_scopes`
/// (space-separated), `oidc_issuer` and `attributes_request_method`; the endpoints come from the issuer's discovery
/// document.
public struct IdentityProviderConfiguration: Codable, Sendable, Equatable {
    public var providerName: String
    public var providerType: String
    public var providerDetails: [String: String]
    /// Pool attribute name → the provider's claim name (`"email": "email"`, `"username": "sub"`).
    public var attributeMapping: [String: String]
    /// Other names that pick this provider in `idp_identifier` (an email domain, say).
    public var idpIdentifiers: [String]
    public var createdAt: Date?
    public var lastModifiedAt: Date?

    public init(
        providerName: String, providerType: String = "OIDC", providerDetails: [String: String],
        attributeMapping: [String: String] = [:], idpIdentifiers: [String] = [], createdAt: Date? = nil,
        lastModifiedAt: Date? = nil
    ) {
        self.providerName = providerName
        self.providerType = providerType
        self.providerDetails = providerDetails
        self.attributeMapping = attributeMapping
        self.idpIdentifiers = idpIdentifiers
        self.createdAt = createdAt
        self.lastModifiedAt = lastModifiedAt
    }

    enum CodingKeys: String, CodingKey {
        case providerName, providerType, providerDetails, attributeMapping, idpIdentifiers, createdAt, lastModifiedAt
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        providerName = try container.decode(String.self, forKey: .providerName)
        providerType = try container.decodeIfPresent(String.self, forKey: .providerType) ?? "OIDC"
        providerDetails = try container.decode([String: String].self, forKey: .providerDetails)
        attributeMapping = try container.decodeIfPresent([String: String].self, forKey: .attributeMapping) ?? [:]
        idpIdentifiers = try container.decodeIfPresent([String].self, forKey: .idpIdentifiers) ?? []
        createdAt = try container.decodeIfPresent(Date.self, forKey: .createdAt)
        lastModifiedAt = try container.decodeIfPresent(Date.self, forKey: .lastModifiedAt)
    }

    /// The issuer whose discovery document and keys vouch for the provider's ID tokens.
    public var issuer: String? { providerDetails["oidc_issuer"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
    public var clientId: String? { providerDetails["client_id"] }
    public var clientSecret: String? { providerDetails["client_secret"] }
    /// What the pool asks the provider for; `openid` always.
    public var scopes: [String] {
        var scopes = (providerDetails["authorize_scopes"] ?? "openid").split(separator: " ").map(String.init)
        if !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        return scopes
    }

    /// Google's issuer, for the `Google` provider type (an OpenID Connect provider with a fixed issuer).
    public static let googleIssuer = "https://accounts.google.com"
}
