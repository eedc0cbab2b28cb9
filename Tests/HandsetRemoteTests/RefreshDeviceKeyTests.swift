import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetRemote

/// A refresh names the device the session was signed in on (`DEVICE_KEY`), so that Cognito keeps `device_key` in
/// the refreshed access token.
@Suite struct RefreshDeviceKeyTests {
    /// Remembered devices in memory, by username.
    final class Devices: RememberedDeviceStore, @unchecked Sendable {
        private let lock = NSLock()
        private var byUser: [String: RememberedDevice] = [:]
        func device(for username: String) -> RememberedDevice? { lock.withLock { byUser[username] } }
        func remember(_ device: RememberedDevice, for username: String) { lock.withLock { byUser[username] = device } }
        func forget(for username: String) { lock.withLock { byUser[username] = nil } }
    }

    static func unsigned(_ claims: [String: String]) -> String {
        let payload = try! JSONEncoder().encode(claims)
        let base64 = payload.base64EncodedString().replacingOccurrences(of: "=", with: "")
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "eyJhbGciOiJSUzI1NiJ9.\(base64).signature"
    }

    static let refreshed =
        #"{"AuthenticationResult":{"AccessToken":"a2","IdToken":"i2","ExpiresIn":3600,"TokenType":"Bearer"},"#
        + #""ChallengeParameters":{}}"#

    /// Refreshes an expired session and returns the AuthParameters Cognito was sent.
    func refreshParameters(accessClaims: [String: String], devices: Devices?) async throws -> [String: String] {
        let transport = ScriptedTransport([.answer(200, Self.refreshed)])
        let tokens = TokenSet(
            idToken: Self.unsigned(["sub": "sub-alice", "cognito:username": "alice"]),
            accessToken: Self.unsigned(accessClaims), refreshToken: "refresh-token", expiresAt: .distantPast)
        let session = SessionManager(
            cognito: CognitoClient(configuration: RetryTests.configuration, transport: transport), tokens: tokens,
            devices: devices, persist: { _ in })
        #expect(try await session.validToken(.access) == "a2")
        let request = try #require(transport.sent.first)
        let data = try #require(request.body)
        let body = try #require(try JSONValue.parse(data).objectValue)
        #expect(body["AuthFlow"]?.stringValue == "REFRESH_TOKEN_AUTH")
        var parameters: [String: String] = [:]
        for (name, value) in body["AuthParameters"]?.objectValue ?? [:] { parameters[name] = value.stringValue }
        return parameters
    }

    @Test func theRememberedDeviceOfTheSignedInUserIsNamed() async throws {
        let devices = Devices()
        devices.remember(RememberedDevice(deviceKey: "us-east-1_dev", deviceGroupKey: "g", secret: "s"), for: "alice")
        devices.remember(RememberedDevice(deviceKey: "us-east-1_bobs", deviceGroupKey: "g", secret: "s"), for: "bob")
        let parameters = try await refreshParameters(accessClaims: ["sub": "sub-alice"], devices: devices)
        #expect(parameters["DEVICE_KEY"] == "us-east-1_dev")
        #expect(parameters["REFRESH_TOKEN"] == "refresh-token")
    }

    @Test func aDeviceTheAccessTokenNamesIsNamedWhenNoneIsRemembered() async throws {
        let parameters = try await refreshParameters(
            accessClaims: ["sub": "sub-alice", "device_key": "us-east-1_tracked"], devices: Devices())
        #expect(parameters["DEVICE_KEY"] == "us-east-1_tracked")
    }

    @Test func withoutADeviceNoneIsNamed() async throws {
        let parameters = try await refreshParameters(accessClaims: ["sub": "sub-alice"], devices: nil)
        #expect(parameters["DEVICE_KEY"] == nil)
        #expect(parameters.keys.sorted() == ["REFRESH_TOKEN"])
    }
}
