import Foundation

/// What tokens of one sign-in share, and refreshes keep: when the user authenticated, and the ids of that event.
struct SignInSession: Sendable, Equatable {
    var authTime: Int
    var originJti: String
    var eventId: String

    static func new(at date: Date) -> SignInSession {
        SignInSession(
            authTime: Int(date.timeIntervalSince1970), originJti: UUID().uuidString.lowercased(),
            eventId: UUID().uuidString.lowercased())
    }
}
