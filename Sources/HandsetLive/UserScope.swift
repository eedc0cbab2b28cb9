import Foundation
import HandsetModel
import HandsetStore

/// Whose data the interactive app works on: the signed-in user's cache, API and sync engine, swapped when another
/// person signs in and emptied on sign-out, so no effect reads, shows or sends one user's data under another's
/// session.
public final class UserScope: @unchecked Sendable {
    private let lock = NSLock()
    private var services: UserServices?
    private let open: @Sendable (SignedInUser) throws -> UserServices

    /// `open` builds a user's services (their cache, and clients bound to their session); `initial` is the user
    /// whose session was cached at start.
    public init(initial: UserServices?, open: @escaping @Sendable (SignedInUser) throws -> UserServices) {
        self.services = initial
        self.open = open
    }

    /// The signed-in user's data, `nil` when nobody is signed in.
    public var current: UserServices? { lock.withLock { services } }

    /// Makes `user`'s data current (the same user keeps theirs, open as it is).
    @discardableResult
    public func activate(_ user: SignedInUser) throws -> UserServices {
        if let services = current, services.user.sub == user.sub { return services }
        let opened = try open(user)
        lock.withLock { services = opened }
        return opened
    }

    /// Nobody's data is current (after a sign-out).
    public func deactivate() {
        lock.withLock { services = nil }
    }

    /// Whether `services` still belong to the signed-in user: effects that finish after a switch are dropped.
    func isCurrent(_ services: UserServices) -> Bool {
        current?.user.sub == services.user.sub
    }
}
