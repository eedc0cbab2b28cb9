import Foundation
import HandsetSRP
import HandsetWire
import Testing

@testable import HandsetRemote

/// The sign-in machine driven through every challenge, with a real SRP server session standing in for Cognito's
/// side of PASSWORD_VERIFIER (no network).
@Suite struct SignInMachineTests {
    static let poolName = "AbCdEf123"
    static let now = Date(timeIntervalSince1970: 1_785_832_332)  // Tue Aug 4 08:32:12 UTC 2026

    func machine(secret: Bool = false) -> SignInMachine {
        SignInMachine(
            clientId: "client", poolName: Self.poolName, secretHash: { secret ? "hash-of-\($0)" : nil })
    }

    func call(_ action: SignInAction) -> CognitoCall? {
        if case .call(let call) = action { return call }
        Issue.record("expected a call, got \(action)")
        return nil
    }

    static let tokens: JSONValue = [
        "AuthenticationResult": [
            "AccessToken": "a", "IdToken": "i", "RefreshToken": "r", "ExpiresIn": 3600, "TokenType": "Bearer",
        ]
    ]

    /// Plays Cognito's side of SRP for `password`, returning the challenge and a check of the client's answer.
    func verifierChallenge(password: String, clientA: String) throws -> (JSONValue, (CognitoCall) -> Bool) {
        let verifier = try SRPVerifier.make(password: password, poolName: Self.poolName, userIdForSRP: "user-sub-1")
        let server = try SRPServerSession(verifier: verifier)
        let secretBlock = Data("opaque-secret-block".utf8).base64EncodedString()
        let challenge: JSONValue = [
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": [
                "SALT": .string(verifier.saltHex), "SRP_B": .string(server.publicValueHex),
                "SECRET_BLOCK": .string(secretBlock), "USER_ID_FOR_SRP": "user-sub-1", "USERNAME": "user-sub-1",
            ],
        ]
        let check: (CognitoCall) -> Bool = { call in
            let responses = call.body["ChallengeResponses"]
            return server.verify(
                clientPublicValueHex: clientA, signature: responses?["PASSWORD_CLAIM_SIGNATURE"]?.stringValue ?? "",
                poolName: Self.poolName, userIdForSRP: "user-sub-1", secretBlock: secretBlock,
                timestamp: responses?["TIMESTAMP"]?.stringValue ?? "")
        }
        return (challenge, check)
    }

    @Test func srpSignInProvesThePasswordWithoutSendingIt() throws {
        var machine = machine()
        let session = try SRPClientSession()
        let start = try #require(
            call(machine.start(username: "alice", password: "Wonderland-42!", flow: .srp, srp: session)))
        #expect(start.operation == "InitiateAuth")
        #expect(start.body["AuthFlow"] == "USER_SRP_AUTH")
        #expect(start.body["AuthParameters"]?["SRP_A"]?.stringValue == session.publicValueHex)
        #expect(!String(decoding: start.body.encoded(), as: UTF8.self).contains("Wonderland"))

        let (challenge, check) = try verifierChallenge(password: "Wonderland-42!", clientA: session.publicValueHex)
        let answer = try #require(call(machine.receive(challenge, now: Self.now)))
        #expect(answer.operation == "RespondToAuthChallenge")
        #expect(answer.body["ChallengeName"] == "PASSWORD_VERIFIER")
        #expect(answer.body["ChallengeResponses"]?["USERNAME"] == "user-sub-1")
        #expect(answer.body["ChallengeResponses"]?["TIMESTAMP"] == "Tue Aug 4 08:32:12 UTC 2026")
        #expect(check(answer), "the server accepts the proof")
        #expect(!String(decoding: answer.body.encoded(), as: UTF8.self).contains("Wonderland"))
        guard case .signedIn(let result) = machine.receive(Self.tokens, now: Self.now) else {
            Issue.record("expected tokens")
            return
        }
        #expect(result.refreshToken == "r")
    }

    @Test func aWrongPasswordFailsTheServersCheck() throws {
        var machine = machine()
        let session = try SRPClientSession()
        _ = machine.start(username: "alice", password: "wrong", flow: .srp, srp: session)
        let (challenge, check) = try verifierChallenge(password: "Wonderland-42!", clientA: session.publicValueHex)
        let answer = try #require(call(machine.receive(challenge, now: Self.now)))
        #expect(!check(answer))
        let failure = machine.receive(
            error: CognitoErrorBody(type: "NotAuthorizedException", message: "Incorrect username or password."))
        #expect(failure == .failed(SignInFailure(kind: .notAuthorized, message: "Incorrect username or password.")))
    }

    @Test func totpChallengeAsksForACodeAndRetriesAWrongOne() throws {
        var machine = machine(secret: true)
        let start = try #require(call(machine.start(username: "tina", password: "pw", flow: .password, srp: nil)))
        #expect(start.body["AuthParameters"]?["SECRET_HASH"] == "hash-of-tina")
        let prompt = machine.receive(
            ["ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s1", "ChallengeParameters": ["USERNAME": "tina-sub"]],
            now: Self.now)
        #expect(prompt == .prompt(.mfaCode(method: .totp, destination: nil), error: nil))
        let answer = try #require(call(machine.answer(" 123 456 ")))
        #expect(answer.body["Session"] == "s1")
        #expect(answer.body["ChallengeResponses"]?["SOFTWARE_TOKEN_MFA_CODE"] == "123456")
        #expect(answer.body["ChallengeResponses"]?["USERNAME"] == "tina-sub")
        #expect(answer.body["ChallengeResponses"]?["SECRET_HASH"] == "hash-of-tina-sub")
        #expect(
            machine.receive(error: CognitoErrorBody(type: "CodeMismatchException", message: "Invalid code"))
                == .prompt(.mfaCode(method: .totp, destination: nil), error: "Wrong code; try again"))
        _ = machine.answer("654321")
        guard case .signedIn = machine.receive(Self.tokens, now: Self.now) else {
            Issue.record("expected tokens")
            return
        }
    }

    @Test func emailCodeShowsWhereItWent() {
        var machine = machine()
        _ = machine.start(username: "emma", password: "pw", flow: .password, srp: nil)
        let prompt = machine.receive(
            [
                "ChallengeName": "EMAIL_OTP", "Session": "s",
                "ChallengeParameters": [
                    "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "e***@example.com",
                ],
            ], now: Self.now)
        #expect(prompt == .prompt(.mfaCode(method: .email, destination: "e***@example.com"), error: nil))
        guard case .call(let call) = machine.answer("111222") else {
            Issue.record("expected a call")
            return
        }
        #expect(call.body["ChallengeName"] == "EMAIL_OTP")
        #expect(call.body["ChallengeResponses"]?["EMAIL_OTP_CODE"] == "111222")
    }

    @Test func mfaTypeSelectionAcceptsEmailMFAAsEmailOTP() {
        var machine = machine()
        _ = machine.start(username: "u", password: "pw", flow: .password, srp: nil)
        let prompt = machine.receive(
            [
                "ChallengeName": "SELECT_MFA_TYPE", "Session": "s",
                "ChallengeParameters": ["MFAS_CAN_CHOOSE": #"["SOFTWARE_TOKEN_MFA","EMAIL_MFA"]"#],
            ],
            now: Self.now)
        #expect(prompt == .prompt(.mfaChoice([.totp, .email]), error: nil))
        #expect(
            machine.answer("SMS_MFA")
                == .prompt(.mfaChoice([.totp, .email]), error: "Choose one of the offered methods"))
        guard case .call(let call) = machine.answer("EMAIL_MFA") else {
            Issue.record("expected a call")
            return
        }
        #expect(call.body["ChallengeResponses"]?["ANSWER"] == "EMAIL_OTP")
    }

    @Test func mfaSetupAssociatesVerifiesAndFinishes() throws {
        var machine = machine()
        _ = machine.start(username: "new@x.io", password: "pw", flow: .password, srp: nil)
        let associate = try #require(
            call(
                machine.receive(
                    ["ChallengeName": "MFA_SETUP", "Session": "s1", "ChallengeParameters": [:]], now: Self.now)))
        #expect(associate.operation == "AssociateSoftwareToken")
        #expect(associate.body["Session"] == "s1")
        let prompt = machine.receive(["SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s2"], now: Self.now)
        #expect(
            prompt
                == .prompt(
                    .totpSetup(
                        secret: "JBSWY3DPEHPK3PXP",
                        uri: "otpauth://totp/Handset:new@x.io?secret=JBSWY3DPEHPK3PXP&issuer=Handset"),
                    error: nil))
        let verify = try #require(call(machine.answer("123456")))
        #expect(verify.operation == "VerifySoftwareToken")
        #expect(verify.body["Session"] == "s2")
        #expect(verify.body["UserCode"] == "123456")
        guard
            case .prompt(.totpSetup(let secret, _), let error) = machine.receive(
                error: CognitoErrorBody(type: "CodeMismatchException", message: ""))
        else {
            Issue.record("expected to be asked again")
            return
        }
        #expect(secret == "JBSWY3DPEHPK3PXP")
        #expect(error != nil)
        _ = machine.answer("654321")
        let finish = try #require(call(machine.receive(["Status": "SUCCESS", "Session": "s3"], now: Self.now)))
        #expect(finish.operation == "RespondToAuthChallenge")
        #expect(finish.body["ChallengeName"] == "MFA_SETUP")
        #expect(finish.body["Session"] == "s3")
    }

    @Test func newPasswordRequiredSendsTheNewPasswordAndAttributes() throws {
        var machine = machine()
        _ = machine.start(username: "nora", password: "Temp-1234", flow: .password, srp: nil)
        let prompt = machine.receive(
            [
                "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s",
                "ChallengeParameters": ["requiredAttributes": #"["userAttributes.name"]"#],
            ],
            now: Self.now)
        #expect(prompt == .prompt(.newPassword(requiredAttributes: ["name"]), error: nil))
        let answer = try #require(call(machine.answer("Brand-New-42!", attributes: ["name": "Nora"])))
        #expect(answer.body["ChallengeResponses"]?["NEW_PASSWORD"] == "Brand-New-42!")
        #expect(answer.body["ChallengeResponses"]?["userAttributes.name"] == "Nora")
        #expect(
            machine.receive(
                error: CognitoErrorBody(type: "InvalidPasswordException", message: "Password not long enough"))
                == .prompt(.newPassword(requiredAttributes: ["name"]), error: "Password not long enough"))
    }

    @Test func errorsMapToKinds() {
        let cases: [(String, String, SignInFailure.Kind)] = [
            ("NotAuthorizedException", "Incorrect username or password.", .notAuthorized),
            ("NotAuthorizedException", "Invalid session for the user, session is expired.", .sessionExpired),
            ("NotAuthorizedException", "Password attempts exceeded", .lockedOut),
            ("TooManyRequestsException", "Rate exceeded", .lockedOut),
            ("UserNotConfirmedException", "User is not confirmed.", .userNotConfirmed),
            ("PasswordResetRequiredException", "Password reset required for the user", .passwordResetRequired),
        ]
        for (type, message, kind) in cases {
            #expect(
                SignInMachine.failure(for: CognitoErrorBody(type: type, message: message)).kind == kind,
                "\(type): \(message)")
        }
    }

    @Test func printedCallsNeverShowTheirBodies() {
        let call = CognitoCall(operation: "InitiateAuth", body: ["AuthParameters": ["PASSWORD": "hunter2"]])
        #expect(!String(describing: call).contains("hunter2"))
    }
}
