import Foundation
import HandsetCloudStorage
import HandsetSRP
import Testing

/// Managed login's stores, on every backend, with several instances where a race matters: codes and device
/// authorizations used once, federation requests claimed once, browser sessions changed in one transaction,
/// provider identities linked once, and the pool settings changed without lost updates.
@Suite("Contract: managed login's stores and live pool settings")
struct HostedUIContractTests {
    static func grant(_ hash: String, expiresIn seconds: TimeInterval = 300) -> AuthorizationCodeGrant {
        AuthorizationCodeGrant(
            codeHash: hash, clientId: "client-1", redirectURI: "http://127.0.0.1:5000/callback",
            codeChallenge: String(repeating: "c", count: 43), sub: "sub-alice", scopes: ["openid", "email"],
            nonce: "n-1", authTime: 1_795_000_000, createdAt: testEpoch,
            expiresAt: testEpoch.addingTimeInterval(seconds))
    }

    @Test(
        "authorization codes: redeemed once of many at once, a reuse names the sign-in, expiry, purge",
        arguments: StorageBackend.allCases)
    func codes(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            try await instances[0].hostedUI.codes.store(Self.grant("code-1"))
            let outcomes = try await withThrowingTaskGroup(of: CodeRedemption.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await instances[index % 3].hostedUI.codes.redeem(
                            codeHash: "code-1", now: testEpoch.addingTimeInterval(1))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let redeemed = outcomes.compactMap { outcome -> AuthorizationCodeGrant? in
                if case .redeemed(let grant) = outcome { return grant }
                return nil
            }
            #expect(redeemed == [Self.grant("code-1")], "exactly one redemption, with every field as stored")
            try await instances[1].hostedUI.codes.noteSignIn(codeHash: "code-1", originJti: "jti-1")
            #expect(
                try await instances[2].hostedUI.codes.redeem(codeHash: "code-1", now: testEpoch)
                    == .reused(originJti: "jti-1"))
            #expect(try await instances[0].hostedUI.codes.redeem(codeHash: "unknown", now: testEpoch) == .invalid)

            try await instances[0].hostedUI.codes.store(Self.grant("code-2", expiresIn: 10))
            #expect(
                try await instances[0].hostedUI.codes.redeem(codeHash: "code-2", now: testEpoch.addingTimeInterval(11))
                    == .invalid)
            try await instances[0].hostedUI.codes.purge(before: testEpoch.addingTimeInterval(301))
            #expect(try await instances[0].hostedUI.codes.redeem(codeHash: "code-1", now: testEpoch) == .invalid)

            let signIn = OAuthSignIn(
                originJti: "jti-1", clientId: "client-1", scopes: ["openid"],
                expiresAt: testEpoch.addingTimeInterval(60))
            try await instances[0].hostedUI.signIns.record(signIn)
            var wider = signIn
            wider.scopes = ["openid", "email"]
            try await instances[1].hostedUI.signIns.record(wider)
            #expect(try await instances[2].hostedUI.signIns.signIn(originJti: "jti-1") == wider)
            try await instances[2].hostedUI.signIns.purge(before: testEpoch.addingTimeInterval(61))
            #expect(try await instances[0].hostedUI.signIns.signIn(originJti: "jti-1") == nil)
        }
    }

    @Test(
        "browser sessions: the pending sign-in round-trips, changes are whole, expiry and purge",
        arguments: StorageBackend.allCases)
    func sessions(backend: StorageBackend) async throws {
        try await backend.withInstances(2) { instances in
            let session = BrowserSession(
                idHash: "session-1", csrfToken: "csrf-1", sub: nil, authTime: nil, pending: nil, createdAt: testEpoch,
                expiresAt: testEpoch.addingTimeInterval(3600))
            try await instances[0].hostedUI.sessions.create(session)
            let pending = PendingSignIn(
                clientId: "client-1", username: "tina", challengeName: "SOFTWARE_TOKEN_MFA",
                challengeSession: "opaque-session", parameters: ["CODE_DELIVERY_DESTINATION": "t***@e***"])
            let changed = try await instances[1].hostedUI.sessions.update(idHash: "session-1", now: testEpoch) {
                $0.pending = pending
                $0.sub = "sub-tina"
                $0.authTime = 1_795_000_100
            }
            #expect(changed?.pending == pending)
            let read = try await instances[0].hostedUI.sessions.session(idHash: "session-1", now: testEpoch)
            #expect(read?.pending == pending && read?.sub == "sub-tina" && read?.authTime == 1_795_000_100)
            #expect(read?.csrfToken == "csrf-1" && read?.createdAt == testEpoch)

            let late = testEpoch.addingTimeInterval(3601)
            #expect(try await instances[0].hostedUI.sessions.session(idHash: "session-1", now: late) == nil)
            #expect(try await instances[0].hostedUI.sessions.update(idHash: "session-1", now: late) { _ in } == nil)
            try await instances[1].hostedUI.sessions.delete(idHash: "session-1")
            #expect(try await instances[0].hostedUI.sessions.session(idHash: "session-1", now: testEpoch) == nil)
            try await instances[0].hostedUI.sessions.create(session)
            try await instances[0].hostedUI.sessions.purge(before: late)
            #expect(try await instances[1].hostedUI.sessions.session(idHash: "session-1", now: testEpoch) == nil)
        }
    }

    static func device(_ hash: String, userCode: String) -> DeviceAuthorization {
        DeviceAuthorization(
            deviceCodeHash: hash, userCode: userCode, clientId: "client-1", scopes: ["openid"], status: .pending,
            sub: nil, authTime: nil, interval: 5, lastPolledAt: nil, createdAt: testEpoch,
            expiresAt: testEpoch.addingTimeInterval(600))
    }

    @Test(
        "device codes: unique user codes, pending, slow_down, approved once across instances, denied, expired",
        arguments: StorageBackend.allCases)
    func devices(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let devices = instances.map(\.hostedUI.devices)
            #expect(try await devices[0].create(Self.device("device-1", userCode: "BCDFGHJK")))
            #expect(!(try await devices[1].create(Self.device("device-2", userCode: "BCDFGHJK"))), "user code taken")
            #expect(try await devices[2].pending(userCode: "BCDFGHJK", now: testEpoch)?.deviceCodeHash == "device-1")
            #expect(
                try await devices[0].poll(deviceCodeHash: "device-1", clientId: "other", now: testEpoch) == .invalid)
            #expect(
                try await devices[0].poll(deviceCodeHash: "device-1", clientId: "client-1", now: testEpoch) == .pending)
            let soon = testEpoch.addingTimeInterval(2)
            #expect(try await devices[1].poll(deviceCodeHash: "device-1", clientId: "client-1", now: soon) == .slowDown)
            #expect(
                try await devices[2].pending(userCode: "BCDFGHJK", now: soon)?.interval == 10, "slow_down adds 5 s")

            #expect(
                try await devices[2].decide(
                    userCode: "BCDFGHJK", approve: true, sub: "sub-alice", authTime: 1_795_000_000, now: soon))
            #expect(
                !(try await devices[0].decide(
                    userCode: "BCDFGHJK", approve: false, sub: "sub-bob", authTime: 1_795_000_000, now: soon)),
                "decided once")
            let later = testEpoch.addingTimeInterval(30)
            let polls = try await withThrowingTaskGroup(of: DevicePoll.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await devices[index % 3].poll(deviceCodeHash: "device-1", clientId: "client-1", now: later)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let approved = polls.compactMap { poll -> DeviceAuthorization? in
                if case .approved(let authorization) = poll { return authorization }
                return nil
            }
            #expect(approved.count == 1, "the tokens are handed out once: \(polls)")
            #expect(approved.first?.sub == "sub-alice" && approved.first?.authTime == 1_795_000_000)

            #expect(try await devices[0].create(Self.device("device-3", userCode: "CDFGHJKL")))
            #expect(
                try await devices[1].decide(
                    userCode: "CDFGHJKL", approve: false, sub: "sub-bob", authTime: 1, now: testEpoch))
            #expect(try await devices[2].poll(deviceCodeHash: "device-3", clientId: "client-1", now: later) == .denied)
            #expect(try await devices[0].create(Self.device("device-4", userCode: "DFGHJKLM")))
            let expired = testEpoch.addingTimeInterval(601)
            #expect(
                try await devices[0].poll(deviceCodeHash: "device-4", clientId: "client-1", now: expired) == .expired)
            #expect(try await devices[0].pending(userCode: "DFGHJKLM", now: expired) == nil)
            try await devices[0].purge(before: expired)
            #expect(
                try await devices[1].poll(deviceCodeHash: "device-4", clientId: "client-1", now: testEpoch) == .invalid)
        }
    }

    @Test(
        "federation requests: claimed once of many at once; provider identities linked once, gone with their user",
        arguments: StorageBackend.allCases)
    func federation(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let request = FederationRequest(
                stateHash: "state-1", provider: "Corp", nonce: "nonce-1", codeVerifier: "verifier-1",
                browserSessionHash: "session-1", continuationQuery: "client_id=c&state=s%20t", createdAt: testEpoch,
                expiresAt: testEpoch.addingTimeInterval(900))
            try await instances[0].hostedUI.federation.create(request)
            let claims = try await withThrowingTaskGroup(of: FederationRequest?.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await instances[index % 3].hostedUI.federation.claim(stateHash: "state-1", now: testEpoch)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.compactMap { $0 } == [request])
            var second = request
            second.stateHash = "state-2"
            try await instances[1].hostedUI.federation.create(second)
            #expect(
                try await instances[2].hostedUI.federation.claim(
                    stateHash: "state-2", now: testEpoch.addingTimeInterval(901)) == nil, "expired")

            try await instances[0].identity.create(IdentityContractTests.user("bob"))
            let identity = LinkedIdentity(
                providerName: "Corp", providerType: "OIDC", providerUserId: "corp-42", sub: "sub-bob",
                linkedAt: testEpoch)
            let links = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<6 {
                    group.addTask { try await instances[index % 3].hostedUI.identities.link(identity) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(links.filter { $0 }.count == 1, "linked once")
            var toAlice = identity
            toAlice.sub = "sub-alice"
            #expect(!(try await instances[1].hostedUI.identities.link(toAlice)), "one identity, one user")
            #expect(
                try await instances[2].hostedUI.identities.sub(providerName: "Corp", providerUserId: "corp-42")
                    == "sub-bob")
            var google = identity
            google.providerName = "Google"
            google.linkedAt = testEpoch.addingTimeInterval(5)
            #expect(try await instances[0].hostedUI.identities.link(google))
            #expect(
                try await instances[1].hostedUI.identities.identities(of: "sub-bob").map(\.providerName)
                    == ["Corp", "Google"])
            try await instances[2].identity.delete(sub: "sub-bob")
            #expect(try await instances[0].hostedUI.identities.identities(of: "sub-bob").isEmpty)
            #expect(
                try await instances[0].hostedUI.identities.sub(providerName: "Corp", providerUserId: "corp-42") == nil)
        }
    }

    @Test(
        "settings: concurrent read-change-writes from several instances lose nothing",
        arguments: StorageBackend.allCases)
    func settingsUpdates(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            _ = try await instances[0].settings.document(.pool, creatingWith: { Data("0".utf8) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        _ = try await instances[index % 3].settings.updateDocument(.pool) { data in
                            Data(String((Int(String(decoding: data, as: UTF8.self)) ?? -1000) + 1).utf8)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await instances[1].settings.document(.pool, creatingWith: { Data() })
            #expect(String(decoding: final, as: UTF8.self) == "30")
            struct Refusal: Error {}
            await #expect(throws: Refusal.self) {
                _ = try await instances[2].settings.updateDocument(.pool) { _ in throw Refusal() }
            }
            #expect(try await instances[0].settings.document(.pool, creatingWith: { Data() }) == final)

            // Files tell cheaply when they changed (another instance's write, or an edit by hand); a database
            // says it cannot, and is polled instead.
            let settings = instances[0].settings
            switch backend {
            case .sqlite:
                #expect(settings.watchesChanges)
                let seen = try #require(settings.changedDocument(.pool, since: nil))
                #expect(seen.data == final && settings.changedDocument(.pool, since: seen.stamp) == nil)
                _ = try await instances[1].settings.updateDocument(.pool) { _ in Data("31".utf8) }
                #expect(settings.changedDocument(.pool, since: seen.stamp)?.data == Data("31".utf8))
            case .mysql:
                #expect(!settings.watchesChanges && settings.changedDocument(.pool, since: nil) == nil)
            }
        }
    }
}
