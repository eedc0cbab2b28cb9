import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetRemote

/// A client bound to one user's data never sends it with another user's token.
@Suite struct UserBoundSessionTests {
    /// An (unsigned) ID token naming `sub`: the client reads its claims only to know who is signed in.
    static func idToken(sub: String, username: String) -> String {
        let payload = try! JSONEncoder().encode(["sub": sub, "cognito:username": username])
        let base64 = payload.base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "eyJhbGciOiJSUzI1NiJ9.\(base64).signature"
    }

    static func tokens(sub: String, username: String) -> TokenSet {
        TokenSet(
            idToken: idToken(sub: sub, username: username), accessToken: "access-\(username)", refreshToken: "r",
            expiresAt: .distantFuture)
    }

    @Test func aRequestForOneUsersDataIsNotSentOnceAnotherUserIsSignedIn() async throws {
        let transport = ScriptedTransport([.answer(200, #"{"results":[]}"#)])
        let session = SessionManager(
            cognito: CognitoClient(configuration: RetryTests.configuration, transport: transport),
            tokens: Self.tokens(sub: "sub-alice", username: "alice"), persist: { _ in })
        let api = APIClient(configuration: RetryTests.configuration, transport: transport, session: session)
        let alices = api.bound(to: "sub-alice", deviceId: "device-a")
        #expect(try await session.validToken(.id, for: "sub-alice").hasPrefix("eyJ"))

        // Bob signs in on the same profile while alice's outbox is about to be pushed.
        await session.signedIn(Self.tokens(sub: "sub-bob", username: "bob"))
        await #expect(throws: RemoteError.sessionExpired) {
            _ = try await alices.batch(
                collection: "tasks", BatchRequest(operations: [BatchOperation(op: .delete, id: "t1")]))
        }
        #expect(transport.sent.isEmpty, "nothing of alice's went out under bob's session")
        // Unbound calls (the API document) and bob's own client still work.
        #expect(try await session.validToken(.id, for: "sub-bob").hasPrefix("eyJ"))
        #expect(try await session.validToken(.id).hasPrefix("eyJ"))
    }
}
