import Foundation
import HandsetCloudStorage
import HandsetWire

/// Server-side sign-in: `AdminInitiateAuth` and `AdminRespondToAuthChallenge`, for backends that hold the user's
/// password themselves. Authorized as every Admin operation is (SigV4 with the admin credentials, or loopback);
/// the flows and challenges are `InitiateAuth`'s, plus ADMIN_USER_PASSWORD_AUTH (and its old name ADMIN_NO_SRP_AUTH),
/// which the app client must allow (`ALLOW_ADMIN_USER_PASSWORD_AUTH`).
struct AdminAuthenticationService: Sendable {
    let authentication: AuthenticationService
    var pool: UserPool { authentication.pool }

    static let adminPasswordFlows = ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"]

    var operations: [CognitoOperation] {
        var initiate = CognitoOperation.json("AdminInitiateAuth", initiateAuth)
        initiate.isAdmin = true
        var respond = CognitoOperation.json("AdminRespondToAuthChallenge", respondToAuthChallenge)
        respond.isAdmin = true
        return [initiate, respond]
    }

    func initiateAuth(_ request: AdminInitiateAuthRequestWire) async throws -> AuthResponse {
        try requirePool(request.userPoolId)
        let client = try pool.client(request.clientId)
        let parameters = request.authParameters ?? [:]
        switch request.authFlow {
        case let flow where Self.adminPasswordFlows.contains(flow):
            guard client.allows(flow: "ADMIN_USER_PASSWORD_AUTH") || client.allows(flow: "ADMIN_NO_SRP_AUTH") else {
                throw CognitoError.invalidParameter("\(flow) flow not enabled for this client")
            }
            let step = try await authentication.signInWithPassword(parameters, client: client)
            return try await authentication.answerTokens(for: step, client: client)
        case CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias:
            return try await authentication.refresh(parameters, client: client)
        case CognitoAuthFlow.userSRP:
            return try await authentication.startSRP(parameters, client: client)
        case AuthenticationService.Challenge.userAuth:
            guard client.allows(flow: AuthenticationService.Challenge.userAuth) else {
                throw CognitoError.invalidParameter("USER_AUTH flow not enabled for this client")
            }
            let step = try await authentication.startUserAuth(parameters, client: client)
            return try await authentication.answerTokens(for: step, client: client)
        case let flow where AuthenticationService.knownFlows.contains(flow):
            throw CognitoError.invalidParameter("Unsupported AuthFlow \(flow) for AdminInitiateAuth")
        default:
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(AccountService.shown(request.authFlow))' at 'authFlow' failed "
                    + "to satisfy constraint: Member must satisfy enum value set: "
                    + "[\(AuthenticationService.knownFlows.joined(separator: ", "))]")
        }
    }

    func respondToAuthChallenge(_ request: AdminRespondToAuthChallengeRequestWire) async throws -> AuthResponse {
        try requirePool(request.userPoolId)
        let client = try pool.client(request.clientId)
        let step = try await authentication.answer(
            RespondToAuthChallengeRequest(
                clientId: request.clientId, challengeName: request.challengeName, session: request.session,
                challengeResponses: request.challengeResponses ?? [:]),
            client: client)
        return try await authentication.answerTokens(for: step, client: client)
    }

    private func requirePool(_ userPoolId: String) throws {
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(AccountService.shown(userPoolId)) does not exist.")
        }
    }
}

struct AdminInitiateAuthRequestWire: Codable, Sendable {
    var userPoolId: String
    var clientId: String
    var authFlow: String
    var authParameters: [String: String]?
    var clientMetadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case clientId = "ClientId"
        case authFlow = "AuthFlow"
        case authParameters = "AuthParameters"
        case clientMetadata = "ClientMetadata"
    }
}

struct AdminRespondToAuthChallengeRequestWire: Codable, Sendable {
    var userPoolId: String
    var clientId: String
    var challengeName: String
    var challengeResponses: [String: String]?
    var session: String?
    var clientMetadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case userPoolId = "UserPoolId"
        case clientId = "ClientId"
        case challengeName = "ChallengeName"
        case challengeResponses = "ChallengeResponses"
        case session = "Session"
        case clientMetadata = "ClientMetadata"
    }
}
