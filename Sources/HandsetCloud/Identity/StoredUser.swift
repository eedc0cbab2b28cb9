import Foundation

/// A user of the pool as the database keeps it: no password, only its SRP verifier.
struct StoredUser: Sendable, Equatable {
    var sub: String
    var username: String
    var email: String?
    var emailVerified: Bool
    var status: UserStatus
    /// The identity mixed into the SRP hash; fixed when the password is set.
    var userIdForSRP: String
    var password: SRPVerifier
    var groups: [String]
    var createdAt: Date
}
