import Foundation

/// The rows of stored objects. Every method is one transaction; the bytes are the caller's, who moves or removes
/// them around these calls so that a row never points at missing bytes for longer than a rename.
package protocol ObjectMetadataRepository: Sendable {
    func object(key: String) async throws -> StoredObject?
    /// Every object, by key.
    func all() async throws -> [StoredObject]
    func objects(collection: String, recordId: String) async throws -> [StoredObject]
    func hasObjects(collection: String, recordId: String) async throws -> Bool
    /// Adds an object, replacing one with the same key (an upload URL used twice); returns the replaced one, whose
    /// bytes the caller removes.
    func put(_ object: StoredObject) async throws -> StoredObject?
    func setAttached(keys: [String]) async throws
    /// Removes the rows of these keys and returns the objects removed (whose bytes the caller then removes).
    func remove(keys: [String]) async throws -> [StoredObject]
    /// STANDARD objects created before `date`, oldest first: what the lifecycle rule archives.
    func standardObjects(createdBefore date: Date) async throws -> [StoredObject]
    /// How many objects `owner` uploaded that no record field has referred to yet, and their bytes: what the
    /// unattached-upload quota counts.
    func unattachedUsage(owner: String) async throws -> (count: Int, bytes: Int)
    /// Objects no record field has referred to, uploaded before `date`, oldest first.
    func unattachedObjects(createdBefore date: Date) async throws -> [StoredObject]
    /// Marks an object archived (its bytes have moved to the archive tier).
    func markArchived(key: String, at date: Date) async throws
    /// Starts a restore unless one is in progress or a restored copy exists; returns the object afterwards.
    func requestRestore(key: String, now: Date, readyAt: Date, expiresAt: Date) async throws -> StoredObject?
    /// Forgets restored copies that have expired; returns how many.
    @discardableResult
    func clearExpiredRestores(now: Date) async throws -> Int
    /// The file names of every row, for sweeping bytes that no row points at.
    func fileNames() async throws -> Set<String>
}
