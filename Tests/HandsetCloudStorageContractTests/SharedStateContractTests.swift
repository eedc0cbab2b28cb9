import Foundation
import HandsetCloudStorage
import Testing

/// The small stores every instance shares: keys, settings, periodic runs and the mailbox. Whatever is created on
/// first start is created once, whichever instance gets there first.
@Suite("Contract: keys, settings, leases, mailbox")
struct SharedStateContractTests {
    /// A stand-in for a PEM key: the repositories store the text as it is.
    static func pem(_ name: String) -> String {
        "-----BEGIN PRIVATE KEY-----\n\(name)\n-----END PRIVATE KEY-----\n"
    }

    @Test(
        "signing keys: created once, rotated, retired keys kept newest first, removed when expired",
        arguments: StorageBackend.allCases)
    func signingKeys(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let keys = storage.keys
            let first = try await keys.signingKeys(creatingWith: { Self.pem("first") })
            #expect(first.map(\.privateKeyPEM) == [Self.pem("first")] && first[0].retiredAt == nil)
            let again = try await keys.signingKeys(creatingWith: { Self.pem("unused") })
            #expect(again.map(\.privateKeyPEM) == [Self.pem("first")])

            let rotatedAt = testEpoch.addingTimeInterval(100)
            let afterRotation = try await keys.rotateSigningKey(to: Self.pem("second"), at: rotatedAt)
            #expect(afterRotation.map(\.privateKeyPEM) == [Self.pem("second"), Self.pem("first")])
            #expect(afterRotation[0].retiredAt == nil && afterRotation[1].retiredAt == rotatedAt)
            _ = try await keys.rotateSigningKey(to: Self.pem("third"), at: rotatedAt.addingTimeInterval(100))
            let three = try await keys.signingKeys(creatingWith: { Self.pem("unused") })
            #expect(three.map(\.privateKeyPEM) == [Self.pem("third"), Self.pem("second"), Self.pem("first")])

            #expect(try await keys.removeSigningKeys(retiredBefore: rotatedAt) == 0)
            #expect(try await keys.removeSigningKeys(retiredBefore: rotatedAt.addingTimeInterval(1)) == 1)
            let two = try await keys.signingKeys(creatingWith: { Self.pem("unused") })
            #expect(two.map(\.privateKeyPEM) == [Self.pem("third"), Self.pem("second")])
        }
    }

    @Test(
        "instances starting together agree on one signing key and one of each secret",
        arguments: StorageBackend.allCases)
    func createdOnce(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let keys = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await instances[index % 3].keys.signingKeys(creatingWith: { Self.pem("key \(index)") })[0]
                            .privateKeyPEM
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(keys.count == 1)
            for name in SecretName.allCases {
                let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                    for index in 0..<9 {
                        group.addTask {
                            try await instances[index % 3].keys.secret(
                                named: name, creatingWith: { (0..<32).map { _ in UInt8(index) } })
                        }
                    }
                    return try await group.reduce(into: Set<[UInt8]>()) { $0.insert($1) }
                }
                #expect(secrets.count == 1 && secrets.first?.count == 32, "\(name)")
            }
            let block = try await instances[0].keys.secret(named: .secretBlock, creatingWith: { [] })
            let signing = try await instances[1].keys.secret(named: .objectSigning, creatingWith: { [] })
            #expect(block.count == 32 && signing.count == 32)
        }
    }

    @Test("concurrent rotations on several instances leave exactly one current key", arguments: StorageBackend.allCases)
    func concurrentRotations(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            _ = try await instances[0].keys.signingKeys(creatingWith: { Self.pem("start") })
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        _ = try await instances[index % 3].keys.rotateSigningKey(
                            to: Self.pem("rotated \(index)"), at: testEpoch.addingTimeInterval(Double(index)))
                    }
                }
                try await group.waitForAll()
            }
            let keys = try await instances[2].keys.signingKeys(creatingWith: { Self.pem("unused") })
            #expect(keys.count == 7)
            #expect(keys.filter { $0.retiredAt == nil }.count == 1)
            #expect(Set(keys.map(\.privateKeyPEM)).count == 7)
        }
    }

    @Test("settings documents: created once, then read; replaced", arguments: StorageBackend.allCases)
    func settings(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let documents = try await withThrowingTaskGroup(of: Data.self) { group in
                for index in 0..<9 {
                    group.addTask {
                        try await instances[index % 3].settings.document(
                            .pool, creatingWith: { Data(#"{"instance": \#(index), "name": "Zoë"}"#.utf8) })
                    }
                }
                return try await group.reduce(into: Set<Data>()) { $0.insert($1) }
            }
            #expect(documents.count == 1)
            let stored = try #require(documents.first)
            #expect(String(decoding: stored, as: UTF8.self).contains("Zoë"))
            let notifications = try await instances[0].settings.document(
                .notifications, creatingWith: { Data(#"{"kind": "notifications"}"#.utf8) })
            #expect(notifications != stored)
            let replacement = Data(#"{"replaced": true}"#.utf8)
            try await instances[1].settings.replaceDocument(.pool, with: replacement)
            #expect(try await instances[2].settings.document(.pool, creatingWith: { Data() }) == replacement)
            struct NotCalled: Error {}
            #expect(
                try await instances[0].settings.document(.notifications, creatingWith: { throw NotCalled() })
                    == notifications)
        }
    }

    @Test(
        "periodic runs: the first claim runs, then none until the interval has passed",
        arguments: StorageBackend.allCases)
    func leases(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let leases = storage.leases
            let first = try await leases.claimRun("purge", interval: .seconds(3600), holder: "a")
            #expect(first)
            #expect(try await !leases.claimRun("purge", interval: .seconds(3600), holder: "b"))
            #expect(try await leases.claimRun("lifecycle", interval: .seconds(3600), holder: "b"), "names apart")
            #expect(try await leases.claimRun("purge", interval: .zero, holder: "b"), "an interval that has passed")
        }
    }

    @Test(
        "of concurrent claims of a due run on several instances, exactly one wins", arguments: StorageBackend.allCases)
    func leaseRace(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await instances[index % 3].leases.claimRun(
                            "sweep", interval: .seconds(3600), holder: "instance \(index % 3)")
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(winners == 1)
        }
    }

    @Test("the mailbox keeps every message in order", arguments: StorageBackend.allCases)
    func mailbox(backend: StorageBackend) async throws {
        try await backend.withInstances(2) { instances in
            func message(_ index: Int) -> SentMessage {
                SentMessage(
                    time: "2026-11-18T11:06:4\(index).000Z", username: "zoë", medium: index % 2 == 0 ? "EMAIL" : "SMS",
                    destination: "zoe@example.com", purpose: "SignUp", code: "12345\(index)",
                    message: "Your code is 12345\(index) ✓")
            }
            #expect(try await instances[0].mailbox.messages().isEmpty)
            for index in 0..<4 { try await instances[index % 2].mailbox.append(message(index)) }
            #expect(try await instances[1].mailbox.messages() == (0..<4).map(message))
        }
    }
}
