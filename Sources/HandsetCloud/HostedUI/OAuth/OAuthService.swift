import Foundation
import HandsetCloudStorage
import HandsetWire

/// The pool's OAuth 2.0 authorization server, apart from HTTP: authorization codes, the token endpoint's grants,
/// device authorization, revocation and userInfo. Every piece of state is in a repository shared by all
/// instances; the clock is injected.
struct OAuthService: Sendable {
    let pool: UserPool
    let authentication: AuthenticationService
    let codes: any AuthorizationCodeRepository
    let signIns: any OAuthSignInRepository
    let devices: any DeviceCodeRepository
    /// Where the verification page is (`<base>/device`).
    let verificationURI: @Sendable () -> String

    static let deviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code"

    // MARK: Authorization codes

    /// A new code for a signed-in person (the code itself goes into the redirect, only its hash is kept).
    func issueCode(for request: AuthorizeRequest, sub: String, authTime: Int) async throws -> String {
        let code = Base64URL.encode(SecureRandom.bytes(32))
        let now = pool.now()
        try await codes.store(
            AuthorizationCodeGrant(
                codeHash: UserPool.sessionHash(code), clientId: request.client.clientId,
                redirectURI: request.redirectURI, codeChallenge: request.codeChallenge, sub: sub,
                scopes: request.scopes, nonce: request.nonce, authTime: authTime, createdAt: now,
                expiresAt: now.addingTimeInterval(AuthorizationCodeGrant.lifetime)))
        return code
    }

    // MARK: Client authentication

    /// The client of a token, revocation or device request: HTTP Basic (`client_id:client_secret`, each
    /// form-encoded) or `client_id` (and `client_secret`) in the body, never both ways at once. A client with a
    /// secret must present it; a client without one must not claim one.
    func authenticateClient(authorization: String?, form: FormFields) throws -> AppClient {
        let basic = try authorization.map(Self.basicCredentials)
        let usedBasic = basic != nil
        if basic != nil, form["client_secret"] != nil { throw OAuthError.invalidRequest }
        guard let clientId = basic?.id ?? form.value("client_id") else {
            throw OAuthError.invalidClient(basic: usedBasic)
        }
        if let basic, let named = form.value("client_id"), named != basic.id {
            throw OAuthError.invalidClient(basic: true)
        }
        guard let client = pool.configuration.client(id: clientId) else {
            throw OAuthError.invalidClient(basic: usedBasic)
        }
        let presented = basic?.secret ?? form["client_secret"]
        if let secret = client.secret {
            guard let presented, ConstantTime.equals(Array(presented.utf8), Array(secret.utf8)) else {
                throw OAuthError.invalidClient(basic: usedBasic)
            }
        } else if let presented, !presented.isEmpty {
            throw OAuthError.invalidClient(basic: usedBasic)
        }
        return client
    }

    /// `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
    static func basicCredentials(_ header: String) throws -> (id: String, secret: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
            let id = FormFields.decode(text[..<colon]), !id.isEmpty,
            let secret = FormFields.decode(text[text.index(after: colon)...])
        else { throw OAuthError.invalidClient(basic: true) }
        return (id, secret)
    }

    // MARK: Grants

    /// One token request, by `grant_type`.
    func token(form: FormFields, client: AppClient) async throws -> OAuthTokenResponse {
        if !form.repeatedNames.isEmpty { throw OAuthError.invalidRequest }
        switch form.value("grant_type") {
        case "authorization_code"?: return try await redeemCode(form: form, client: client)
        case "refresh_token"?: return try await refresh(form: form, client: client)
        case "client_credentials"?: return try await clientCredentials(form: form, client: client)
        case Self.deviceCodeGrant?: return try await pollDevice(form: form, client: client)
        case nil: throw OAuthError.invalidRequest
        default: throw OAuthError.unsupportedGrantType
        }
    }

    /// `authorization_code`: the code is used up at the first presentation, whatever happens next, so a code
    /// presented with a wrong verifier or redirect URI cannot be tried again.
    private func redeemCode(form: FormFields, client: AppClient) async throws -> OAuthTokenResponse {
        guard let code = form.value("code"), let redirectURI = form.value("redirect_uri") else {
            throw OAuthError.invalidRequest
        }
        let codeHash = UserPool.sessionHash(code)
        let grant: AuthorizationCodeGrant
        switch try await codes.redeem(codeHash: codeHash, now: pool.now()) {
        case .invalid:
            throw OAuthError.invalidGrant
        case .reused(let originJti):
            if let originJti { try await pool.store.revokeRefreshTokenFamily(originJti: originJti) }
            throw OAuthError.invalidGrant
        case .redeemed(let redeemed):
            grant = redeemed
        }
        guard grant.clientId == client.clientId, grant.redirectURI == redirectURI else {
            throw OAuthError.invalidGrant
        }
        let verifier = form.value("code_verifier")
        if let challenge = grant.codeChallenge {
            guard let verifier, PKCE.matches(verifier: verifier, challenge: challenge) else {
                throw OAuthError.invalidGrant
            }
        } else if verifier != nil {
            throw OAuthError.invalidGrant
        }
        guard let user = try await pool.store.user(sub: grant.sub), user.enabled else { throw OAuthError.invalidGrant }
        let (response, originJti) = try await tokens(
            for: user, client: client, scopes: grant.scopes, authTime: grant.authTime, nonce: grant.nonce)
        try await codes.noteSignIn(codeHash: codeHash, originJti: originJti)
        return response
    }

    /// `refresh_token`: Cognito's own refresh (same checks, same rotation), answered the OAuth way.
    private func refresh(form: FormFields, client: AppClient) async throws -> OAuthTokenResponse {
        guard let token = form.value("refresh_token") else { throw OAuthError.invalidRequest }
        let stored = try await pool.store.refreshToken(hash: RefreshTokenSecret.hash(token))
        var parameters = ["REFRESH_TOKEN": token]
        if let secret = client.secret, let stored, let user = try await pool.store.user(sub: stored.sub) {
            // The client proved its secret already; Cognito's refresh wants it as a SECRET_HASH.
            parameters["SECRET_HASH"] = SecretHash.compute(
                secret: secret, username: user.username, clientId: client.clientId)
        }
        let answer: AuthResponse
        do {
            answer = try await authentication.initiateAuth(
                InitiateAuthRequest(
                    authFlow: CognitoAuthFlow.refreshToken, clientId: client.clientId, authParameters: parameters))
        } catch let error as CognitoError where error.type == "InvalidParameterException" {
            throw OAuthError.unauthorizedClient
        } catch is CognitoError {
            throw OAuthError.invalidGrant
        }
        guard let result = answer.authenticationResult else { throw OAuthError.invalidGrant }
        var grant: OAuthSignIn?
        if let stored { grant = try await signIns.signIn(originJti: stored.session.originJti) }
        return OAuthTokenResponse(
            idToken: grant.map { $0.scopes.contains("openid") } ?? true ? result.idToken : nil,
            accessToken: result.accessToken, refreshToken: result.refreshToken, expiresIn: result.expiresIn)
    }

    /// `client_credentials`: an access token for the client itself, with custom (resource server) scopes only.
    private func clientCredentials(form: FormFields, client: AppClient) async throws -> OAuthTokenResponse {
        guard client.secret != nil, client.allowsOAuth(flow: "client_credentials") else {
            throw OAuthError.unauthorizedClient
        }
        let allowed = client.allowedOAuthScopes.filter { $0.contains("/") }
        let scopes = form.value("scope").map { $0.split(separator: " ").map(String.init) } ?? allowed
        guard !scopes.isEmpty, scopes.allSatisfy(allowed.contains) else { throw OAuthError.invalidScope }
        let issued = try await pool.tokens.issueClientToken(clientId: client.clientId, scopes: scopes)
        return OAuthTokenResponse(accessToken: issued.token, expiresIn: issued.expiresIn)
    }

    /// The device code grant (RFC 8628 §3.4-3.5).
    private func pollDevice(form: FormFields, client: AppClient) async throws -> OAuthTokenResponse {
        guard let deviceCode = form.value("device_code") else { throw OAuthError.invalidRequest }
        switch try await devices.poll(
            deviceCodeHash: UserPool.sessionHash(deviceCode), clientId: client.clientId, now: pool.now())
        {
        case .pending: throw OAuthError.authorizationPending
        case .slowDown: throw OAuthError.slowDown
        case .denied: throw OAuthError.accessDenied
        case .expired: throw OAuthError.expiredToken
        case .invalid: throw OAuthError.invalidGrant
        case .approved(let authorization):
            guard let sub = authorization.sub, let user = try await pool.store.user(sub: sub), user.enabled else {
                throw OAuthError.accessDenied
            }
            return try await tokens(
                for: user, client: client, scopes: authorization.scopes,
                authTime: authorization.authTime ?? Int(pool.now().timeIntervalSince1970), nonce: nil
            ).0
        }
    }

    /// Tokens for a new sign-in through the authorization server: its scopes are recorded first, so that every
    /// token of it (refreshes too) carries them.
    private func tokens(
        for user: PoolUser, client: AppClient, scopes: [String], authTime: Int, nonce: String?
    ) async throws -> (OAuthTokenResponse, originJti: String) {
        let now = pool.now()
        let session = SignInSession(
            authTime: authTime, originJti: UUID().uuidString.lowercased(), eventId: UUID().uuidString.lowercased())
        let lifetimes = pool.configuration.tokenLifetimes(for: client)
        let issuedAt = Int(now.timeIntervalSince1970)
        let expiresAt = issuedAt + lifetimes.refreshTokenSeconds
        try await signIns.record(
            OAuthSignIn(
                originJti: session.originJti, clientId: client.clientId, scopes: scopes,
                expiresAt: Date(timeIntervalSince1970: TimeInterval(expiresAt))))
        let refreshToken = RefreshTokenSecret.generate()
        try await pool.store.storeRefreshToken(
            StoredRefreshToken(
                hash: RefreshTokenSecret.hash(refreshToken), sub: user.sub, clientId: client.clientId,
                session: session, issuedAt: issuedAt, expiresAt: expiresAt, revoked: false))
        let issued = try await pool.tokens.issueTokens(
            for: user, clientId: client.clientId, session: session, nonce: nonce)
        return (
            OAuthTokenResponse(
                idToken: scopes.contains("openid") ? issued.idToken : nil, accessToken: issued.accessToken,
                refreshToken: refreshToken, expiresIn: issued.expiresIn),
            session.originJti
        )
    }

    // MARK: Device authorization

    /// `/oauth2/device_authorization`: a device code to poll with and a user code for the person. Allowed for
    /// clients that may use the authorization code grant (the person signs in on the same pages).
    func startDeviceAuthorization(form: FormFields, client: AppClient) async throws -> DeviceAuthorizationResponse {
        if !form.repeatedNames.isEmpty { throw OAuthError.invalidRequest }
        guard client.allowsOAuth(flow: "code") else { throw OAuthError.unauthorizedClient }
        var scopes = client.allowedOAuthScopes
        if let requested = form.value("scope") {
            let names = requested.split(separator: " ").map(String.init)
            guard names.allSatisfy(client.allowedOAuthScopes.contains) else { throw OAuthError.invalidScope }
            var seen: Set<String> = []
            scopes = names.filter { seen.insert($0).inserted }
        }
        let settings = pool.configuration.deviceAuthorization
        let now = pool.now()
        let deviceCode = SecureRandom.opaqueToken()
        for _ in 0..<8 {
            let userCode = UserCode.generate()
            let created = try await devices.create(
                DeviceAuthorization(
                    deviceCodeHash: UserPool.sessionHash(deviceCode), userCode: userCode, clientId: client.clientId,
                    scopes: scopes, status: .pending, sub: nil, authTime: nil, interval: settings.intervalSeconds,
                    lastPolledAt: nil, createdAt: now,
                    expiresAt: now.addingTimeInterval(TimeInterval(settings.lifetimeSeconds))))
            guard created else { continue }
            let shown = UserCode.display(userCode)
            let base = verificationURI()
            return DeviceAuthorizationResponse(
                deviceCode: deviceCode, userCode: shown, verificationURI: base,
                verificationURIComplete: base + "?user_code=" + shown, expiresIn: settings.lifetimeSeconds,
                interval: settings.intervalSeconds)
        }
        throw OAuthError(code: "temporarily_unavailable", status: .serviceUnavailable)
    }

    // MARK: Revocation and userInfo

    /// `/oauth2/revoke` (RFC 7009): a refresh token ends its sign-in; an unknown token is not an error.
    func revoke(form: FormFields, client: AppClient) async throws {
        if !form.repeatedNames.isEmpty { throw OAuthError.invalidRequest }
        guard let token = form.value("token") else { throw OAuthError.invalidRequest }
        guard client.enableTokenRevocation else { throw OAuthError.unauthorizedClient }
        let hash = RefreshTokenSecret.hash(token)
        if let stored = try await pool.store.refreshToken(hash: hash) {
            guard stored.clientId == client.clientId else { throw OAuthError.unauthorizedClient }
            try await pool.store.revokeRefreshToken(hash: hash)
        } else if CompactJWT.hasCompactShape(token) {
            // Cognito revokes access tokens through their refresh token only.
            throw OAuthError.unsupportedTokenType
        }
    }

    /// `/oauth2/userInfo`: the signed-in user's attributes, as the access token's scopes allow (Cognito's shape:
    /// strings, `email_verified` as "true"/"false", `identities` as JSON text).
    func userInfo(accessToken: String) async throws -> [String: String] {
        let verified = try await pool.accessTokens.verify(accessToken, requiring: "openid")
        guard let user = try await pool.store.user(sub: verified.sub), user.enabled else {
            throw CognitoError.invalidAccessToken
        }
        let scopes = Set(verified.scopes)
        var claims = ["sub": user.sub, "username": user.username]
        for (name, value) in user.attributeList {
            switch name {
            case "email", "email_verified": if scopes.contains("email") { claims[name] = value }
            case "phone_number", "phone_number_verified": if scopes.contains("phone") { claims[name] = value }
            case "sub": break
            default: if scopes.contains("profile") || name.hasPrefix("custom:") { claims[name] = value }
            }
        }
        if let linked = try await pool.tokens.identities?.identities(of: user.sub), !linked.isEmpty {
            claims["identities"] = AuthenticationService.jsonText(linked.map(IdentityClaim.init))
        }
        return claims
    }
}
