import Foundation
import HandsetCloudStorage
import HandsetWire
import Testing

@Suite("Contract: RecordRepository")
struct RecordRepositoryContractTests {
    static let respondNothing: @Sendable (StoredRecord?) -> StoredResponse = { _ in
        StoredResponse(status: 0, headers: [:], body: "")
    }

    @Test("create, read, and a second create of the same id", arguments: StorageBackend.allCases)
    func create(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let records = storage.records
            let created = try await records.create(
                collection: "notes", id: "n1", owner: "u1", body: ["text": "hi", "id": "ignored", "n": 2],
                at: testEpoch)
            #expect(created.version == 1 && !created.deleted && created.owner == "u1")
            #expect(created.bodyText == #"{"n":2,"text":"hi"}"#)
            #expect(created.updatedAt == "2026-11-18T11:06:40.000Z")
            #expect(try await records.record(collection: "notes", id: "n1") == created)
            #expect(try await records.record(collection: "notes", id: "n2") == nil)
            #expect(try await records.record(collection: "other", id: "n1") == nil)
            await #expect(throws: RecordRepositoryError.alreadyExists) {
                try await records.create(collection: "notes", id: "n1", owner: "u2", body: [:], at: testEpoch)
            }
        }
    }

    @Test(
        "a write decides on the record as it is: save, keep, delete; versions, tombstones, last device",
        arguments: StorageBackend.allCases)
    func decisions(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let records = storage.records
            func write(
                _ device: String?, _ decide: @escaping @Sendable (StoredRecord?) throws -> RecordDecision
            )
                async throws -> RecordWriteOutcome
            {
                try await records.write(
                    collection: "notes", id: "n1", at: testEpoch, device: device, idempotency: nil, decide: decide,
                    respond: Self.respondNothing)
            }
            guard case .written(nil, changed: false) = try await write(nil, { _ in .keep }) else {
                Issue.record("keep without a record wrote something")
                return
            }
            guard
                case .written(let first?, changed: true) = try await write(
                    "u1 phone",
                    {
                        #expect($0 == nil)
                        return .save(owner: "u1", body: ["text": "one"])
                    })
            else { Issue.record("no first version"); return }
            #expect(first.version == 1 && first.lastDevice == "u1 phone")
            guard
                case .written(let second?, changed: true) = try await write(
                    nil,
                    {
                        #expect($0?.version == 1)
                        return .save(owner: $0?.owner ?? "", body: ["text": "two"])
                    })
            else { Issue.record("no second version"); return }
            #expect(second.version == 2 && second.lastDevice == "u1 phone", "no device keeps the last one")
            #expect(second.sequence > first.sequence)
            guard case .written(let kept?, changed: false) = try await write("u1 laptop", { _ in .keep }) else {
                Issue.record("keep changed something")
                return
            }
            #expect(kept == second)
            guard case .written(let tombstone?, changed: true) = try await write("u1 laptop", { _ in .delete }) else {
                Issue.record("no tombstone")
                return
            }
            #expect(tombstone.deleted && tombstone.version == 3 && tombstone.bodyText == "{}")
            #expect(tombstone.lastDevice == nil && tombstone.owner == "u1")
            #expect(try await records.record(collection: "notes", id: "n1") == tombstone)
            await #expect(throws: Refused.self) { try await write(nil, { _ in throw Refused() }) }
            #expect(try await records.record(collection: "notes", id: "n1") == tombstone, "a refusal writes nothing")
        }
    }

    @Test(
        "a batch: each write whole or absent, every change numbered in order in the feed",
        arguments: StorageBackend.allCases)
    func batch(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let records = storage.records
            let outcomes = try await records.writeEach(
                collection: "notes", at: testEpoch, device: "u1 d",
                [
                    RecordWriteItem(id: "a", decide: { _ in .save(owner: "u1", body: ["text": "one"]) }),
                    RecordWriteItem(id: "b", decide: { _ in throw Refused() }),
                    RecordWriteItem(id: "a", decide: { .save(owner: $0?.owner ?? "", body: ["text": "two"]) }),
                    RecordWriteItem(id: "c", decide: { _ in .save(owner: "u2", body: ["text": "three"]) }),
                    RecordWriteItem(id: "c", decide: { _ in .delete }),
                    RecordWriteItem(id: "d", decide: { _ in .keep }),
                ])
            #expect(outcomes.count == 6)
            guard case .refused(let error) = outcomes[1] else { Issue.record("b was not refused"); return }
            #expect(error is Refused)
            var sequences: [Int64] = []
            for outcome in outcomes {
                if case .written(let record?, changed: true) = outcome { sequences.append(record.sequence) }
            }
            #expect(sequences.count == 4 && sequences == sequences.sorted() && Set(sequences).count == 4)
            let a = try #require(try await records.record(collection: "notes", id: "a"))
            #expect(a.version == 2 && a.body == ["text": "two"] && a.owner == "u1" && a.lastDevice == "u1 d")
            #expect(try await records.record(collection: "notes", id: "b") == nil)
            let c = try #require(try await records.record(collection: "notes", id: "c"))
            #expect(c.deleted && c.version == 2 && c.bodyText == "{}")
            #expect(try await records.record(collection: "notes", id: "d") == nil)
            let feed = try await records.changes(collection: "notes", owner: nil, after: 0, limit: 10)
            #expect(feed.map(\.id) == ["a", "c"])
            #expect(feed.map(\.sequence) == [sequences[1], sequences[3]], "each record at its last write's value")
            #expect(try await records.writeEach(collection: "notes", at: testEpoch, device: nil, []).isEmpty)
        }
    }

    @Test("the change feed: in order, from a cursor, per owner, per collection", arguments: StorageBackend.allCases)
    func changes(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let records = storage.records
            for (index, owner) in ["u1", "u2", "u1", "u2", "u1"].enumerated() {
                try await records.create(
                    collection: "notes", id: "n\(index)", owner: owner, body: ["i": .number(Double(index))],
                    at: testEpoch)
            }
            try await records.create(collection: "other", id: "x", owner: "u1", body: [:], at: testEpoch)
            _ = try await records.write(
                collection: "notes", id: "n0", at: testEpoch, device: nil, idempotency: nil,
                decide: { .save(owner: $0!.owner, body: ["i": 9]) }, respond: Self.respondNothing)
            let all = try await records.changes(collection: "notes", owner: nil, after: 0, limit: 100)
            #expect(all.map(\.id) == ["n1", "n2", "n3", "n4", "n0"], "n0 moved to the end when written again")
            #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
            let cursor = all[1].sequence
            #expect(
                try await records.changes(collection: "notes", owner: nil, after: cursor, limit: 100).map(\.id)
                    == ["n3", "n4", "n0"])
            #expect(
                try await records.changes(collection: "notes", owner: nil, after: cursor, limit: 2).map(\.id)
                    == ["n3", "n4"])
            #expect(
                try await records.changes(collection: "notes", owner: "u1", after: 0, limit: 100).map(\.id)
                    == ["n2", "n4", "n0"])
            #expect(
                try await records.changes(collection: "notes", owner: nil, after: all.last!.sequence, limit: 100)
                    .isEmpty)
            #expect(try await records.changes(collection: "other", owner: nil, after: 0, limit: 100).map(\.id) == ["x"])
        }
    }

    @Test(
        "an idempotency key replays its answer, refuses another request, and belongs to one caller",
        arguments: StorageBackend.allCases)
    func idempotency(backend: StorageBackend) async throws {
        try await backend.withStorage { storage in
            let records = storage.records
            let claim = IdempotencyClaim(scope: "u1", key: "k1", fingerprint: "f1")
            let decisions = Collected<String>()
            func write(_ claim: IdempotencyClaim, id: String) async throws -> RecordWriteOutcome {
                try await records.write(
                    collection: "notes", id: id, at: testEpoch, device: nil, idempotency: claim,
                    decide: { current in
                        decisions.append(id)
                        return .save(owner: claim.scope, body: ["v": .number(Double((current?.version ?? 0) + 1))])
                    },
                    respond: { StoredResponse(status: 201, headers: ["ETag": "\"\($0?.version ?? 0)\""], body: id) })
            }
            guard case .written(_, changed: true) = try await write(claim, id: "n1") else {
                Issue.record("the first write did not write")
                return
            }
            let replay = StoredResponse(status: 201, headers: ["ETag": "\"1\""], body: "n1")
            #expect(try await write(claim, id: "n1") == .replayed(replay))
            #expect(try await write(claim, id: "n2") == .replayed(replay), "the key answers, whatever the id")
            #expect(
                try await write(IdempotencyClaim(scope: "u1", key: "k1", fingerprint: "f2"), id: "n1") == .keyReused)
            #expect(decisions.all == ["n1"], "neither a replay nor a reused key decides anything")
            guard case .written = try await write(IdempotencyClaim(scope: "u2", key: "k1", fingerprint: "f1"), id: "n3")
            else { Issue.record("another caller's key collided"); return }
            #expect(try await records.storedResponse(for: claim) == .replay(replay))
            #expect(
                try await records.storedResponse(for: IdempotencyClaim(scope: "u1", key: "k1", fingerprint: "x"))
                    == .keyReused)
            #expect(
                try await records.storedResponse(for: IdempotencyClaim(scope: "u9", key: "k1", fingerprint: "f1"))
                    == .none)

            // A batch stores its answer with its writes.
            let batchClaim = IdempotencyClaim(scope: "u1", key: "batch", fingerprint: "b")
            let items = [RecordWriteItem(id: "b1", decide: { _ in .save(owner: "u1", body: [:]) })]
            let first = try await records.writeEach(
                collection: "notes", at: testEpoch, device: nil, idempotency: batchClaim, items,
                respond: { StoredResponse(status: 200, headers: [:], body: "written \($0.count)") })
            guard case .written(let outcomes) = first, outcomes.count == 1 else {
                Issue.record("the batch did not write")
                return
            }
            let again = try await records.writeEach(
                collection: "notes", at: testEpoch, device: nil, idempotency: batchClaim, items,
                respond: { _ in StoredResponse(status: 200, headers: [:], body: "second") })
            guard case .replayed(let stored) = again else { Issue.record("the batch was not replayed"); return }
            #expect(stored.body == "written 1")

            // `store` keeps the first answer.
            let stored2 = IdempotencyClaim(scope: "u1", key: "k2", fingerprint: "f")
            try await records.store(StoredResponse(status: 200, headers: [:], body: "a"), for: stored2, at: testEpoch)
            try await records.store(StoredResponse(status: 200, headers: [:], body: "b"), for: stored2, at: testEpoch)
            #expect(
                try await records.storedResponse(for: stored2)
                    == .replay(StoredResponse(status: 200, headers: [:], body: "a")))

            try await records.purgeIdempotencyKeys(before: testEpoch.addingTimeInterval(1))
            #expect(try await records.storedResponse(for: claim) == .none)
        }
    }

    @Test(
        "concurrent duplicates of one idempotency key on several instances write once",
        arguments: StorageBackend.allCases)
    func concurrentIdempotency(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let claim = IdempotencyClaim(scope: "u1", key: "once", fingerprint: "f")
            let outcomes = Collected<RecordWriteOutcome>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<12 {
                    let records = instances[attempt % instances.count].records
                    group.addTask {
                        outcomes.append(
                            try await records.write(
                                collection: "notes", id: "n\(attempt)", at: testEpoch, device: nil,
                                idempotency: claim,
                                decide: { _ in .save(owner: "u1", body: ["attempt": .number(Double(attempt))]) },
                                respond: { StoredResponse(status: 201, headers: [:], body: $0?.id ?? "") }))
                    }
                }
                try await group.waitForAll()
            }
            var written: [String] = []
            var replayed: [String] = []
            for outcome in outcomes.all {
                switch outcome {
                case .written(let record?, changed: true): written.append(record.id)
                case .replayed(let response): replayed.append(response.body)
                default: Issue.record("unexpected \(outcome)")
                }
            }
            #expect(written.count == 1)
            #expect(replayed.count == 11 && Set(replayed) == Set(written))
            let feed = try await instances[0].records.changes(collection: "notes", owner: nil, after: 0, limit: 100)
            #expect(feed.map(\.id) == written)
        }
    }

    @Test(
        "concurrent creates of one id on several instances: one is created, the others find it",
        arguments: StorageBackend.allCases)
    func concurrentCreates(backend: StorageBackend) async throws {
        try await backend.withInstances(3) { instances in
            let created = Collected<Int>()
            let refused = Collected<Int>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<9 {
                    let records = instances[attempt % instances.count].records
                    group.addTask {
                        do {
                            try await records.create(
                                collection: "notes", id: "same", owner: "u\(attempt)", body: [:], at: testEpoch)
                            created.append(attempt)
                        } catch RecordRepositoryError.alreadyExists {
                            refused.append(attempt)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(created.all.count == 1 && refused.all.count == 8)
            let record = try #require(try await instances[1].records.record(collection: "notes", id: "same"))
            #expect(record.owner == "u\(created.all[0])" && record.version == 1)
        }
    }
}
