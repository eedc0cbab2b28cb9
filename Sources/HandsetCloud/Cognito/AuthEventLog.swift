import Foundation
import HandsetCloudStorage

/// Records sign-ins for `AdminListUserAuthEvents`: tokens issued (`Pass`), or a known user's wrong password or code
/// (`Fail`). Sign-ins as unknown users leave no event (there is no user to list them under).
struct AuthEventLog: Sendable {
    let pool: UserPool

    enum Credential: String {
        case password = "Password"
        case mfa = "Mfa"
    }

    func signIn(
        _ user: PoolUser, passed: Bool, checked: KeyValuePairs<Credential, Bool>, clientId: String,
        eventId: String? = nil
    ) async throws {
        try await pool.store.recordAuthEvent(
            event(user, passed: passed, checked: checked, clientId: clientId, eventId: eventId))
    }

    /// The event `signIn` records, for a caller that writes it with more in one transaction.
    func event(
        _ user: PoolUser, passed: Bool, checked: KeyValuePairs<Credential, Bool>, clientId: String,
        eventId: String? = nil
    ) -> AuthEvent {
        AuthEvent(
            eventId: eventId ?? UUID().uuidString.lowercased(), sub: user.sub, type: "SignIn",
            response: passed ? .pass : .fail,
            challenges: checked.map { AuthEvent.ChallengeResult(challenge: $0.key.rawValue, succeeded: $0.value) },
            clientId: clientId, createdAt: pool.now())
    }
}

/// AdminListUserAuthEvents: a user's sign-ins, newest first. Risk is not assessed locally: every event says
/// `NoRisk`.
struct AuthEventService: Sendable {
    let admin: AdminService

    var operations: [CognitoOperation] {
        var operation = CognitoOperation.json("AdminListUserAuthEvents", listUserAuthEvents)
        operation.isAdmin = true
        return [operation]
    }

    func listUserAuthEvents(
        _ request: AdminListUserAuthEventsRequestWire
    ) async throws -> AdminListUserAuthEventsResponseWire {
        let user = try await admin.user(request.userPoolId, request.username)
        let limit = try ListPage.limit(request.maxResults, member: "maxResults")
        let cursor = try ListPage.key(from: request.nextToken).map(Self.cursor(from:))
        var events = try await admin.pool.store.authEvents(sub: user.sub, before: cursor, limit: limit + 1)
        let more = events.count > limit
        events = Array(events.prefix(limit))
        return AdminListUserAuthEventsResponseWire(
            authEvents: events.map { event in
                AuthEventWire(
                    eventId: event.eventId, eventType: event.type, creationDate: event.createdAt.timeIntervalSince1970,
                    eventResponse: event.response.rawValue,
                    eventRisk: EventRiskWire(riskDecision: "NoRisk", compromisedCredentialsDetected: false),
                    challengeResponses: event.challenges.map {
                        ChallengeResponseWire(
                            challengeName: $0.challenge, challengeResponse: $0.succeeded ? "Success" : "Failure")
                    })
            },
            nextToken: more ? events.last.map { ListPage.token(for: Self.key(of: $0)) } : nil)
    }

    /// `<microseconds since 1970> <event id>`: the position after an event, exact on every backend.
    static func key(of event: AuthEvent) -> String {
        "\(Int64((event.createdAt.timeIntervalSince1970 * 1_000_000).rounded())) \(event.eventId)"
    }

    static func cursor(from key: String) throws -> AuthEventCursor {
        let parts = key.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]) else {
            throw CognitoError.invalidParameter("The pagination token is not valid.")
        }
        return AuthEventCursor(
            createdAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000), eventId: String(parts[1]))
    }
}
