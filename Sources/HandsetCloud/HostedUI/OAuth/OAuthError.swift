import Foundation
import HTTPTypes
import HandsetCloudStorage
import Hummingbird

/// An error of the token, revocation and device-authorization endpoints: `{"error": "<code>"}` as Cognito answers
/// (RFC 6749 §5.2), HTTP 400, or 401 with `WWW-Authenticate` when the client authenticated with HTTP Basic and
/// failed (RFC 6749 §5.2 asks for it).
struct OAuthError: HTTPResponseError, Equatable {
    var code: String
    var description: String? = nil
    var status: HTTPResponse.Status = .badRequest
    var basicChallenge = false

    static let invalidRequest = OAuthError(code: "invalid_request")
    static let invalidGrant = OAuthError(code: "invalid_grant")
    static let invalidScope = OAuthError(code: "invalid_scope")
    static let unauthorizedClient = OAuthError(code: "unauthorized_client")
    static let unsupportedGrantType = OAuthError(code: "unsupported_grant_type")
    static let unsupportedTokenType = OAuthError(code: "unsupported_token_type")
    static let authorizationPending = OAuthError(code: "authorization_pending")
    static let slowDown = OAuthError(code: "slow_down")
    static let accessDenied = OAuthError(code: "access_denied")
    static let expiredToken = OAuthError(code: "expired_token")

    static func invalidClient(basic: Bool) -> OAuthError {
        OAuthError(code: "invalid_client", status: basic ? .unauthorized : .badRequest, basicChallenge: basic)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try response(from: request)
    }
}
