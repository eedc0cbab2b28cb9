import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// `<api>/_inbox` behind the authorizer: the caller's own notifications, a long-poll for the next ones, mark read.
/// Every route works on the caller's inbox only; another user's notification id answers 404, like a missing one.
struct InboxController: Sendable {
    let inbox: InboxService

    static let defaultLimit = 50
    static let maximumLimit = 100

    func addRoutes(to api: RouterGroup<CloudRequestContext>) {
        let inboxPath = NotificationRoute.inbox
        api.get(RouterPath(stringLiteral: inboxPath)) { request, context in
            context.requestLog.function = "inbox.list"
            guard let identity = context.identity else { throw APIError.unauthorized }
            let (since, limit, wait) = try Self.parameters(request)
            // A device does not see notifications about its own changes (`X-Handset-Device`).
            let device = request.headers[RecordWriteOrigin.deviceHeaderName].flatMap { header -> String? in
                let trimmed = header.trimmingCharacters(in: .whitespaces)
                return trimmed.isEmpty || trimmed.utf8.count > 128 ? nil : trimmed
            }
            let page = try await inbox.page(sub: identity.sub, since: since, limit: limit, wait: wait, device: device)
            return Self.json(page)
        }
        api.post(RouterPath(stringLiteral: "\(inboxPath)/\(NotificationRoute.readAll)")) { _, context in
            context.requestLog.function = "inbox.readAll"
            guard let identity = context.identity else { throw APIError.unauthorized }
            try await inbox.store.markAllRead(sub: identity.sub)
            return Response(status: .noContent)
        }
        api.post(RouterPath(stringLiteral: "\(inboxPath)/:id/read")) { _, context in
            context.requestLog.function = "inbox.read"
            guard let identity = context.identity else { throw APIError.unauthorized }
            let id = context.parameters.get("id") ?? ""
            guard UUID(uuidString: id) != nil, try await inbox.store.markRead(sub: identity.sub, id: id.lowercased())
            else { throw APIError(.notFound, "Notification \(id) not found") }
            return Response(status: .noContent)
        }
    }

    /// `since` (a cursor, default the start), `limit` (1 to 100, default 50) and `wait` (seconds, at most 20).
    static func parameters(_ request: Request) throws -> (since: Int64, limit: Int, wait: Duration) {
        let query = request.uri.queryParameters
        var problems: [String: String] = [:]
        var since: Int64 = 0
        if let text = query.get("since"), !text.isEmpty {
            if let value = Int64(text), value >= 0 {
                since = value
            } else {
                problems["since"] = "must be a cursor from a previous page"
            }
        }
        var limit = defaultLimit
        if let text = query.get("limit") {
            if let value = Int(text), (1...maximumLimit).contains(value) {
                limit = value
            } else {
                problems["limit"] = "must be from 1 to \(maximumLimit)"
            }
        }
        var wait = Duration.zero
        if let text = query.get("wait") {
            if let seconds = Double(text), seconds.isFinite, seconds >= 0 {
                wait = .milliseconds(Int64(min(seconds, Double(NotificationRoute.maximumWait)) * 1000))
            } else {
                problems["wait"] = "must be seconds from 0 to \(NotificationRoute.maximumWait)"
            }
        }
        guard problems.isEmpty else { throw APIError(.badRequest, "Invalid inbox query", fields: problems) }
        return (since, limit, wait)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
