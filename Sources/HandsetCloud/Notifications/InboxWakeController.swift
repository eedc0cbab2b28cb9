import Foundation
import Hummingbird

/// `POST /_loopback/inbox/wake` `{"subs": [...]}`: wakes these users' long-polls, for `handset-cloud notify` and
/// `publish`, which write to the database directly. Loopback only (see `LoopbackGate`). Waking carries no data: a
/// woken poll reads the database and answers what is there, so a stray wake costs one query.
struct InboxWakeController: Sendable {
    let waiters: InboxWaiters
    let gate: LoopbackGate

    static let path = "_loopback/inbox/wake"

    struct WakeBody: Decodable {
        var subs: [String]
    }

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.post(RouterPath(stringLiteral: Self.path)) { request, context in
            context.requestLog.function = "loopback.inboxWake"
            if let refusal = gate.refusal(for: request, context: context) {
                throw APIError(.forbidden, refusal.message(for: "waking inboxes"))
            }
            var request = request
            let body: WakeBody = try await TopicsController.decode(&request)
            waiters.signal(body.subs.prefix(10_000))
            return Response(status: .noContent)
        }
    }
}
