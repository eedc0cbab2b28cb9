import Foundation
import Hummingbird

/// API Gateway's Cognito user pool authorizer: the raw ID token in `Authorization` (a `Bearer ` prefix is tolerated)
/// becomes `context.identity`; anything else is a 401 in API Gateway's words.
struct CognitoAuthorizerMiddleware: RouterMiddleware {
    typealias Context = CloudRequestContext

    /// The function named in the request log when the authorizer refuses a request (it never reaches the handler).
    static let logName = "api.authorizer"

    let verifier: IDTokenVerifier

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let token = Self.token(in: header) else {
            context.requestLog.function = Self.logName
            throw APIError.unauthorized
        }
        switch await verifier.verify(token) {
        case .failure(.expired):
            context.requestLog.function = Self.logName
            throw APIError.tokenExpired
        case .failure(.unauthorized):
            context.requestLog.function = Self.logName
            throw APIError.unauthorized
        case .success(let identity):
            var context = context
            context.identity = identity
            context.requestLog.sub = identity.sub
            return try await next(request, context)
        }
    }

    static func token(in header: String) -> String? {
        var token = Substring(header).trimmingCharacters(in: .whitespaces)
        if token.lowercased().hasPrefix("bearer ") {
            token = String(token.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        }
        return token.isEmpty ? nil : token
    }
}
