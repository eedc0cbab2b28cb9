import Foundation
import HandsetCloudStorage
import HandsetSRP
import Testing

/// `DeviceRepository` on every backend: confirmed devices stored once per key, listed per user in key order,
/// remembered or not, forgotten only by their owner, and gone with their user.
@Suite("Contract: DeviceRepository")
struct DeviceContractTests {
    static func device(_ key: String, sub: String, remembered: Bool = true) -> StoredDevice {
        StoredDevice(
            key: key, sub: sub, groupKey: "-group-\(sub)",
            verifier: SRPVerifier(salt: [0, 1, 2, 3], verifier: Array(repeating: 9, count: 384)), name: "phone \(key)",
            remembered: remembered, createdAt: testEpoch, lastModifiedAt: testEpoch)
    }

    @Test("stored once per key, read back whole, paged per user", arguments: StorageBackend.allCases)
    func storeAndList(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("alice"))
            try await identity.create(IdentityContractTests.user("bob"))
            let first = Self.device("us-east-1_b", sub: "sub-alice")
            #expect(try await identity.storeDevice(first))
            #expect(try await identity.device(key: first.key) == first)
            // The key is taken, whoever asks.
            #expect(!(try await identity.storeDevice(Self.device("us-east-1_b", sub: "sub-bob"))))
            #expect(try await identity.device(key: first.key)?.sub == "sub-alice")
            #expect(try await identity.storeDevice(Self.device("us-east-1_a", sub: "sub-alice", remembered: false)))
            #expect(try await identity.storeDevice(Self.device("us-east-1_c", sub: "sub-alice")))
            #expect(try await identity.storeDevice(Self.device("us-east-1_z", sub: "sub-bob")))

            let page1 = try await identity.devices(sub: "sub-alice", after: nil, limit: 2)
            #expect(page1.map(\.key) == ["us-east-1_a", "us-east-1_b"])
            #expect(page1.first?.remembered == false)
            let page2 = try await identity.devices(sub: "sub-alice", after: page1.last?.key, limit: 2)
            #expect(page2.map(\.key) == ["us-east-1_c"])
            #expect(try await identity.devices(sub: "sub-bob", after: nil, limit: 10).map(\.key) == ["us-east-1_z"])
            #expect(try await identity.device(key: "us-east-1_unknown") == nil)
        }
    }

    @Test("remembered status and forgetting touch only the owner's device", arguments: StorageBackend.allCases)
    func ownerOnly(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("alice"))
            try await identity.create(IdentityContractTests.user("bob"))
            #expect(try await identity.storeDevice(Self.device("k1", sub: "sub-alice", remembered: false)))
            let later = testEpoch.addingTimeInterval(60)

            #expect(!(try await identity.setDeviceRemembered(key: "k1", sub: "sub-bob", remembered: true, at: later)))
            #expect(try await identity.device(key: "k1")?.remembered == false)
            #expect(try await identity.setDeviceRemembered(key: "k1", sub: "sub-alice", remembered: true, at: later))
            // Setting the status it has already still finds the device.
            #expect(try await identity.setDeviceRemembered(key: "k1", sub: "sub-alice", remembered: true, at: later))
            let remembered = try #require(try await identity.device(key: "k1"))
            #expect(remembered.remembered && remembered.lastModifiedAt == later)

            try await identity.noteDeviceAuthenticated(key: "k1", at: later.addingTimeInterval(1))
            #expect(try await identity.device(key: "k1")?.lastAuthenticatedAt == later.addingTimeInterval(1))

            #expect(!(try await identity.forgetDevice(key: "k1", sub: "sub-bob")))
            #expect(try await identity.device(key: "k1") != nil)
            #expect(try await identity.forgetDevice(key: "k1", sub: "sub-alice"))
            #expect(try await identity.device(key: "k1") == nil)
            #expect(!(try await identity.forgetDevice(key: "k1", sub: "sub-alice")))
        }
    }

    @Test("deleting a user forgets their devices", arguments: StorageBackend.allCases)
    func deletedWithUser(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let identity = storage.identity
            try await identity.create(IdentityContractTests.user("alice"))
            try await identity.create(IdentityContractTests.user("bob"))
            #expect(try await identity.storeDevice(Self.device("k1", sub: "sub-alice")))
            #expect(try await identity.storeDevice(Self.device("k2", sub: "sub-bob")))
            try await identity.delete(sub: "sub-alice")
            #expect(try await identity.device(key: "k1") == nil)
            #expect(try await identity.device(key: "k2") != nil)
        }
    }
}
