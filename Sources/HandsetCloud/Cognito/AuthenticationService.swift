import Foundation
import HandsetWire

/// Cognito's sign-in flows (`InitiateAuth`): checks credentials and hands out tokens.
///
/// Each flow is one method; SRP, challenges and MFA slot in beside them as further `case`s of `initiateAuth` and a
/// `respondToAuthChallenge` of their own.
struct AuthenticationService: Sendable {
    let pool: PoolConfiguration
    let users: any UserRepository
    let refreshTokens: any RefreshTokenRepository
    let tokens: TokenIssuer
    let now: @Sendable () -> Date

    /// The flows `InitiateAuth` accepts on the wire (Cognito's `AuthFlowType`).
    static let knownFlows = [
        CognitoAuthFlow.userSRP, CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias, "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH", CognitoAuthFlow.userPassword, "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH",
    ]

    func initiateAuth(_ request: InitiateAuthRequest) async throws -> AuthResponse {
        guard let client = pool.client(id: request.clientId) else {
            throw CognitoError.resourceNotFound("User pool client \(request.clientId) does not exist.")
        }
        guard Self.knownFlows.contains(request.authFlow) else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(request.authFlow)' at 'authFlow' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [\(Self.knownFlows.joined(separator: ", "))]")
        }
        switch request.authFlow {
        case CognitoAuthFlow.userPassword:
            try requireEnabled(request.authFlow, for: client)
            return try await signInWithPassword(request.authParameters, client: client)
        case CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias:
            try requireEnabled(request.authFlow, for: client)
            return try await refresh(request.authParameters, client: client)
        default:
            throw CognitoError.invalidParameter(
                "Unsupported AuthFlow \(request.authFlow): handset-cloud does not implement it yet")
        }
    }

    private func requireEnabled(_ flow: String, for client: AppClient) throws {
        guard client.allows(flow: flow) else {
            throw CognitoError.invalidParameter("\(flow) flow not enabled for this client")
        }
    }

    /// `USER_PASSWORD_AUTH`: the password travels (over TLS in AWS) and is checked against the stored SRP verifier.
    private func signInWithPassword(_ parameters: [String: String], client: AppClient) async throws -> AuthResponse {
        guard let username = parameters["USERNAME"], !username.isEmpty else {
            throw CognitoError.invalidParameter("Missing required parameter USERNAME")
        }
        guard let password = parameters["PASSWORD"] else {
            throw CognitoError.invalidParameter("Missing required parameter PASSWORD")
        }
        try requireSecretHash(parameters["SECRET_HASH"], client: client, usernames: [username])

        guard let user = try await users.user(named: username) else {
            // Spend the same work as for a real user, so that timing does not reveal who exists either.
            _ = try SRPVerifier.make(
                password: password, poolName: pool.poolName, userIdForSRP: username, salt: Self.decoySalt)
            throw CognitoError.incorrectCredentials
        }
        guard try user.password.matches(password: password, poolName: pool.poolName, userIdForSRP: user.userIdForSRP)
        else { throw CognitoError.incorrectCredentials }
        guard user.status == .confirmed else { throw CognitoError.userNotConfirmed() }

        let session = SignInSession.new(at: now())
        let issued = try await tokens.issueTokens(for: user, clientId: client.clientId, session: session)
        let refreshToken = RefreshTokenSecret.generate()
        let issuedAt = Int(now().timeIntervalSince1970)
        try await refreshTokens.store(
            StoredRefreshToken(
                hash: RefreshTokenSecret.hash(refreshToken), sub: user.sub, clientId: client.clientId,
                session: session, issuedAt: issuedAt, expiresAt: issuedAt + pool.tokenLifetimes.refreshTokenSeconds,
                revoked: false))
        return AuthResponse(
            authenticationResult: AuthenticationResult(
                accessToken: issued.accessToken, idToken: issued.idToken, refreshToken: refreshToken,
                expiresIn: issued.expiresIn),
            challengeParameters: [:])
    }

    /// `REFRESH_TOKEN_AUTH`: new ID and access tokens for the same sign-in; no new refresh token (no rotation).
    private func refresh(_ parameters: [String: String], client: AppClient) async throws -> AuthResponse {
        guard let token = parameters["REFRESH_TOKEN"], !token.isEmpty else {
            throw CognitoError.invalidParameter("Missing required parameter REFRESH_TOKEN")
        }
        guard let stored = try await refreshTokens.token(hash: RefreshTokenSecret.hash(token)), !stored.revoked,
            stored.clientId == client.clientId, let user = try await users.user(sub: stored.sub)
        else { throw CognitoError.notAuthorized("Invalid Refresh Token") }
        guard Int(now().timeIntervalSince1970) < stored.expiresAt else {
            throw CognitoError.notAuthorized("Refresh Token has expired")
        }
        // Cognito's refresh SECRET_HASH is keyed by the username or, for aliased pools, the sub.
        try requireSecretHash(parameters["SECRET_HASH"], client: client, usernames: [user.username, user.sub])
        guard user.status == .confirmed else { throw CognitoError.userNotConfirmed() }

        let issued = try await tokens.issueTokens(for: user, clientId: client.clientId, session: stored.session)
        return AuthResponse(
            authenticationResult: AuthenticationResult(
                accessToken: issued.accessToken, idToken: issued.idToken, refreshToken: nil,
                expiresIn: issued.expiresIn),
            challengeParameters: [:])
    }

    private func requireSecretHash(_ provided: String?, client: AppClient, usernames: [String]) throws {
        guard let secret = client.secret else { return }
        guard
            usernames.contains(where: {
                SecretHash.matches(provided, secret: secret, username: $0, clientId: client.clientId)
            })
        else { throw CognitoError.notAuthorized("Unable to verify secret hash for client \(client.clientId)") }
    }

    private static let decoySalt: [UInt8] = Array(repeating: 0x5a, count: 16)
}
