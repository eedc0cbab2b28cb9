import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetSRP
import HandsetWire
import JWTKit
import Testing

@testable import HandsetCloud

/// Remembered devices: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER against the
/// device's own verifier, skipping the second factor, and the device operations (user and Admin forms).
@Suite("Cognito remembered devices")
struct CognitoDeviceTests {
    /// A cloud whose pool tracks devices (`ChallengeRequiredOnNewDevice`; `onPrompt` for
    /// `DeviceOnlyRememberedOnUserPrompt`).
    func withDevicePool<Value: Sendable>(
        onPrompt: Bool = false, _ body: @Sendable (any TestClientProtocol, CloudFixture) async throws -> Value
    ) async throws -> Value {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var pool = PoolConfiguration.generate()
        pool.deviceConfiguration = DeviceConfiguration(
            challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: onPrompt)
        try pool.fileContents().write(to: DataDirectory(root: directory).poolConfiguration)
        return try await withCloud(demo: true, directory: directory, body)
    }

    /// What a client keeps of a confirmed device.
    struct Device {
        var key: String
        var groupKey: String
        var secret: String
    }

    /// tina's sign-in with her TOTP code, then ConfirmDevice: the device and the answer.
    func confirmNewDevice(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, deviceKey: String? = nil
    ) async throws -> (Device, [String: Any]) {
        let tokens = try await signInWithCode(client, fixture, deviceKey: deviceKey)
        let metadata = try #require(tokens.newDeviceMetadata)
        let claims = try await JWTKeyCollection().unverified(tokens.accessToken, as: AccessTokenClaims.self)
        #expect(claims.deviceKey == metadata.deviceKey)
        #expect(metadata.deviceKey.hasPrefix(fixture.pool.region + "_"))
        let secret = try SRPDeviceSecret(deviceGroupKey: metadata.deviceGroupKey, deviceKey: metadata.deviceKey)
        let confirmed = try await client.call(
            "ConfirmDevice",
            [
                "AccessToken": tokens.accessToken, "DeviceKey": metadata.deviceKey, "DeviceName": "tina's terminal",
                "DeviceSecretVerifierConfig": ["PasswordVerifier": secret.verifierBase64, "Salt": secret.saltBase64],
            ])
        #expect(confirmed.status == .ok, "\(confirmed.text)")
        return (
            Device(key: metadata.deviceKey, groupKey: metadata.deviceGroupKey, secret: secret.secret),
            try confirmed.jsonObject
        )
    }

    /// SRP with the password, then the TOTP code.
    func signInWithCode(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, deviceKey: String? = nil
    ) async throws -> AuthenticationResult {
        let challenge = try await passwordStep(client, fixture, deviceKey: deviceKey).challenge("SOFTWARE_TOKEN_MFA")
        return try await client.respond(
            "SOFTWARE_TOKEN_MFA", session: challenge.session,
            responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp()], fixture: fixture
        ).tokens()
    }

    /// USER_SRP_AUTH with DEVICE_KEY (in InitiateAuth, as Amplify sends it), answered with the password.
    func passwordStep(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, username: String = "tina",
        password: String = "Authenticator-42!", deviceKey: String?
    ) async throws -> TestResponse {
        let srp = try SRPClientSession()
        var parameters = ["USERNAME": username, "SRP_A": srp.publicValueHex]
        parameters["DEVICE_KEY"] = deviceKey
        let started = try await client.initiateAuth(
            clientId: fixture.clientId, flow: CognitoAuthFlow.userSRP, parameters: parameters)
        let challenge = try started.challenge("PASSWORD_VERIFIER")
        var responses = try client.passwordVerifierResponses(
            srp, challenge: challenge, password: password, fixture: fixture)
        responses["DEVICE_KEY"] = deviceKey
        return try await client.respond(
            "PASSWORD_VERIFIER", session: challenge.session, responses: responses, fixture: fixture)
    }

    /// DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER with `secret`; returns the verifier's answer and what was sent.
    func deviceStep(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, after challenge: AuthResponse, device: Device,
        secret: String? = nil
    ) async throws -> (TestResponse, session: String?, responses: [String: String]) {
        let srp = try SRPClientSession()
        let verifierChallenge = try await client.respond(
            "DEVICE_SRP_AUTH", session: challenge.session,
            responses: ["USERNAME": "tina", "DEVICE_KEY": device.key, "SRP_A": srp.publicValueHex], fixture: fixture
        ).challenge("DEVICE_PASSWORD_VERIFIER")
        let parameters = try #require(verifierChallenge.challengeParameters)
        let timestamp = CognitoTimestamp.string(from: fixture.clock.now)
        let signature = try srp.passwordClaimSignature(
            poolName: device.groupKey, userIdForSRP: device.key, password: secret ?? device.secret,
            saltHex: try #require(parameters["SALT"]), serverPublicValueHex: try #require(parameters["SRP_B"]),
            secretBlock: try #require(parameters["SECRET_BLOCK"]), timestamp: timestamp)
        let responses = [
            "USERNAME": "tina", "DEVICE_KEY": device.key, "PASSWORD_CLAIM_SECRET_BLOCK": parameters["SECRET_BLOCK"]!,
            "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": timestamp,
        ]
        let answer = try await client.respond(
            "DEVICE_PASSWORD_VERIFIER", session: verifierChallenge.session, responses: responses, fixture: fixture)
        return (answer, verifierChallenge.session, responses)
    }

    @Test("a remembered device signs in without the code; forgotten, it is asked for the code again")
    func rememberedDeviceSkipsMFA() async throws {
        try await withDevicePool { client, fixture in
            let (device, confirmed) = try await confirmNewDevice(client, fixture)
            #expect(confirmed["UserConfirmationNecessary"] as? Bool == false)

            let challenge = try await passwordStep(client, fixture, deviceKey: device.key).challenge("DEVICE_SRP_AUTH")
            let (answer, _, _) = try await deviceStep(client, fixture, after: challenge, device: device)
            let tokens = try answer.tokens()
            #expect(tokens.newDeviceMetadata == nil)
            let claims = try await JWTKeyCollection().unverified(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.deviceKey == device.key)

            let listed = try await client.call("ListDevices", ["AccessToken": tokens.accessToken]).jsonObject
            let devices = try #require(listed["Devices"] as? [[String: Any]])
            #expect(devices.map { $0["DeviceKey"] as? String } == [device.key])
            let attributes = try #require(devices.first?["DeviceAttributes"] as? [[String: String]])
            #expect(attributes.contains(["Name": "device_name", "Value": "tina's terminal"]))
            #expect(attributes.contains(["Name": "dev:device_remembered_status", "Value": "remembered"]))
            #expect(devices.first?["DeviceLastAuthenticatedDate"] is Double)

            // A refresh naming the device keeps it in the access token.
            let refreshed = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": try #require(tokens.refreshToken), "DEVICE_KEY": device.key]
            ).tokens()
            let refreshedClaims = try await JWTKeyCollection().unverified(
                refreshed.accessToken, as: AccessTokenClaims.self)
            #expect(refreshedClaims.deviceKey == device.key)

            let forgotten = try await client.call(
                "ForgetDevice", ["AccessToken": tokens.accessToken, "DeviceKey": device.key])
            #expect(forgotten.status == .ok, "\(forgotten.text)")
            try await client.call("GetDevice", ["AccessToken": tokens.accessToken, "DeviceKey": device.key])
                .expectError("ResourceNotFoundException", "Device does not exist")
            // The forgotten key is ignored: the code is asked for, and a new device handed out after it.
            fixture.clock.advance(by: 30)
            let again = try await signInWithCode(client, fixture, deviceKey: device.key)
            #expect(again.newDeviceMetadata != nil && again.newDeviceMetadata?.deviceKey != device.key)
        }
    }

    @Test("a wrong device secret is refused; a device challenge answers once")
    func wrongSecretAndReplay() async throws {
        try await withDevicePool { client, fixture in
            let (device, _) = try await confirmNewDevice(client, fixture)

            let challenge = try await passwordStep(client, fixture, deviceKey: device.key).challenge("DEVICE_SRP_AUTH")
            let wrongSecret = Data(repeating: 7, count: 40).base64EncodedString()
            let (refused, _, _) = try await deviceStep(
                client, fixture, after: challenge, device: device, secret: wrongSecret)
            try refused.expectError("NotAuthorizedException", "Incorrect username or password")

            let second = try await passwordStep(client, fixture, deviceKey: device.key).challenge("DEVICE_SRP_AUTH")
            let (answer, session, responses) = try await deviceStep(client, fixture, after: second, device: device)
            _ = try answer.tokens()
            // The same answer again, and the DEVICE_SRP_AUTH session again: both were used.
            try await client.respond(
                "DEVICE_PASSWORD_VERIFIER", session: session, responses: responses, fixture: fixture
            )
            .expectError("NotAuthorizedException", "Invalid session")
            try await client.respond(
                "DEVICE_SRP_AUTH", session: second.session,
                responses: [
                    "USERNAME": "tina", "DEVICE_KEY": device.key, "SRP_A": try SRPClientSession().publicValueHex,
                ],
                fixture: fixture
            ).expectError("NotAuthorizedException", "Invalid session")
            // A device answer without the password step first has no session to answer.
            try await client.respond(
                "DEVICE_SRP_AUTH", session: nil,
                responses: [
                    "USERNAME": "tina", "DEVICE_KEY": device.key, "SRP_A": try SRPClientSession().publicValueHex,
                ],
                fixture: fixture
            ).expectError("NotAuthorizedException")
        }
    }

    @Test("another user's device key is ignored at sign-in and unknown to their operations")
    func anotherUsersDevice() async throws {
        try await withDevicePool { client, fixture in
            let (device, _) = try await confirmNewDevice(client, fixture)
            // alice has no MFA: naming tina's device gets her tokens for a new device of her own, no device step.
            let alice = try await passwordStep(
                client, fixture, username: "alice", password: "Wonderland-42!", deviceKey: device.key
            ).tokens()
            let metadata = try #require(alice.newDeviceMetadata)
            #expect(metadata.deviceKey != device.key)
            for operation in ["GetDevice", "ForgetDevice"] {
                try await client.call(operation, ["AccessToken": alice.accessToken, "DeviceKey": device.key])
                    .expectError("ResourceNotFoundException")
            }
            try await client.call(
                "UpdateDeviceStatus",
                ["AccessToken": alice.accessToken, "DeviceKey": device.key, "DeviceRememberedStatus": "not_remembered"]
            ).expectError("ResourceNotFoundException")
            // ConfirmDevice takes only the key this token was handed.
            let secret = try SRPDeviceSecret(deviceGroupKey: metadata.deviceGroupKey, deviceKey: device.key)
            try await client.call(
                "ConfirmDevice",
                [
                    "AccessToken": alice.accessToken, "DeviceKey": device.key,
                    "DeviceSecretVerifierConfig": [
                        "PasswordVerifier": secret.verifierBase64, "Salt": secret.saltBase64,
                    ],
                ]
            ).expectError("ResourceNotFoundException")
            #expect(try await fixture.storage.identity.device(key: device.key)?.sub != nil)
            let tinaDevice = try await fixture.storage.identity.device(key: device.key)
            #expect(tinaDevice?.remembered == true)
        }
    }

    @Test("only on the user's prompt: not remembered until UpdateDeviceStatus; the Admin forms")
    func rememberedOnPrompt() async throws {
        try await withDevicePool(onPrompt: true) { client, fixture in
            let (device, confirmed) = try await confirmNewDevice(client, fixture)
            #expect(confirmed["UserConfirmationNecessary"] as? Bool == true)

            // Confirmed but not remembered: the device proves itself, and the code is still asked for.
            let challenge = try await passwordStep(client, fixture, deviceKey: device.key).challenge("DEVICE_SRP_AUTH")
            let (answer, _, _) = try await deviceStep(client, fixture, after: challenge, device: device)
            let mfa = try answer.challenge("SOFTWARE_TOKEN_MFA")
            let tokens = try await client.respond(
                "SOFTWARE_TOKEN_MFA", session: mfa.session,
                responses: ["USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": fixture.totp(offsetSteps: 1)],
                fixture: fixture
            ).tokens()
            #expect(tokens.newDeviceMetadata == nil)
            let claims = try await JWTKeyCollection().unverified(tokens.accessToken, as: AccessTokenClaims.self)
            #expect(claims.deviceKey == device.key)

            let admin: [String: Any] = ["UserPoolId": fixture.pool.userPoolId, "Username": "tina"]
            let updated = try await client.call(
                "AdminUpdateDeviceStatus",
                admin.merging(["DeviceKey": device.key, "DeviceRememberedStatus": "remembered"]) { $1 })
            #expect(updated.status == .ok, "\(updated.text)")
            let got = try await client.call("AdminGetDevice", admin.merging(["DeviceKey": device.key]) { $1 })
                .jsonObject
            let attributes = try #require((got["Device"] as? [String: Any])?["DeviceAttributes"] as? [[String: String]])
            #expect(attributes.contains(["Name": "dev:device_remembered_status", "Value": "remembered"]))

            fixture.clock.advance(by: 30)
            let remembered = try await passwordStep(client, fixture, deviceKey: device.key)
                .challenge("DEVICE_SRP_AUTH")
            _ = try await deviceStep(client, fixture, after: remembered, device: device).0.tokens()

            let listed = try await client.call("AdminListDevices", admin.merging(["Limit": 10]) { $1 }).jsonObject
            #expect((listed["Devices"] as? [[String: Any]])?.count == 1)
            try await client.call("AdminListDevices", ["UserPoolId": fixture.pool.userPoolId, "Username": "nobody"])
                .expectError("UserNotFoundException")
            let forgotten = try await client.call("AdminForgetDevice", admin.merging(["DeviceKey": device.key]) { $1 })
            #expect(forgotten.status == .ok, "\(forgotten.text)")
            try await client.call("AdminGetDevice", admin.merging(["DeviceKey": device.key]) { $1 })
                .expectError("ResourceNotFoundException")
        }
    }

    @Test("a pool without device tracking hands out no device keys and refuses ConfirmDevice")
    func trackingOff() async throws {
        try await withCloud { client, fixture in
            let tokens = try await passwordStep(
                client, fixture, username: "alice", password: "Wonderland-42!", deviceKey: nil
            ).tokens()
            #expect(tokens.newDeviceMetadata == nil)
            try await client.call(
                "ConfirmDevice",
                [
                    "AccessToken": tokens.accessToken, "DeviceKey": "us-east-1_0000",
                    "DeviceSecretVerifierConfig": ["PasswordVerifier": "AQ==", "Salt": "AQ=="],
                ]
            ).expectError("InvalidParameterException")
        }
    }
}
