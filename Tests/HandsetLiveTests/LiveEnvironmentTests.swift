import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire
import Testing

@testable import HandsetLive

/// The live environment (Cognito client, API client, session manager, sync engine, SQLite store) against an
/// in-memory cloud.
@Suite struct LiveEnvironmentTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var value = Date(timeIntervalSince1970: 1_800_000_000)
        var now: Date { lock.withLock { value } }
        func advance(_ seconds: TimeInterval) { lock.withLock { value += seconds } }
    }

    final class SavedTokens: @unchecked Sendable {
        private let lock = NSLock()
        private var value: TokenSet?
        private(set) var writes = 0
        var tokens: TokenSet? { lock.withLock { value } }
        func save(_ tokens: TokenSet?) {
            lock.withLock {
                value = tokens; writes += 1
            }
        }
    }

    struct Fixture {
        let cloud: FakeCloud
        let store: LocalStore
        let session: SessionManager
        let environment: AppEnvironment
        let clock = Clock()
        let saved = SavedTokens()

        /// - Parameter clientSecret: the app client's secret, shared by the cloud and the client.
        init(clientSecret: String? = nil) throws {
            store = try LocalStore()
            let cloud = FakeCloud(clientSecret: clientSecret)
            self.cloud = cloud
            let clock = self.clock
            let saved = self.saved
            let configuration = cloud.clientConfiguration
            session = SessionManager(
                cognito: CognitoClient(configuration: configuration, transport: cloud), tokens: nil,
                now: { clock.now }, persist: { saved.save($0) })
            environment = AppEnvironment.live(
                configuration: configuration, store: store, session: session, transport: cloud,
                flow: .password,
                now: { clock.now })
        }
    }

    static func tasks(_ count: Int) -> [JSONValue] {
        (0..<count).map {
            [
                "id": .string(String(format: "t%04d", $0)), "version": 1, "updatedAt": "2026-11-27T10:00:00.000Z",
                "owner": "sub-alice", "title": .string("Task \($0)"),
            ]
        }
    }

    @Test func signInStoresTokensAndNamesTheUser() async throws {
        let fixture = try Fixture()
        let event = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        #expect(
            event
                == .signIn(
                    .succeeded(
                        SignedInUser(
                            sub: "sub-alice", username: "alice", email: nil,
                            claims: ["sub": "sub-alice", "cognito:username": "alice"]))))
        #expect(fixture.saved.tokens?.refreshToken == "refresh-1")
        #expect(fixture.saved.tokens?.expiresAt == fixture.clock.now.addingTimeInterval(3600))
    }

    @Test func wrongPasswordAndUnreachableCloudGiveClearMessages() async throws {
        let fixture = try Fixture()
        #expect(
            await fixture.environment.perform(.signIn(username: "alice", password: "nope"))
                == .signIn(.failed("Incorrect username or password.")))
        fixture.cloud.setReachable(false)
        #expect(
            await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
                == .signIn(.failed("Cannot sign in: cannot reach fake.invalid")))
        #expect(fixture.saved.tokens == nil)
    }

    /// The schema comes with the orders the signed-in user saved, so a user who signs in after another sees their own.
    @Test func theSchemaCarriesTheSignedInUsersSavedOrders() async throws {
        let fixture = try Fixture()
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        let byTitle = RecordSort(field: "title", descending: true)
        try fixture.store.setSort(byTitle, collection: "tasks")
        let schemaEvent = await fixture.environment.perform(.refreshSchema)
        guard case .list(.schemaLoaded(_, let sorts)) = schemaEvent else {
            Issue.record("expected a schema, got \(schemaEvent)")
            return
        }
        #expect(sorts == ["tasks": byTitle])
    }

    @Test func syncPagesThroughEverythingIntoTheStore() async throws {
        let fixture = try Fixture()
        fixture.cloud.setRecords("tasks", Self.tasks(450))
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        let schemaEvent = await fixture.environment.perform(.refreshSchema)
        guard case .list(.schemaLoaded(let schema, _)) = schemaEvent else {
            Issue.record("expected a schema, got \(schemaEvent)")
            return
        }
        #expect(schema.collections.map(\.name) == ["tasks"])
        #expect(fixture.store.cachedSchema() == schema, "the schema is cached for offline starts")
        // A write made offline goes out first, then the change feed brings everything (it included).
        try fixture.store.createRecord(
            collection: "tasks", id: "zz-new", fields: ["title": "Offline"], owner: "sub-alice", now: fixture.clock.now)
        #expect(
            await fixture.environment.perform(.sync(collection: "tasks"))
                == .sync(.finished(collection: "tasks", count: 451, at: fixture.clock.now)))
        #expect(try fixture.store.recordCount(collection: "tasks") == 451)
        #expect(try fixture.store.pendingCount() == 0)
        #expect(try fixture.store.record(collection: "tasks", id: "zz-new")?.syncState == .synced)
        let loaded = await fixture.environment.perform(.loadRecords(collection: "tasks", offset: 440, limit: 100))
        guard case .list(.recordsLoaded(_, 440, let records, 451, _)) = loaded else {
            Issue.record("unexpected \(loaded)")
            return
        }
        #expect(records.map(\.id).first == "t0440")
        #expect(records.count == 11)
    }

    @Test func offlineSyncKeepsTheCacheAndReportsOffline() async throws {
        let fixture = try Fixture()
        fixture.cloud.setRecords("tasks", Self.tasks(3))
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        _ = await fixture.environment.perform(.sync(collection: "tasks"))
        fixture.cloud.setReachable(false)
        #expect(
            await fixture.environment.perform(.sync(collection: "tasks"))
                == .sync(.failed(message: "cannot reach fake.invalid", offline: true)))
        #expect(try fixture.store.recordCount(collection: "tasks") == 3)
        #expect(fixture.saved.tokens != nil, "a network error never signs anyone out")
    }

    @Test func expiringTokensAreRefreshedOnceForManyRequests() async throws {
        let fixture = try Fixture()
        fixture.cloud.setRecords("tasks", Self.tasks(1))
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        fixture.clock.advance(3600)
        fixture.cloud.revokeAllIDTokens()
        let environment = fixture.environment
        let results = await withTaskGroup(of: AppEvent.self) { group in
            for _ in 0..<20 { group.addTask { await environment.perform(.sync(collection: "tasks")) } }
            return await group.reduce(into: [AppEvent]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { if case .sync(.finished) = $0 { return true } else { return false } })
        #expect(fixture.cloud.refreshCalls == 1)
    }

    @Test func aRefusedRefreshEndsTheSessionButKeepsTheCache() async throws {
        let fixture = try Fixture()
        fixture.cloud.setRecords("tasks", Self.tasks(2))
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        _ = await fixture.environment.perform(.sync(collection: "tasks"))
        fixture.cloud.revokeAllIDTokens()
        fixture.cloud.setRefreshAccepted(false)
        #expect(await fixture.environment.perform(.sync(collection: "tasks")) == .account(.sessionExpired))
        #expect(fixture.saved.tokens == nil, "the token cache is removed")
        #expect(try fixture.store.recordCount(collection: "tasks") == 2, "the cache stays")
    }

    /// Issue 17: the app's sign-out sent RevokeToken without the client secret, so with an app client that has one
    /// the refresh token was never revoked and the app said the server could not be told.
    @Test func signOutRevokesTheRefreshTokenOfAClientWithASecret() async throws {
        let fixture = try Fixture(clientSecret: "s3cr3t")
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        #expect(
            await fixture.environment.perform(.signOut(everywhere: false))
                == .account(.signedOut(message: "Signed out")))
        #expect(fixture.cloud.revokedRefreshTokens == ["refresh-1"])
        #expect(fixture.saved.tokens == nil, "the token cache is removed")
    }

    @Test func signOutEverywhereAndASignOutTheServerRefusesStillSignOutHere() async throws {
        let fixture = try Fixture()
        _ = await fixture.environment.perform(.signIn(username: "alice", password: "right-password"))
        #expect(
            await fixture.environment.perform(.signOut(everywhere: true))
                == .account(.signedOut(message: "Signed out everywhere")))
        #expect(fixture.cloud.globalSignOuts == 1)
        #expect(fixture.cloud.revokedRefreshTokens.isEmpty)

        // Signed in again on a client whose secret the cloud does not know: Cognito refuses the revocation.
        let mismatched = try Fixture(clientSecret: "s3cr3t")
        let session = SessionManager(
            cognito: CognitoClient(configuration: FakeCloud.configuration, transport: mismatched.cloud), tokens: nil,
            persist: { _ in })
        let environment = AppEnvironment.live(
            configuration: FakeCloud.configuration, store: mismatched.store, session: session,
            transport: mismatched.cloud, flow: .password)
        _ = await environment.perform(.signIn(username: "alice", password: "right-password"))
        #expect(
            await environment.perform(.signOut(everywhere: false))
                == .account(.signedOut(message: "Signed out on this device (the server could not be told)")))
        #expect(mismatched.cloud.revokedRefreshTokens.isEmpty)
        #expect(await session.current == nil)
    }
}
