import Foundation
import HandsetCloudStorage
import HandsetWire

/// GetTokensFromRefreshToken: `REFRESH_TOKEN_AUTH` as an operation of its own, the client authenticated by its
/// secret rather than a SECRET_HASH. With rotation on, the answer carries a new refresh token and the old one stops
/// working, as InitiateAuth's refresh does.
struct RefreshTokenService: Sendable {
    let pool: UserPool
    let authentication: AuthenticationService

    var operations: [CognitoOperation] { [.json("GetTokensFromRefreshToken", getTokens)] }

    func getTokens(
        _ request: GetTokensFromRefreshTokenRequestWire
    ) async throws -> GetTokensFromRefreshTokenResponseWire {
        let client = try pool.client(request.clientId)
        if let secret = client.secret {
            guard let given = request.clientSecret, ConstantTime.equals(Array(given.utf8), Array(secret.utf8)) else {
                throw CognitoError.notAuthorized(
                    "Unable to verify secret hash for client \(AccountService.shown(client.clientId))")
            }
        }
        let response = try await authentication.refresh(
            ["REFRESH_TOKEN": request.refreshToken], client: client, clientSecretChecked: true)
        guard let result = response.authenticationResult else { throw CognitoError.internalError }
        return GetTokensFromRefreshTokenResponseWire(authenticationResult: result)
    }
}
