import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetSRP
import HandsetWire
import Testing

@testable import HandsetCloud

/// Issue 12, item 8: what unauthenticated requests leave in the database is purged, and bounded.
@Suite("Identity purge")
struct IdentityPurgeTests {
    @Test("expired challenge sessions and forgotten failure counters of unknown users are purged")
    func purge() async throws {
        try await withCloud { client, fixture in
            let store = fixture.storage.identity
            for index in 0..<10 {
                _ = try await client.startSRP("ghost\(index)", fixture: fixture)
                _ = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                    parameters: ["USERNAME": "ghost\(index)", "PASSWORD": "wrong"])
            }
            var counts = try await store.rowCounts()
            #expect(counts.sessions == 10 && counts.failures == 10)
            // Nothing is due yet.
            #expect(try await store.purgeExpired(now: fixture.clock.now) == IdentityPurgeReport())
            fixture.clock.advance(by: UserPool.challengeLifetime + 1)
            #expect(try await store.purgeExpired(now: fixture.clock.now).sessions == 10)
            fixture.clock.advance(by: LockoutPolicy.cognito.resetAfter)
            #expect(try await store.purgeExpired(now: fixture.clock.now).failures == 10)
            counts = try await store.rowCounts()
            #expect(counts.sessions == 0 && counts.failures == 0)
        }
    }

    @Test("failure counters are bounded: past the limit the oldest go first, running locks stay")
    func bounded() async throws {
        try await withCloud { client, fixture in
            let store = fixture.storage.identity
            // A locked counter (alice, 5 failures) and 20 counters of unknown names, one second apart.
            for _ in 0..<5 {
                _ = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                    parameters: ["USERNAME": "alice", "PASSWORD": "wrong"])
            }
            for index in 0..<20 {
                fixture.clock.advance(by: 1)
                _ = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                    parameters: ["USERNAME": "ghost\(index)", "PASSWORD": "wrong"])
            }
            // alice's lock (1 s) is over by now; lock her again for the test: 6th failure locks for 2 s.
            _ = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "wrong"])
            let report = try await store.purgeExpired(now: fixture.clock.now, maximumFailureRows: 5)
            #expect(report.failures == 16)
            #expect(try await store.rowCounts().failures == 5)
            #expect(try await store.lockedUntil(subject: "alice", kind: .password, now: fixture.clock.now) != nil)
            #expect(try await store.failureCount(subject: "ghost19", kind: .password) == 1)
            #expect(try await store.failureCount(subject: "ghost0", kind: .password) == 0)
        }
    }

    @Test("the running server purges on its own schedule")
    func scheduled() async throws {
        // The purge is one of the application's services; a live server runs it at start.
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: false, now: { clock.now }, logLevel: .critical))
        let pool = try PoolConfiguration.load(from: DataDirectory(root: directory))
        let store = SQLiteIdentityRepository(database: try CloudDatabase.open(in: DataDirectory(root: directory)))
        try await app.test(.live) { client in
            _ = try await client.initiateAuth(
                clientId: pool.defaultClient.clientId, flow: CognitoAuthFlow.userSRP,
                parameters: ["USERNAME": "ghost", "SRP_A": try SRPClientSession().publicValueHex])
            #expect(try await store.rowCounts().sessions == 1)
        }
        clock.advance(by: UserPool.challengeLifetime + 1)
        // The purge runs once a minute across every instance on the storage (by the database's clock): a start
        // within that minute would leave it to the next one. Forget the first start's run.
        try await CloudDatabase.open(in: DataDirectory(root: directory)).writer.write { db in
            try db.execute(sql: "DELETE FROM periodic_runs")
        }
        let again = try await buildApplication(
            configuration: CloudConfiguration(
                port: 0, dataDirectory: directory, demo: false, now: { clock.now }, logLevel: .critical))
        try await again.test(.live) { _ in
            let deadline = ContinuousClock.now + .seconds(10)
            while try await store.rowCounts().sessions > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await store.rowCounts().sessions == 0)
        }
    }
}
