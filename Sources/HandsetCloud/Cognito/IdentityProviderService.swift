import Foundation
import HandsetCloudStorage
import HandsetWire

/// Cognito's identity provider operations (OpenID Connect providers, and Google as one with a fixed issuer),
/// kept in `pool.json`, and `AdminLinkProviderForUser`.
struct IdentityProviderService: Sendable {
    let pool: UserPool
    let identities: any LinkedIdentityRepository

    var operations: [CognitoOperation] {
        [
            .json("CreateIdentityProvider", create), .json("DescribeIdentityProvider", describe),
            .json("UpdateIdentityProvider", update), .json("ListIdentityProviders", list),
            .json("DeleteIdentityProvider", delete), .json("AdminLinkProviderForUser", link),
        ]
    }

    private func requirePool(_ userPoolId: String) throws {
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(AccountService.shown(userPoolId)) does not exist.")
        }
    }

    func create(_ request: IdentityProviderRequestWire) async throws -> IdentityProviderResponseWire {
        try requirePool(request.userPoolId)
        try Self.checkName(request.providerName)
        guard let type = request.providerType, let details = request.providerDetails else {
            throw CognitoError.invalidParameter("ProviderType and ProviderDetails are required")
        }
        let now = pool.now()
        var provider = IdentityProviderConfiguration(
            providerName: request.providerName, providerType: type, providerDetails: [:],
            attributeMapping: request.attributeMapping ?? [:], idpIdentifiers: request.idpIdentifiers ?? [],
            createdAt: now, lastModifiedAt: now)
        provider.providerDetails = try Self.details(details, type: type)
        let created = provider
        let configuration = try await pool.settings.update { configuration in
            guard configuration.identityProvider(named: created.providerName) == nil else {
                throw CognitoError(
                    type: "DuplicateProviderException",
                    message: "A provider with the name \(created.providerName) already exists in this user pool.")
            }
            try Self.checkIdentifiers(created, in: configuration)
            configuration.identityProviders.append(created)
            configuration.lastModifiedAt = now
        }
        return IdentityProviderResponseWire(identityProvider: Self.wire(created, poolId: configuration.userPoolId))
    }

    func describe(_ request: IdentityProviderNameRequestWire) async throws -> IdentityProviderResponseWire {
        try requirePool(request.userPoolId)
        let configuration = pool.configuration
        guard let provider = configuration.identityProvider(named: request.providerName) else {
            throw Self.notFound(request.providerName)
        }
        return IdentityProviderResponseWire(identityProvider: Self.wire(provider, poolId: configuration.userPoolId))
    }

    /// Replaces the members given; the others stay (unlike UpdateUserPoolClient).
    func update(_ request: IdentityProviderRequestWire) async throws -> IdentityProviderResponseWire {
        try requirePool(request.userPoolId)
        let now = pool.now()
        let configuration = try await pool.settings.update { configuration in
            guard
                let index = configuration.identityProviders.firstIndex(where: {
                    $0.providerName == request.providerName
                })
            else { throw Self.notFound(request.providerName) }
            var provider = configuration.identityProviders[index]
            if let details = request.providerDetails {
                var merged = provider.providerDetails
                for (key, value) in details { merged[key] = value }
                provider.providerDetails = try Self.details(merged, type: provider.providerType)
            }
            if let mapping = request.attributeMapping { provider.attributeMapping = mapping }
            if let identifiers = request.idpIdentifiers { provider.idpIdentifiers = identifiers }
            provider.lastModifiedAt = now
            configuration.identityProviders[index] = provider
            try Self.checkIdentifiers(provider, in: configuration)
            configuration.lastModifiedAt = now
        }
        guard let provider = configuration.identityProvider(named: request.providerName) else {
            throw Self.notFound(request.providerName)
        }
        return IdentityProviderResponseWire(identityProvider: Self.wire(provider, poolId: configuration.userPoolId))
    }

    func list(_ request: ListInPoolRequestWire) async throws -> ListIdentityProvidersResponseWire {
        try requirePool(request.userPoolId)
        let page = try PoolConfigurationService.page(
            pool.configuration.identityProviders, request: request, key: \.providerName)
        return ListIdentityProvidersResponseWire(
            providers: page.items.map {
                ProviderDescriptionWire(
                    providerName: $0.providerName, providerType: $0.providerType,
                    lastModifiedDate: ($0.lastModifiedAt ?? $0.createdAt)?.timeIntervalSince1970 ?? 0,
                    creationDate: $0.createdAt?.timeIntervalSince1970 ?? 0)
            }, nextToken: page.next)
    }

    /// Deletes the provider and takes it off every client's `SupportedIdentityProviders`.
    func delete(_ request: IdentityProviderNameRequestWire) async throws -> EmptyWire {
        try requirePool(request.userPoolId)
        try await pool.settings.update { configuration in
            guard configuration.identityProvider(named: request.providerName) != nil else {
                throw Self.notFound(request.providerName)
            }
            configuration.identityProviders.removeAll { $0.providerName == request.providerName }
            for index in configuration.clients.indices {
                configuration.clients[index].supportedIdentityProviders.removeAll { $0 == request.providerName }
            }
        }
        return EmptyWire()
    }

    /// Links a provider identity to an existing user of the pool: signing in through the provider as that identity
    /// then signs in as the user. The identity must not have signed in before (Cognito does not merge users).
    func link(_ request: AdminLinkProviderForUserRequestWire) async throws -> EmptyWire {
        try requirePool(request.userPoolId)
        let destination = request.destinationUser
        guard destination.providerName == "Cognito", let username = destination.providerAttributeValue else {
            throw CognitoError.invalidParameter(
                "DestinationUser must name a user of the pool: ProviderName Cognito and the username")
        }
        let source = request.sourceUser
        guard let providerName = source.providerName, let providerUserId = source.providerAttributeValue,
            !providerUserId.isEmpty, providerUserId.utf8.count <= 255,
            let provider = pool.configuration.identityProvider(named: providerName)
        else { throw CognitoError.invalidParameter("SourceUser must name a configured provider and a user of it") }
        guard source.providerAttributeName == nil || source.providerAttributeName == "Cognito_Subject" else {
            throw CognitoError.invalidParameter(
                "handset-cloud links by the provider's subject only: ProviderAttributeName Cognito_Subject")
        }
        guard let user = try await pool.user(named: username) else { throw CognitoError.userNotFound }
        guard user.status != .externalProvider else {
            throw CognitoError.invalidParameter("The destination user must be a user of the pool, not a federated user")
        }
        if let linked = try await identities.sub(providerName: providerName, providerUserId: providerUserId) {
            if linked == user.sub { return EmptyWire() }
            throw CognitoError(
                type: "AliasExistsException",
                message:
                    "Merging is not currently supported, provide a SourceUser that has not been used to sign in before")
        }
        guard
            try await identities.link(
                LinkedIdentity(
                    providerName: provider.providerName, providerType: provider.providerType,
                    providerUserId: providerUserId, sub: user.sub, linkedAt: pool.now()))
        else {
            throw CognitoError(type: "AliasExistsException", message: "The source user is linked already")
        }
        return EmptyWire()
    }

    // MARK: Rules

    /// Cognito's provider names: 1-32 characters, no underscore (federated usernames are `<Provider>_<sub>`), no
    /// spaces, not `Cognito` or `COGNITO`.
    static func checkName(_ name: String) throws {
        guard (1...32).contains(name.count), !name.contains("_"),
            !name.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || $0.value < 0x20 }
            ),
            name.lowercased() != "cognito"
        else {
            throw CognitoError.invalidParameter(
                "ProviderName must be 1-32 characters without underscores or spaces, and not Cognito")
        }
    }

    /// OpenID Connect details (Google's with its fixed issuer); other types are not served here.
    static func details(_ given: [String: String], type: String) throws -> [String: String] {
        var details = given
        switch type {
        case "OIDC":
            guard details["oidc_issuer"] != nil else {
                throw CognitoError.invalidParameter("ProviderDetails must include oidc_issuer")
            }
            details["attributes_request_method"] = details["attributes_request_method"] ?? "GET"
        case "Google":
            details["oidc_issuer"] = IdentityProviderConfiguration.googleIssuer
        default:
            throw CognitoError.invalidParameter(
                "handset-cloud supports OIDC providers (and Google) only, not \(AccountService.shown(type))")
        }
        guard let clientId = details["client_id"], !clientId.isEmpty, details["authorize_scopes"] != nil else {
            throw CognitoError.invalidParameter("ProviderDetails must include client_id and authorize_scopes")
        }
        guard let issuer = details["oidc_issuer"], let url = URLComponents(string: issuer),
            url.scheme == "https" || (url.scheme == "http" && RedirectURIMatcher.isLoopback(url.host ?? "")),
            url.host?.isEmpty == false, url.fragment == nil, url.query == nil
        else { throw CognitoError.invalidParameter("oidc_issuer must be an https URL (http only on this machine)") }
        return details
    }

    static func checkIdentifiers(_ provider: IdentityProviderConfiguration, in configuration: PoolConfiguration) throws
    {
        for identifier in provider.idpIdentifiers {
            let clash = configuration.identityProviders.contains {
                $0.providerName != provider.providerName && $0.idpIdentifiers.contains(identifier)
            }
            if clash {
                throw CognitoError(
                    type: "DuplicateProviderException", message: "The IdpIdentifier \(identifier) is already in use")
            }
        }
    }

    static func notFound(_ name: String) -> CognitoError {
        CognitoError.resourceNotFound("Identity provider \(AccountService.shown(name)) does not exist.")
    }

    static func wire(_ provider: IdentityProviderConfiguration, poolId: String) -> IdentityProviderWire {
        let created = provider.createdAt?.timeIntervalSince1970 ?? 0
        return IdentityProviderWire(
            userPoolId: poolId, providerName: provider.providerName, providerType: provider.providerType,
            providerDetails: provider.providerDetails, attributeMapping: provider.attributeMapping,
            idpIdentifiers: provider.idpIdentifiers,
            lastModifiedDate: provider.lastModifiedAt?.timeIntervalSince1970 ?? created, creationDate: created)
    }
}
