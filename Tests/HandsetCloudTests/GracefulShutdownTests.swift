import Foundation
import HandsetWire
import Hummingbird
import ServiceLifecycleTestKit
import Testing

@testable import HandsetCloud

/// What a request sees once `serve` begins its graceful shutdown (SIGTERM): the real server also stops accepting
/// and waits for requests in flight (Tests/EndToEnd/test_operations.py covers those with the real executable).
@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test("a held long-poll is answered at once, empty; /readyz says draining while /healthz stays alive")
    func heldPollsAndReadiness() async throws {
        try await testGracefulShutdown { trigger in
            try await withStorageCloud { cloud in
                #expect(try await cloud.client.get("/readyz").status == .ok)
                let cursor = try await cloud.inbox(as: "alice").cursor
                async let poll = NotificationInboxTests.timedPoll(cloud, "alice", "?since=\(cursor)&wait=20")
                try await waitUntil {
                    let scrape = try await cloud.client.get("/metrics").text
                    return sample(scrape, "handset_inbox_long_polls_waiting") == 1
                }

                trigger.triggerGracefulShutdown()

                let (page, elapsed) = try await poll
                #expect(page.items.isEmpty)
                #expect(page.cursor == cursor, "nothing was skipped: the client asks again elsewhere from here")
                // Answered by the shutdown, not by the end of its 20 s wait (the margin is for a loaded machine).
                #expect(elapsed < .seconds(10), "the poll took \(elapsed)")

                let ready = try await cloud.client.get("/readyz")
                #expect(ready.status == .serviceUnavailable)
                #expect(try ready.json()["status"] == "draining")
                #expect(try await cloud.client.get("/healthz").status == .ok)
                // A new poll does not wait either.
                let (again, took) = try await NotificationInboxTests.timedPoll(
                    cloud, "alice", "?since=\(cursor)&wait=20")
                #expect(again.items.isEmpty && took < .seconds(10), "the poll took \(took)")
            }
        }
    }
}
