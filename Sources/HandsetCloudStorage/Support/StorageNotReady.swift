/// Why a storage cannot serve (thrown by `CloudStorage.checkReady`), in words an operator can act on. `GET /readyz`
/// shows the reason, so it names no secret (no password, no URL).
package struct StorageNotReady: Error, Sendable, Equatable, CustomStringConvertible {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }

    /// A database whose schema this build's migrations have not all reached (an older build's, or one restored
    /// from an older backup).
    package static let migrationsIncomplete = StorageNotReady("the database's migrations have not all run")
}
