import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync

/// One user's data on this device: their offline cache, and the API and sync engine bound to their session (a
/// request for their data is never sent under someone else's token).
public struct UserServices: Sendable {
    public let user: SignedInUser
    public let store: LocalStore
    public let api: APIClient
    public let sync: SyncEngine

    public init(user: SignedInUser, store: LocalStore, api: APIClient, sync: SyncEngine) {
        self.user = user
        self.store = store
        self.api = api
        self.sync = sync
    }

    /// The schema: fresh from the API when reachable, else the cached copy.
    public func schema(refresh: Bool) async throws -> APISchema {
        if refresh {
            do {
                return try await sync.refreshSchema()
            } catch let error as RemoteError where error.isTransient {
                if let cached = store.cachedSchema() { return cached }
                throw error
            }
        }
        if let cached = store.cachedSchema() { return cached }
        return try await sync.refreshSchema()
    }
}
