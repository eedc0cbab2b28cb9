import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetWire
import Testing

@testable import HandsetSync

/// A push sends its batches back to back, each one while the answers to the one before are written: every write
/// is still sent once per round and settled from its own answer, and a lost answer loses nothing.
@Suite struct PipelinedPushTests {
    let api = AssignedIDAPI()
    let store: LocalStore
    let engine: SyncEngine

    init() throws {
        store = try LocalStore()
        let session = SessionManager(
            cognito: CognitoClient(configuration: AssignedIDAPI.configuration, transport: api),
            tokens: TokenSet(idToken: "id", accessToken: "access", refreshToken: nil, expiresAt: .distantFuture),
            persist: { _ in })
        let client = APIClient(
            configuration: AssignedIDAPI.configuration, transport: api, session: session, retry: .never)
        engine = SyncEngine(api: client, store: store, now: { Date(timeIntervalSince1970: 1_800_000_000) })
    }

    func queueNotes(_ count: Int) throws {
        for index in 0..<count {
            try store.createRecord(
                collection: "notes", id: String(format: "note-%04d", index), fields: ["text": .string("Note \(index)")],
                owner: "sub-alice", now: Date())
        }
    }

    func batchRequests() -> Int { api.log.filter { $0.hasSuffix("/\(APIRoute.batch)") }.count }

    @Test("250 queued writes go out as 3 batches, in order, and each settles from its own answer")
    func batchesGoOutBackToBackAndAllSettle() async throws {
        _ = try await engine.refreshSchema()
        try queueNotes(250)
        let report = try await engine.push()
        #expect(report.pushed == 250 && report.accepted == 250 && !report.deferred)
        #expect(batchRequests() == 3)
        #expect(try store.pendingCount() == 0)
        #expect(api.records("notes").count == 250)
        let records = try store.records(collection: "notes", limit: 300)
        #expect(records.count == 250 && records.allSatisfy { $0.syncState == .synced && $0.version == 1 })
        #expect(records.map(\.id) == (0..<250).map { String(format: "note-%04d", $0) })
    }

    @Test("the first batch's answer is lost: nothing after it was sent, and the next push settles every write once")
    func aLostAnswerStopsTheRoundAndTheNextPushSettlesIt() async throws {
        _ = try await engine.refreshSchema()
        try queueNotes(250)
        api.setLosing(1)
        await #expect(throws: (any Error).self) { try await engine.push() }
        // Only the batch whose answer was lost reached the server: the next one waits for an answer.
        #expect(batchRequests() == 1)
        #expect(api.records("notes").count == 100)
        #expect(try store.pendingCount() == 250)
        let report = try await engine.push()
        #expect(report.accepted == 250 && report.conflicts == 0 && report.rejected == 0)
        #expect(try store.pendingCount() == 0)
        #expect(api.records("notes").count == 250)
        #expect(try store.records(collection: "notes", limit: 300).allSatisfy { $0.syncState == .synced })
    }
}
