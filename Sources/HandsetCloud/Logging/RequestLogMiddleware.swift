import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// Outermost middleware: gives every request an id (`x-amzn-RequestId`), turns any error into a JSON response
/// instead of a bare 500, logs one line per request (`RequestLogWriter`: off the request path) and counts it in the metrics (by route template).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = CloudRequestContext

    static let requestIdHeader = HTTPField.Name("x-amzn-RequestId")!

    let writer: RequestLogWriter
    let metrics: CloudMetrics
    let now: @Sendable () -> Date

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let requestId = RequestID.make()
        metrics.requestStarted()
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            // Hummingbird's own errors (no route, body too large) in API Gateway's `{"message"}` shape.
            let message = error.body ?? error.status.reasonPhrase
            response =
                (try? APIError(error.status, message).response(from: request, context: context))
                ?? Response(status: error.status)
        } catch let error as any HTTPResponseError {
            response = (try? error.response(from: request, context: context)) ?? Response(status: error.status)
        } catch {
            context.logger.error("Unhandled error: \(String(reflecting: type(of: error)))")
            response =
                (try? APIError(.internalServerError, "Internal server error").response(
                    from: request, context: context)) ?? Response(status: .internalServerError)
        }
        response.headers[Self.requestIdHeader] = requestId
        let elapsed = ContinuousClock.now - started
        let milliseconds =
            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let function = context.requestLog.function ?? (response.status == .notFound ? "notFound" : "unknown")
        // Buffered: the writer's thread formats the time and writes the line after the response has gone.
        writer.append(
            RequestLogEntry(
                time: "", requestId: requestId, instance: metrics.instanceId,
                sub: context.requestLog.sub, function: function, method: request.method.rawValue,
                route: request.uri.path, status: response.status.code,
                latencyMs: (milliseconds * 1000).rounded() / 1000),
            at: now())
        // The route template (`/api/{collection}/{id}`), never the path itself: one series per route, not per id.
        metrics.requestFinished(
            method: request.method.rawValue, route: context.endpointPath ?? "NotFound", status: response.status.code,
            function: function, duration: elapsed)
        return response
    }
}
