import Foundation
import HandsetCloudStorage
import Testing

/// Group updates and deletion, group members a page at a time, and sign-in events, on every backend.
@Suite("Contract: group administration and sign-in events")
struct GroupAdministrationContractTests {
    @Test(
        "a group's description, precedence and role change in place; deleting it ends its memberships",
        arguments: StorageBackend.allCases)
    func groups(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.createGroup(
                PoolGroup(
                    name: "staff", description: "Staff", precedence: 3, roleArn: "arn:aws:iam::000000000000:role/Staff",
                    createdAt: testEpoch, updatedAt: testEpoch))
            #expect(try await identity.group(named: "staff")?.roleArn == "arn:aws:iam::000000000000:role/Staff")
            let later = testEpoch.addingTimeInterval(60)
            let updated = try await identity.updateGroup(named: "staff") { group in
                group.description = nil
                group.precedence = 1
                group.roleArn = "arn:aws:iam::000000000000:role/Other"
                group.name = "renamed"
                group.updatedAt = later
            }
            #expect(updated.name == "staff", "a group's name never changes")
            #expect(try await identity.group(named: "staff") == updated)
            #expect(updated.description == nil && updated.precedence == 1 && updated.updatedAt == later)
            #expect(updated.createdAt == testEpoch)
            await #expect(throws: IdentityRepositoryFailure.groupNotFound) {
                try await identity.updateGroup(named: "nobody") { _ in }
            }

            for name in ["carol", "Alice", "bob", "dave"] {
                try await identity.create(IdentityContractTests.user(name, groups: name == "dave" ? [] : ["staff"]))
            }
            let first = try await identity.users(inGroup: "staff", after: nil, limit: 2)
            #expect(first.map(\.username) == ["Alice", "bob"], "case-insensitive username order")
            let rest = try await identity.users(inGroup: "staff", after: first.last?.username, limit: 2)
            #expect(rest.map(\.username) == ["carol"])
            await #expect(throws: IdentityRepositoryFailure.groupNotFound) {
                try await identity.users(inGroup: "nobody", after: nil, limit: 2)
            }

            try await identity.deleteGroup(named: "staff")
            #expect(try await identity.group(named: "staff") == nil)
            #expect(try await identity.user(named: "alice")?.groups == [])
            await #expect(throws: IdentityRepositoryFailure.groupNotFound) {
                try await identity.deleteGroup(named: "staff")
            }
            // A new group of the same name starts empty.
            try await identity.createGroup(
                PoolGroup(name: "staff", description: nil, precedence: nil, createdAt: later, updatedAt: later))
            #expect(try await identity.users(inGroup: "staff", after: nil, limit: 10).isEmpty)
        }
    }

    @Test(
        "sign-in events: newest first, paged by position, bounded per user, gone with the user",
        arguments: StorageBackend.allCases)
    func events(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            let alice = IdentityContractTests.user("alice")
            try await identity.create(alice)
            func event(_ index: Int, sub: String = alice.sub) -> AuthEvent {
                AuthEvent(
                    eventId: String(format: "e-%03d-\(sub)", index), sub: sub, type: "SignIn",
                    response: index % 2 == 0 ? .pass : .fail,
                    challenges: [.init(challenge: "Password", succeeded: index % 2 == 0)],
                    clientId: index % 3 == 0 ? nil : "client",
                    // Two events share each second: the id orders them.
                    createdAt: testEpoch.addingTimeInterval(Double(index / 2)))
            }
            for index in 0..<(AuthEvent.retained + 5) { try await identity.recordAuthEvent(event(index)) }
            try await identity.recordAuthEvent(event(1, sub: "sub-other"))

            let first = try await identity.authEvents(sub: alice.sub, before: nil, limit: 3)
            let newest = AuthEvent.retained + 4
            #expect(first == [event(newest), event(newest - 1), event(newest - 2)])
            let last = try #require(first.last)
            let next = try await identity.authEvents(
                sub: alice.sub, before: AuthEventCursor(createdAt: last.createdAt, eventId: last.eventId), limit: 2)
            #expect(next == [event(newest - 3), event(newest - 4)])
            let all = try await identity.authEvents(sub: alice.sub, before: nil, limit: 1000)
            #expect(all.count == AuthEvent.retained, "only the newest are kept")
            #expect(all.last == event(5))

            // Times between microseconds: what comes back is a position that finds the events after it exactly.
            let bob = IdentityContractTests.user("bob")
            try await identity.create(bob)
            let odd = testEpoch.addingTimeInterval(0.123_456_789)
            for id in ["b-1", "b-2"] {
                try await identity.recordAuthEvent(
                    AuthEvent(
                        eventId: id, sub: bob.sub, type: "SignIn", response: .pass, challenges: [], clientId: nil,
                        createdAt: odd))
            }
            let stored = try await identity.authEvents(sub: bob.sub, before: nil, limit: 5)
            #expect(stored.map(\.eventId) == ["b-2", "b-1"])
            #expect(abs(stored[0].createdAt.timeIntervalSince(odd)) < 0.000_001)
            let after = try await identity.authEvents(
                sub: bob.sub, before: AuthEventCursor(createdAt: stored[0].createdAt, eventId: stored[0].eventId),
                limit: 5)
            #expect(after.map(\.eventId) == ["b-1"])

            try await identity.delete(sub: alice.sub)
            #expect(try await identity.authEvents(sub: alice.sub, before: nil, limit: 10).isEmpty)
            #expect(try await identity.authEvents(sub: "sub-other", before: nil, limit: 10).count == 1)
        }
    }
}
