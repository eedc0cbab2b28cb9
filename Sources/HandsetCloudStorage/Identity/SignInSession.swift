import Foundation

/// What tokens of one sign-in share, and refreshes keep: when the user authenticated, and the ids of that event.
package struct SignInSession: Sendable, Equatable {
    package var authTime: Int
    package var originJti: String
    package var eventId: String

    package init(authTime: Int, originJti: String, eventId: String) {
        self.authTime = authTime
        self.originJti = originJti
        self.eventId = eventId
    }

    package static func new(at date: Date) -> SignInSession {
        SignInSession(
            authTime: Int(date.timeIntervalSince1970), originJti: UUID().uuidString.lowercased(),
            eventId: UUID().uuidString.lowercased())
    }
}
