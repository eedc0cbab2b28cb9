import Hummingbird

/// Refuses requests beyond the token bucket with API Gateway's `429 {"message":"Too Many Requests"}`, before the
/// authorizer runs (as API Gateway throttles before it authorizes).
struct ThrottleMiddleware: RouterMiddleware {
    typealias Context = CloudRequestContext

    static let logName = "api.throttle"

    let bucket: TokenBucket

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard bucket.take() else {
            context.requestLog.function = Self.logName
            throw APIError.tooManyRequests
        }
        return try await next(request, context)
    }
}
