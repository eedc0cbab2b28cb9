import Foundation
import HandsetWire

/// Counts how sign-in steps end (`handset_sign_ins_total`): tokens issued, a wrong password or code, or a refusal
/// because a lockout runs. A refresh is no sign-in and is not counted.
struct SignInMetering: Sendable {
    let metrics: CloudMetrics?

    func initiateAuth(
        _ body: @escaping @Sendable (InitiateAuthRequest) async throws -> AuthResponse
    ) -> @Sendable (InitiateAuthRequest) async throws -> AuthResponse {
        { request in
            let isRefresh =
                request.authFlow == CognitoAuthFlow.refreshToken
                || request.authFlow == CognitoAuthFlow.refreshTokenAlias
            return try await metered(counting: !isRefresh) { try await body(request) }
        }
    }

    func respondToAuthChallenge(
        _ body: @escaping @Sendable (RespondToAuthChallengeRequest) async throws -> AuthResponse
    ) -> @Sendable (RespondToAuthChallengeRequest) async throws -> AuthResponse {
        { request in try await metered(counting: true) { try await body(request) } }
    }

    private func metered(
        counting: Bool, _ step: () async throws -> AuthResponse
    ) async throws -> AuthResponse {
        guard counting, let metrics else { return try await step() }
        do {
            let response = try await step()
            if response.authenticationResult != nil { metrics.signIn(.succeeded) }
            return response
        } catch let error as CognitoError {
            if error == .passwordAttemptsExceeded || error == .mfaAttemptsExceeded {
                metrics.signIn(.lockedOut)
            } else if error == .incorrectCredentials || error == .mfaCodeMismatch {
                metrics.signIn(.failed)
            }
            throw error
        }
    }
}
