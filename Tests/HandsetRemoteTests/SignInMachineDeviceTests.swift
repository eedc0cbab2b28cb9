import Foundation
import HandsetModel
import HandsetSRP
import HandsetWire
import Testing

@testable import HandsetRemote

/// Remembered devices in the sign-in machine: confirming a new device after a code, the pool's "only on the user's
/// prompt", and a remembered device answering DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with a proof a real SRP
/// server session accepts.
@Suite struct SignInMachineDeviceTests {
    static let now = Date(timeIntervalSince1970: 1_785_832_332)
    static let device = RememberedDevice(deviceKey: "us-east-1_dev", deviceGroupKey: "-group", secret: "s3cret==")

    func machine() -> SignInMachine {
        SignInMachine(clientId: "client", poolName: "AbCdEf123")
    }

    func call(_ action: SignInAction) -> CognitoCall? {
        if case .call(let call) = action { return call }
        Issue.record("expected a call, got \(action)")
        return nil
    }

    static func tokens(newDevice: Bool) -> JSONValue {
        var result: [String: JSONValue] = [
            "AccessToken": "access", "IdToken": "i", "RefreshToken": "r", "ExpiresIn": 3600,
        ]
        if newDevice { result["NewDeviceMetadata"] = ["DeviceKey": "us-east-1_new", "DeviceGroupKey": "-grp"] }
        return ["AuthenticationResult": .object(result)]
    }

    /// Signs in with the password flow up to a TOTP challenge, answered with a code.
    func throughCode(_ machine: inout SignInMachine) throws -> CognitoCall {
        _ = machine.start(username: "tina", password: "pw", flow: .password, srp: nil)
        let prompt = machine.receive(
            ["ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s1", "ChallengeParameters": [:]], now: Self.now)
        #expect(prompt == .prompt(.mfaCode(method: .totp, destination: nil), error: nil))
        return try #require(call(machine.answer("123456")))
    }

    @Test func aNewDeviceIsConfirmedAfterACodeAndKept() throws {
        var machine = machine()
        _ = try throughCode(&machine)
        let confirm = try #require(call(machine.receive(Self.tokens(newDevice: true), now: Self.now)))
        #expect(confirm.operation == "ConfirmDevice")
        #expect(confirm.body["AccessToken"] == "access")
        #expect(confirm.body["DeviceKey"] == "us-east-1_new")
        let config = confirm.body["DeviceSecretVerifierConfig"]
        let verifier = try #require(config?["PasswordVerifier"]?.stringValue.flatMap { Data(base64Encoded: $0) })
        #expect(verifier.count >= 384)
        guard case .signedIn = machine.receive(["UserConfirmationNecessary": false], now: Self.now) else {
            Issue.record("expected tokens")
            return
        }
        let kept = try #require(machine.deviceToRemember)
        #expect(kept.deviceKey == "us-east-1_new" && kept.deviceGroupKey == "-grp")
        // The secret is in neither the call nor any printed form of the device.
        #expect(!String(decoding: confirm.body.encoded(), as: UTF8.self).contains(kept.secret))
        #expect(!"\(kept)".contains(kept.secret))
    }

    @Test func withoutACodeNoDeviceIsConfirmed() throws {
        var machine = machine()
        _ = machine.start(username: "alice", password: "pw", flow: .password, srp: nil)
        guard case .signedIn = machine.receive(Self.tokens(newDevice: true), now: Self.now) else {
            Issue.record("expected tokens at once")
            return
        }
        #expect(machine.deviceToRemember == nil)
    }

    @Test func onThePromptOnlyTheAnswerDecidesAndNoIsStillKept() throws {
        for (answer, remembers) in [("y", true), ("no", false)] {
            var machine = machine()
            _ = try throughCode(&machine)
            _ = machine.receive(Self.tokens(newDevice: true), now: Self.now)
            let asked = machine.receive(["UserConfirmationNecessary": true], now: Self.now)
            #expect(asked == .prompt(.rememberDevice, error: nil))
            let next = machine.answer(answer)
            if remembers {
                let update = try #require(call(next))
                #expect(update.operation == "UpdateDeviceStatus")
                #expect(update.body["DeviceRememberedStatus"] == "remembered")
                guard case .signedIn = machine.receive([:], now: Self.now) else {
                    Issue.record("expected tokens")
                    return
                }
            } else {
                guard case .signedIn = next else {
                    Issue.record("expected tokens after no")
                    return
                }
            }
            // Kept either way: it is confirmed, so the next sign-in does not ask again.
            #expect(machine.deviceToRemember?.deviceKey == "us-east-1_new")
        }
    }

    @Test func aFailedConfirmationStillSignsIn() throws {
        var machine = machine()
        _ = try throughCode(&machine)
        _ = machine.receive(Self.tokens(newDevice: true), now: Self.now)
        guard
            case .signedIn(let tokens) = machine.receive(
                error: CognitoErrorBody(type: "InvalidParameterException", message: "no"))
        else {
            Issue.record("expected tokens")
            return
        }
        #expect(tokens.accessToken == "access")
        #expect(machine.deviceToRemember == nil)
    }

    @Test func aRememberedDeviceProvesItselfInsteadOfACode() throws {
        var machine = machine()
        let srp = try SRPClientSession()
        let deviceSRP = try SRPClientSession()
        let start = try #require(
            call(
                machine.start(
                    username: "tina", password: "pw", flow: .srp, srp: srp, device: Self.device, deviceSRP: deviceSRP)))
        #expect(start.body["AuthParameters"]?["DEVICE_KEY"] == "us-east-1_dev")

        let srpAuth = try #require(
            call(
                machine.receive(
                    ["ChallengeName": "DEVICE_SRP_AUTH", "Session": "d1", "ChallengeParameters": ["USERNAME": "tina"]],
                    now: Self.now)))
        #expect(srpAuth.body["ChallengeName"] == "DEVICE_SRP_AUTH")
        #expect(srpAuth.body["Session"] == "d1")
        #expect(srpAuth.body["ChallengeResponses"]?["SRP_A"]?.stringValue == deviceSRP.publicValueHex)
        #expect(srpAuth.body["ChallengeResponses"]?["DEVICE_KEY"] == "us-east-1_dev")

        // The server's side: the device's verifier, made as ConfirmDevice's was.
        let verifier = try SRPVerifier.make(
            password: Self.device.secret, poolName: Self.device.deviceGroupKey, userIdForSRP: Self.device.deviceKey)
        let server = try SRPServerSession(verifier: verifier)
        let block = Data("device-block".utf8).base64EncodedString()
        let proof = try #require(
            call(
                machine.receive(
                    [
                        "ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": "d2",
                        "ChallengeParameters": [
                            "SALT": .string(verifier.saltHex), "SRP_B": .string(server.publicValueHex),
                            "SECRET_BLOCK": .string(block), "USERNAME": "tina",
                        ],
                    ], now: Self.now)))
        let responses = proof.body["ChallengeResponses"]
        #expect(proof.body["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER")
        #expect(
            server.verify(
                clientPublicValueHex: deviceSRP.publicValueHex,
                signature: responses?["PASSWORD_CLAIM_SIGNATURE"]?.stringValue ?? "",
                poolName: Self.device.deviceGroupKey, userIdForSRP: Self.device.deviceKey, secretBlock: block,
                timestamp: responses?["TIMESTAMP"]?.stringValue ?? ""))
        #expect(!String(decoding: proof.body.encoded(), as: UTF8.self).contains(Self.device.secret))
        guard case .signedIn = machine.receive(Self.tokens(newDevice: false), now: Self.now) else {
            Issue.record("expected tokens")
            return
        }
        #expect(machine.deviceToRemember == nil && !machine.deviceRefused)
    }

    @Test func aRefusedDeviceIsForgotten() throws {
        var machine = machine()
        _ = machine.start(
            username: "tina", password: "pw", flow: .srp, srp: try SRPClientSession(), device: Self.device,
            deviceSRP: try SRPClientSession())
        _ = machine.receive(
            ["ChallengeName": "DEVICE_SRP_AUTH", "Session": "d1", "ChallengeParameters": [:]], now: Self.now)
        guard
            case .failed(let failure) = machine.receive(
                error: CognitoErrorBody(type: "ResourceNotFoundException", message: "Device does not exist."))
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("no longer remembered"))
        #expect(machine.deviceRefused)
    }
}

/// `handset login --passwordless`: USER_AUTH, SELECT_CHALLENGE answered with a code by email (else SMS).
@Suite struct SignInMachinePasswordlessTests {
    static let now = Date(timeIntervalSince1970: 1_785_832_332)

    func call(_ action: SignInAction) -> CognitoCall? {
        if case .call(let call) = action { return call }
        Issue.record("expected a call, got \(action)")
        return nil
    }

    @Test func emailIsChosenAndTheCodeAnswersEmailOTP() throws {
        var machine = SignInMachine(clientId: "client", poolName: "pool", secretHash: { "hash-of-\($0)" })
        let start = try #require(call(machine.startPasswordless(username: "emma")))
        #expect(start.body["AuthFlow"] == "USER_AUTH")
        #expect(start.body["AuthParameters"]?["SECRET_HASH"] == "hash-of-emma")
        #expect(start.body["AuthParameters"]?["PASSWORD"] == nil)
        let select = try #require(
            call(
                machine.receive(
                    [
                        "ChallengeName": "SELECT_CHALLENGE", "Session": "s1", "ChallengeParameters": [:],
                        "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "SMS_OTP", "EMAIL_OTP"],
                    ], now: Self.now)))
        #expect(select.body["ChallengeName"] == "SELECT_CHALLENGE")
        #expect(select.body["ChallengeResponses"]?["ANSWER"] == "EMAIL_OTP")
        let prompt = machine.receive(
            [
                "ChallengeName": "EMAIL_OTP", "Session": "s2",
                "ChallengeParameters": ["CODE_DELIVERY_DESTINATION": "e***@e***"],
            ], now: Self.now)
        #expect(prompt == .prompt(.mfaCode(method: .email, destination: "e***@e***"), error: nil))
        let answer = try #require(call(machine.answer("123 456")))
        #expect(answer.body["ChallengeName"] == "EMAIL_OTP")
        #expect(answer.body["ChallengeResponses"]?["EMAIL_OTP_CODE"] == "123456")
        #expect(answer.body["Session"] == "s2")
    }

    @Test func smsIsTheFallbackAndAnswersSMSOTP() throws {
        var machine = SignInMachine(clientId: "client", poolName: "pool")
        _ = machine.startPasswordless(username: "sam")
        let select = try #require(
            call(
                machine.receive(
                    [
                        "ChallengeName": "SELECT_CHALLENGE", "Session": "s1",
                        "AvailableChallenges": ["PASSWORD", "SMS_OTP"],
                    ],
                    now: Self.now)))
        #expect(select.body["ChallengeResponses"]?["ANSWER"] == "SMS_OTP")
        _ = machine.receive(["ChallengeName": "SMS_OTP", "Session": "s2", "ChallengeParameters": [:]], now: Self.now)
        let answer = try #require(call(machine.answer("654321")))
        #expect(answer.body["ChallengeName"] == "SMS_OTP")
        #expect(answer.body["ChallengeResponses"]?["SMS_OTP_CODE"] == "654321")
    }

    @Test func aPoolWithoutCodesSaysSo() {
        var machine = SignInMachine(clientId: "client", poolName: "pool")
        _ = machine.startPasswordless(username: "alice")
        guard
            case .failed(let failure) = machine.receive(
                ["ChallengeName": "SELECT_CHALLENGE", "Session": "s1", "AvailableChallenges": ["PASSWORD"]],
                now: Self.now)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("does not offer sign-in with a code"))
    }
}
