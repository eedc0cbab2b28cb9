import Foundation
import HandsetCloudStorage
import HandsetWire

/// Sign-in through a third-party OpenID Connect provider, as Cognito does it: the browser goes to the provider
/// with a fresh `state`, `nonce` and PKCE challenge; the provider sends it back to `/oauth2/idpresponse` with a
/// code; the pool redeems the code with its client secret, checks the ID token, and signs the person in as the
/// user linked to that provider identity, creating the federated user `<Provider>_<sub>` (status
/// `EXTERNAL_PROVIDER`, group `<poolId>_<Provider>`) on the first sign-in. Mapped attributes are written at every
/// sign-in, so the pool follows the provider.
struct FederationService: Sendable {
    let pool: UserPool
    let requests: any FederationRequestRepository
    let identities: any LinkedIdentityRepository
    let directory: OIDCProviderDirectory
    let http: any UpstreamHTTP
    /// `<base>/oauth2/idpresponse`, the redirect URI registered at the provider.
    let callbackURI: @Sendable () -> String

    /// Where to send the browser to sign in at `provider`.
    func start(
        providerName: String, continuation: SignInContinuation, browserSessionHash: String
    ) async throws -> String {
        guard let provider = pool.configuration.identityProvider(named: providerName),
            let issuer = provider.issuer, let clientId = provider.clientId
        else { throw FederationError.unknownProvider }
        let metadata = try await directory.metadata(issuer: issuer)
        let state = Base64URL.encode(SecureRandom.bytes(32))
        let nonce = Base64URL.encode(SecureRandom.bytes(32))
        let verifier = PKCE.newVerifier()
        let now = pool.now()
        try await requests.create(
            FederationRequest(
                stateHash: UserPool.sessionHash(state), provider: provider.providerName, nonce: nonce,
                codeVerifier: verifier, browserSessionHash: browserSessionHash,
                continuationQuery: continuation.query, createdAt: now,
                expiresAt: now.addingTimeInterval(FederationRequest.lifetime)))
        return AuthorizeRequest.append(
            [
                ("response_type", "code"), ("client_id", clientId), ("redirect_uri", callbackURI()),
                ("scope", provider.scopes.joined(separator: " ")), ("state", state), ("nonce", nonce),
                ("code_challenge", PKCE.challenge(for: verifier)), ("code_challenge_method", "S256"),
            ], to: metadata.authorizationEndpoint.absoluteString)
    }

    /// The provider's answer at `/oauth2/idpresponse`: the signed-in user and where the sign-in continues.
    func finish(_ fields: FormFields, browserSessionHash: String?) async throws -> (PoolUser, continuation: String) {
        guard let state = fields.value("state"),
            let request = try await requests.claim(stateHash: UserPool.sessionHash(state), now: pool.now())
        else { throw FederationError.invalidState }
        // Only the browser that set out may come back with the answer: another browser's session (a link sent to a
        // victim, login CSRF) gets nothing.
        guard let browserSessionHash,
            ConstantTime.equals(Array(browserSessionHash.utf8), Array(request.browserSessionHash.utf8))
        else { throw FederationError.invalidState }
        if let error = fields.value("error") { throw FederationError.providerRefused(AccountService.shown(error)) }
        guard let code = fields.value("code") else { throw FederationError.providerAnswer("no code") }
        guard let provider = pool.configuration.identityProvider(named: request.provider),
            let issuer = provider.issuer, let clientId = provider.clientId
        else { throw FederationError.unknownProvider }
        let metadata = try await directory.metadata(issuer: issuer)

        let idToken = try await redeem(
            code: code, verifier: request.codeVerifier, at: metadata.tokenEndpoint, provider: provider,
            clientId: clientId)
        let claims: [String: JSONValue]
        do {
            claims = try await FederatedTokenVerifier.verify(
                idToken: idToken, keySet: try await directory.keySet(at: metadata.jwksURI), issuer: issuer,
                clientId: clientId, nonce: request.nonce, now: pool.now())
        } catch FederationError.rejectedToken("unknown key") {
            // The provider may have rotated its keys since they were fetched.
            claims = try await FederatedTokenVerifier.verify(
                idToken: idToken, keySet: try await directory.keySet(at: metadata.jwksURI, refresh: true),
                issuer: issuer, clientId: clientId, nonce: request.nonce, now: pool.now())
        }
        let appClient =
            FormFields.parse(request.continuationQuery)?.value("client_id") ?? pool.configuration.defaultClient.clientId
        let user = try await signIn(provider: provider, claims: claims, clientId: appClient)
        return (user, request.continuationQuery)
    }

    /// Exchanges the provider's code (client secret by HTTP Basic, PKCE verifier) for its ID token.
    private func redeem(
        code: String, verifier: String, at endpoint: URL, provider: IdentityProviderConfiguration, clientId: String
    ) async throws -> String {
        var fields = FormFields([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callbackURI()),
            ("code_verifier", verifier),
        ])
        let basic = provider.clientSecret.map { (id: clientId, secret: $0) }
        if basic == nil { fields.append("client_id", clientId) }
        let answer: (status: Int, body: Data)
        do {
            answer = try await http.postForm(endpoint, fields: fields, basic: basic)
        } catch let error as FederationError {
            throw error
        } catch {
            throw FederationError.providerUnreachable
        }
        guard answer.status == 200 else {
            let code = (try? JSONValue.parse(answer.body))?.objectValue?["error"]?.stringValue
            throw FederationError.providerAnswer(
                "its token endpoint answered HTTP \(answer.status)\(code.map { " (\(AccountService.shown($0)))" } ?? "")"
            )
        }
        guard let idToken = (try? JSONValue.parse(answer.body))?.objectValue?["id_token"]?.stringValue else {
            throw FederationError.providerAnswer("its token endpoint gave no ID token")
        }
        return idToken
    }

    /// The pool user for a verified provider identity, created on the first sign-in, with mapped attributes
    /// written and the provider's group kept.
    /// A disabled user's attempt is recorded as a failed sign-in of theirs (`clientId`: the app signing in).
    func signIn(
        provider: IdentityProviderConfiguration, claims: [String: JSONValue], clientId: String = ""
    ) async throws -> PoolUser {
        guard let providerSub = claims["sub"]?.stringValue else { throw FederationError.rejectedToken("no subject") }
        let providerName = provider.providerName
        let group = "\(pool.configuration.userPoolId)_\(providerName)"
        let now = pool.now()
        var sub = try await identities.sub(providerName: providerName, providerUserId: providerSub)
        // An immutable custom attribute is mapped on the sign-in that creates the user only.
        let creating = sub == nil
        if sub == nil {
            let username = "\(providerName)_\(providerSub)"
            let created = PoolUser(
                sub: UUID().uuidString.lowercased(), username: username, email: nil, emailVerified: false,
                phoneNumber: nil, phoneNumberVerified: false, attributes: [:], status: .externalProvider,
                enabled: true, userIdForSRP: username,
                // No password of the pool's signs this user in; the verifier is of 32 random bytes nobody knows.
                password: try pool.verifier(for: Base64URL.encode(SecureRandom.bytes(32)), userIdForSRP: username),
                passwordSetAt: now, groups: [group], mfa: MFASettings(), createdAt: now, updatedAt: now)
            do {
                try await pool.store.create(created)
                sub = created.sub
            } catch IdentityRepositoryFailure.usernameExists {
                // A sign-in of the same person on another instance got there first.
                sub = try await pool.store.user(named: username)?.sub
            }
            if let sub {
                _ = try await identities.link(
                    LinkedIdentity(
                        providerName: providerName, providerType: provider.providerType,
                        providerUserId: providerSub, sub: sub, linkedAt: now))
            }
            sub = try await identities.sub(providerName: providerName, providerUserId: providerSub) ?? sub
        }
        guard let sub else { throw FederationError.providerAnswer("the user could not be created") }
        let attributes = Self.mappedAttributes(provider.attributeMapping, claims: claims)
        let schema = pool.configuration.customAttributes
        // Cognito writes the mapped attributes at every sign-in and fails the sign-in when one of them is an
        // immutable attribute of an existing user (its documentation: map only mutable attributes).
        if !creating,
            let fixed = attributes.first(where: { attribute in
                schema.contains { "custom:" + $0.name == attribute.name && !$0.mutable }
            })
        {
            throw UserPool.immutable(fixed.name)
        }
        let updated: PoolUser
        do {
            updated = try await pool.store.update(sub: sub) { user in
                for attribute in attributes {
                    // One value the pool would refuse (a malformed phone number, a custom attribute the schema
                    // does not declare) does not stop the sign-in.
                    try? UserPool.apply(
                        [attribute], to: &user, byAdministrator: true, schema: schema, creating: creating)
                }
                if user.status == .externalProvider, !user.groups.contains(group) { user.groups.append(group) }
                user.updatedAt = now
            }
        } catch IdentityRepositoryFailure.userNotFound {
            throw FederationError.providerAnswer("the linked user no longer exists")
        }
        guard updated.enabled else {
            try await AuthEventLog(pool: pool).signIn(updated, passed: false, checked: [:], clientId: clientId)
            throw CognitoError.userDisabled
        }
        return updated
    }

    /// Pool attributes from the provider's claims by the provider's attribute mapping (`username` and `sub` are
    /// the pool's own and never mapped).
    static func mappedAttributes(_ mapping: [String: String], claims: [String: JSONValue]) -> [AttributeWire] {
        mapping.sorted { $0.key < $1.key }.compactMap { attribute, claim in
            guard attribute != "username", attribute != "sub", let value = claims[claim] else { return nil }
            let text: String
            switch value {
            case .string(let string): text = string
            case .bool(let flag): text = flag ? "true" : "false"
            case .number(let number):
                // Whole numbers without a fraction; any number too large for an integer as the double it is.
                text = number == number.rounded() && abs(number) < 9e15 ? String(Int64(number)) : String(number)
            default: return nil
            }
            return AttributeWire(name: attribute, value: text)
        }
    }
}
