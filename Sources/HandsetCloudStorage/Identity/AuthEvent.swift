import Foundation

/// One sign-in as `AdminListUserAuthEvents` reports it: when, whether it passed, and which credentials were checked.
package struct AuthEvent: Sendable, Equatable {
    package enum Response: String, Sendable {
        case pass = "Pass"
        case fail = "Fail"
        case inProgress = "InProgress"
    }

    /// A credential checked during the sign-in (`Password`, `Mfa`) and whether it was right.
    package struct ChallengeResult: Sendable, Equatable {
        package var challenge: String
        package var succeeded: Bool

        package init(challenge: String, succeeded: Bool) {
            self.challenge = challenge
            self.succeeded = succeeded
        }
    }

    package var eventId: String
    package var sub: String
    /// Cognito's `EventType`: `SignIn`, `PasswordChange`, `ForgotPassword`, ...
    package var type: String
    package var response: Response
    package var challenges: [ChallengeResult]
    package var clientId: String?
    package var createdAt: Date

    package init(
        eventId: String, sub: String, type: String, response: Response, challenges: [ChallengeResult],
        clientId: String?, createdAt: Date
    ) {
        self.eventId = eventId
        self.sub = sub
        self.type = type
        self.response = response
        self.challenges = challenges
        self.clientId = clientId
        self.createdAt = createdAt
    }
}

/// A user's recent sign-in events, their times kept to the microsecond. Bounded: each user keeps their newest `AuthEvent.retained` events, and a
/// deleted user's events go with them.
package protocol AuthEventRepository: Sendable {
    func recordAuthEvent(_ event: AuthEvent) async throws
    /// Newest first; `before` is the `(createdAt, eventId)` of the last event of the previous page.
    func authEvents(sub: String, before: AuthEventCursor?, limit: Int) async throws -> [AuthEvent]
}

/// A position in a user's events, newest first.
package struct AuthEventCursor: Sendable, Equatable {
    package var createdAt: Date
    package var eventId: String

    package init(createdAt: Date, eventId: String) {
        self.createdAt = createdAt
        self.eventId = eventId
    }
}

extension AuthEvent {
    /// How many events each user keeps.
    package static let retained = 100

    /// The challenges as stored: `Password:1,Mfa:0`.
    package var challengesText: String {
        challenges.map { "\($0.challenge):\($0.succeeded ? 1 : 0)" }.joined(separator: ",")
    }

    package static func challenges(fromText text: String) -> [ChallengeResult] {
        text.split(separator: ",").compactMap { part in
            let pieces = part.split(separator: ":")
            guard pieces.count == 2 else { return nil }
            return ChallengeResult(challenge: String(pieces[0]), succeeded: pieces[1] == "1")
        }
    }
}
