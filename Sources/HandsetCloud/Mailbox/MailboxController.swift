import Foundation
import HandsetCloudStorage
import Hummingbird

/// `GET /_loopback/mailbox[?username=<name>][&after=<n>]`: the codes the pool "sent", like Firebase's emulator exposes
/// its codes. Loopback only (see `LoopbackGate`). Answers `{"messages":[...],"next":<n>}`, where `next` is the `after`
/// to poll with for newer messages.
struct MailboxController: Sendable {
    let mailbox: any MailboxRepository
    let gate: LoopbackGate

    struct Page: Codable, Sendable {
        var messages: [SentMessage]
        var next: Int
    }

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.get("_loopback/mailbox") { request, context in
            context.requestLog.function = "loopback.mailbox"
            if let refusal = gate.refusal(for: request, context: context) {
                return Self.json(["message": refusal.message(for: "the mailbox")], status: .forbidden)
            }
            let all = try await mailbox.messages()
            let after = request.uri.queryParameters.get("after", as: Int.self) ?? 0
            let username = request.uri.queryParameters.get("username").map { $0.lowercased() }
            let messages = all.enumerated()
                .filter { $0.offset >= after && (username == nil || $0.element.username.lowercased() == username) }
                .map(\.element)
            return Self.json(Page(messages: messages, next: all.count), status: .ok)
        }
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
