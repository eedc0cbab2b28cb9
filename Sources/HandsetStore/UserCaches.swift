import Foundation
import GRDB

/// The offline caches of one profile: one per user (Cognito `sub`), so whoever signs in next on the same profile
/// never sees, edits or sends what another person cached or queued, and the first person finds their cache and
/// pending edits intact when they come back.
///
/// Versions before this kept one cache per profile. `adoptSharedCache(sessionUser:)` moves it to the user whose
/// session is cached; with nobody signed in its owner is not known, so it is kept aside as "unclaimed" until a
/// user signs in whom its records name as their only owner.
public struct UserCaches: Sendable {
    public let paths: HandsetPaths
    public let profile: String

    public init(paths: HandsetPaths, profile: String) {
        self.paths = paths
        self.profile = profile
    }

    /// What happened to a cache from before per-user caches.
    public enum Adoption: Sendable, Equatable {
        /// There was none.
        case nothing
        /// It now belongs to this user.
        case adopted(user: String)
        /// Its user is not known; it waits in the unclaimed place.
        case keptAside
    }

    /// Moves the profile's shared cache (from before per-user caches) to `sessionUser`, the user whose session is
    /// cached; with no session it is kept aside. Run before any cache is opened.
    @discardableResult
    public func adoptSharedCache(sessionUser: String?) throws -> Adoption {
        let shared = paths.sharedCacheDatabase(profile)
        guard FileManager.default.fileExists(atPath: shared.path) else {
            Self.removeSidecars(of: shared)
            return .nothing
        }
        if let sessionUser, !sessionUser.isEmpty {
            let target = paths.cacheDatabase(profile, user: sessionUser)
            // A user who already has a cache of their own keeps it; the old one is then kept aside instead.
            if !FileManager.default.fileExists(atPath: target.path) {
                try Self.move(shared, to: target)
                return .adopted(user: sessionUser)
            }
        }
        let unclaimed = paths.unclaimedCacheDatabase(profile)
        guard !FileManager.default.fileExists(atPath: unclaimed.path) else { return .keptAside }
        try Self.move(shared, to: unclaimed)
        return .keptAside
    }

    /// The user's cache, created on first use. An unclaimed cache becomes theirs first if every owned record in it
    /// is theirs (a person's own cache under owner-only rules); a cache holding other people's records (an admin's,
    /// say) is never given to anyone by guessing.
    public func open(user sub: String) throws -> LocalStore {
        let file = paths.cacheDatabase(profile, user: sub)
        let unclaimed = paths.unclaimedCacheDatabase(profile)
        if !FileManager.default.fileExists(atPath: file.path), FileManager.default.fileExists(atPath: unclaimed.path),
            (try? Self.owners(of: unclaimed)) == [sub]
        {
            try Self.move(unclaimed, to: file)
        }
        try SecureFiles.ensurePrivateDirectory(file.deletingLastPathComponent())
        return try LocalStore(path: file.path)
    }

    /// The cache kept aside from before per-user caches, if one waits for its user.
    public var unclaimedCache: URL? {
        let file = paths.unclaimedCacheDatabase(profile)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// The distinct non-empty owners of the records in the cache at `file`.
    static func owners(of file: URL) throws -> Set<String> {
        let queue = try DatabaseQueue(path: file.path)
        return try queue.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT owner FROM record WHERE owner != ''"))
        }
    }

    /// Moves a WAL-mode SQLite file: its log is folded into the file first, so the one rename carries every
    /// committed write, and a kill between the steps leaves the data in one place or the other, never split.
    static func move(_ source: URL, to target: URL) throws {
        do {
            let queue = try DatabaseQueue(path: source.path)
            try queue.writeWithoutTransaction { db in
                _ = try db.checkpoint(.truncate)
            }
        }
        try SecureFiles.ensurePrivateDirectory(target.deletingLastPathComponent())
        guard rename(source.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
        removeSidecars(of: source)
    }

    /// Removes the `-wal` and `-shm` files left beside a database file that is no longer there.
    static func removeSidecars(of file: URL) {
        for suffix in ["-wal", "-shm"] {
            unlink(file.path + suffix)
        }
    }
}
