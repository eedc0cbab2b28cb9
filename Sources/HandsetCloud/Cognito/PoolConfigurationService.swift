import Foundation
import HandsetCloudStorage
import HandsetWire

/// Cognito's configuration operations for app clients, the managed-login domain and the pool itself, writing
/// `pool.json` through the pool's settings repository (every instance sees the change at its next request).
///
/// Admin operations, behind the loopback gate like the others.
struct PoolConfigurationService: Sendable {
    let pool: UserPool
    let identityProviders: IdentityProviderService

    /// The operations, for the dispatch table.
    var operations: [CognitoOperation] {
        var list: [CognitoOperation] = [
            .json("CreateUserPoolClient", createClient), .json("UpdateUserPoolClient", updateClient),
            .json("DescribeUserPoolClient", describeClient), .json("ListUserPoolClients", listClients),
            .json("DeleteUserPoolClient", deleteClient), .json("CreateUserPoolDomain", createDomain),
            .json("DescribeUserPoolDomain", describeDomain), .json("DeleteUserPoolDomain", deleteDomain),
            .json("DescribeUserPool", describePool), .json("ListUserPools", listPools),
        ]
        list += identityProviders.operations
        for index in list.indices { list[index].isAdmin = true }
        return list
    }

    private func requirePool(_ userPoolId: String) throws {
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(AccountService.shown(userPoolId)) does not exist.")
        }
    }

    // MARK: App clients

    func createClient(_ request: UserPoolClientRequestWire) async throws -> UserPoolClientResponseWire {
        try requirePool(request.userPoolId)
        let now = pool.now()
        var client = AppClient(
            clientId: SecureRandom.lowercaseAlphanumeric(26), name: "", secret: nil, allowedFlows: [],
            callbackURLs: [], logoutURLs: [], allowedOAuthFlows: [], allowedOAuthScopes: [],
            allowedOAuthFlowsUserPoolClient: false, supportedIdentityProviders: [], createdAt: now, lastModifiedAt: now)
        if request.generateSecret == true { client.secret = SecureRandom.lowercaseAlphanumeric(51) }
        let configuration = pool.configuration
        try ClientSettings.apply(request, to: &client, in: configuration, requireName: true)
        let created = client
        let updated = try await pool.settings.update { configuration in
            try ClientSettings.check(created, in: configuration)
            configuration.clients.append(created)
            configuration.lastModifiedAt = now
        }
        return UserPoolClientResponseWire(userPoolClient: Self.wire(created, in: updated))
    }

    /// Cognito's rule: members left out of an update go back to their defaults.
    func updateClient(_ request: UserPoolClientRequestWire) async throws -> UserPoolClientResponseWire {
        try requirePool(request.userPoolId)
        guard let clientId = request.clientId else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"
            )
        }
        let now = pool.now()
        let updated = try await pool.settings.update { configuration in
            guard let index = configuration.clients.firstIndex(where: { $0.clientId == clientId }) else {
                throw Self.clientNotFound(clientId)
            }
            let existing = configuration.clients[index]
            var client = AppClient(
                clientId: existing.clientId, name: existing.name, secret: existing.secret, allowedFlows: [],
                callbackURLs: [], logoutURLs: [], allowedOAuthFlows: [], allowedOAuthScopes: [],
                allowedOAuthFlowsUserPoolClient: false, supportedIdentityProviders: [], createdAt: existing.createdAt,
                lastModifiedAt: now)
            try ClientSettings.apply(request, to: &client, in: configuration, requireName: false)
            try ClientSettings.check(client, in: configuration)
            configuration.clients[index] = client
            configuration.lastModifiedAt = now
        }
        guard let client = updated.client(id: clientId) else { throw Self.clientNotFound(clientId) }
        return UserPoolClientResponseWire(userPoolClient: Self.wire(client, in: updated))
    }

    func describeClient(_ request: UserPoolClientIdRequestWire) async throws -> UserPoolClientResponseWire {
        try requirePool(request.userPoolId)
        let configuration = pool.configuration
        guard let client = configuration.client(id: request.clientId) else {
            throw Self.clientNotFound(request.clientId)
        }
        return UserPoolClientResponseWire(userPoolClient: Self.wire(client, in: configuration))
    }

    func listClients(_ request: ListInPoolRequestWire) async throws -> ListUserPoolClientsResponseWire {
        try requirePool(request.userPoolId)
        let configuration = pool.configuration
        let page = try Self.page(configuration.clients, request: request, key: \.clientId)
        return ListUserPoolClientsResponseWire(
            userPoolClients: page.items.map {
                UserPoolClientDescriptionWire(
                    clientId: $0.clientId, userPoolId: configuration.userPoolId, clientName: $0.name)
            }, nextToken: page.next)
    }

    func deleteClient(_ request: UserPoolClientIdRequestWire) async throws -> EmptyWire {
        try requirePool(request.userPoolId)
        try await pool.settings.update { configuration in
            guard let index = configuration.clients.firstIndex(where: { $0.clientId == request.clientId }) else {
                throw Self.clientNotFound(request.clientId)
            }
            // pool.json must keep a client: amplify_outputs.json names the first one.
            guard configuration.clients.count > 1 else {
                throw CognitoError.invalidParameter("handset-cloud keeps at least one app client; create another first")
            }
            configuration.clients.remove(at: index)
        }
        return EmptyWire()
    }

    static func clientNotFound(_ clientId: String) -> CognitoError {
        CognitoError.resourceNotFound("User pool client \(AccountService.shown(clientId)) does not exist.")
    }

    /// A page of a list in a stable order; `NextToken` is the last key shown.
    static func page<Item>(
        _ items: [Item], request: ListInPoolRequestWire, key: KeyPath<Item, String>
    ) throws -> (items: [Item], next: String?) {
        let limit = request.maxResults ?? 60
        guard (1...60).contains(limit) else {
            throw CognitoError.invalidParameter("MaxResults must be between 1 and 60")
        }
        let sorted = items.sorted { $0[keyPath: key] < $1[keyPath: key] }
        let rest = request.nextToken.map { token in sorted.filter { $0[keyPath: key] > token } } ?? sorted
        let shown = Array(rest.prefix(limit))
        return (shown, rest.count > limit ? shown.last?[keyPath: key] : nil)
    }

    static func wire(_ client: AppClient, in configuration: PoolConfiguration) -> UserPoolClientWire {
        let validity =
            client.tokenValidity
            ?? ClientTokenValidity(
                accessToken: max(configuration.tokenLifetimes.accessTokenSeconds / 60, 1),
                idToken: max(configuration.tokenLifetimes.idTokenSeconds / 60, 1),
                refreshToken: max(configuration.tokenLifetimes.refreshTokenSeconds / 86400, 1),
                accessTokenUnit: .minutes, idTokenUnit: .minutes, refreshTokenUnit: .days)
        let created = (client.createdAt ?? configuration.createdAt ?? Date(timeIntervalSince1970: 0))
            .timeIntervalSince1970
        return UserPoolClientWire(
            userPoolId: configuration.userPoolId, clientName: client.name, clientId: client.clientId,
            clientSecret: client.secret, lastModifiedDate: client.lastModifiedAt?.timeIntervalSince1970 ?? created,
            creationDate: created, refreshTokenValidity: validity.refreshToken,
            accessTokenValidity: validity.accessToken, idTokenValidity: validity.idToken,
            tokenValidityUnits: TokenValidityUnitsWire(
                accessToken: validity.accessTokenUnit.rawValue, idToken: validity.idTokenUnit.rawValue,
                refreshToken: validity.refreshTokenUnit.rawValue),
            explicitAuthFlows: client.allowedFlows.map { "ALLOW_" + $0 }.sorted(),
            supportedIdentityProviders: client.supportedIdentityProviders, callbackURLs: client.callbackURLs,
            logoutURLs: client.logoutURLs, defaultRedirectURI: client.defaultRedirectURI,
            allowedOAuthFlows: client.allowedOAuthFlows, allowedOAuthScopes: client.allowedOAuthScopes,
            allowedOAuthFlowsUserPoolClient: client.allowedOAuthFlowsUserPoolClient,
            preventUserExistenceErrors: "ENABLED", enableTokenRevocation: client.enableTokenRevocation,
            enablePropagateAdditionalUserContextData: false, authSessionValidity: 3)
    }

    // MARK: Domain

    func createDomain(_ request: UserPoolDomainRequestWire) async throws -> CreateUserPoolDomainResponseWire {
        guard let userPoolId = request.userPoolId else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
            )
        }
        try requirePool(userPoolId)
        let domain = request.domain
        guard Self.isValidDomainPrefix(domain) else {
            throw CognitoError.invalidParameter(
                "Domain must be 1-63 lower-case letters, digits and hyphens, and not start or end with a hyphen")
        }
        guard !["aws", "amazon", "cognito"].contains(where: domain.contains) else {
            throw CognitoError.invalidParameter("Domain cannot contain reserved word: aws, amazon or cognito")
        }
        let now = pool.now()
        try await pool.settings.update { configuration in
            if configuration.domain != nil {
                throw CognitoError.invalidParameter("User pool already has a domain configured.")
            }
            configuration.domain = domain
            configuration.lastModifiedAt = now
        }
        return CreateUserPoolDomainResponseWire(managedLoginVersion: request.managedLoginVersion ?? 1)
    }

    /// An unknown domain is described with no members at all, as Cognito answers.
    func describeDomain(_ request: UserPoolDomainRequestWire) async throws -> DescribeUserPoolDomainResponseWire {
        let configuration = pool.configuration
        guard configuration.domain == request.domain else {
            return DescribeUserPoolDomainResponseWire(domainDescription: DomainDescriptionWire())
        }
        return DescribeUserPoolDomainResponseWire(
            domainDescription: DomainDescriptionWire(
                userPoolId: configuration.userPoolId, awsAccountId: "000000000000", domain: request.domain,
                s3Bucket: nil, cloudFrontDistribution: nil, version: "1", status: "ACTIVE", managedLoginVersion: 1))
    }

    func deleteDomain(_ request: UserPoolDomainRequestWire) async throws -> EmptyWire {
        guard let userPoolId = request.userPoolId else {
            throw CognitoError.invalidParameter("UserPoolId is required")
        }
        try requirePool(userPoolId)
        try await pool.settings.update { configuration in
            guard configuration.domain == request.domain else {
                throw CognitoError.invalidParameter("No such domain or user pool exists.")
            }
            configuration.domain = nil
        }
        return EmptyWire()
    }

    static func isValidDomainPrefix(_ domain: String) -> Bool {
        let bytes = Array(domain.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    // MARK: The pool

    func describePool(_ request: UserPoolIdRequestWire) async throws -> DescribeUserPoolResponseWire {
        try requirePool(request.userPoolId)
        let configuration = pool.configuration
        let policy = configuration.passwordPolicy
        let created = configuration.createdAt?.timeIntervalSince1970 ?? 0
        let mfa: String =
            switch configuration.mfaConfiguration {
            case .off: "OFF"
            case .optional: "OPTIONAL"
            case .on: "ON"
            }
        return DescribeUserPoolResponseWire(
            userPool: UserPoolWire(
                id: configuration.userPoolId, name: configuration.name,
                arn: "arn:aws:cognito-idp:\(configuration.region):000000000000:userpool/\(configuration.userPoolId)",
                policies: UserPoolPoliciesWire(
                    passwordPolicy: PasswordPolicyWire(
                        minimumLength: policy.minimumLength, requireUppercase: policy.requireUppercase,
                        requireLowercase: policy.requireLowercase, requireNumbers: policy.requireNumbers,
                        requireSymbols: policy.requireSymbols,
                        temporaryPasswordValidityDays: policy.temporaryPasswordValidityDays),
                    signInPolicy: SignInPolicyWire(allowedFirstAuthFactors: configuration.allowedFirstAuthFactors)),
                lambdaConfig: [:], status: "Enabled",
                lastModifiedDate: configuration.lastModifiedAt?.timeIntervalSince1970 ?? created,
                creationDate: created, autoVerifiedAttributes: ["email"], mfaConfiguration: mfa,
                domain: configuration.domain, userPoolTags: [:], usernameConfiguration: ["CaseSensitive": false],
                schemaAttributes: PoolSettingsService.schemaWire(configuration),
                deviceConfiguration: configuration.deviceConfiguration))
    }

    func listPools(_ request: ListUserPoolsRequestWire) async throws -> ListUserPoolsResponseWire {
        guard let maxResults = request.maxResults else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null"
            )
        }
        guard (1...60).contains(maxResults) else {
            throw CognitoError.invalidParameter("MaxResults must be between 1 and 60")
        }
        let configuration = pool.configuration
        let created = configuration.createdAt?.timeIntervalSince1970 ?? 0
        // One pool per local cloud: a second page is empty.
        let pools =
            request.nextToken == nil
            ? [
                UserPoolDescriptionWire(
                    id: configuration.userPoolId, name: configuration.name, lambdaConfig: [:], status: "Enabled",
                    lastModifiedDate: configuration.lastModifiedAt?.timeIntervalSince1970 ?? created,
                    creationDate: created)
            ] : []
        return ListUserPoolsResponseWire(userPools: pools, nextToken: nil)
    }
}
