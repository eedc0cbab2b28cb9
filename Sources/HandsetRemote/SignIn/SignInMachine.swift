import Foundation
import HandsetModel
import HandsetSRP
import HandsetWire

/// Cognito's sign-in conversation as a pure state machine: feed it Cognito's answers and the person's input, and it
/// says which call to make or what to ask next. The TUI and the `handset login` command both drive it; tests feed
/// it recorded answers. It does no I/O: the clock and the SRP session come in from outside.
///
/// PASSWORD_VERIFIER is answered at once from the password captured at start (Cognito expects the answer within
/// seconds); the password is dropped as soon as it has been used.
public struct SignInMachine: Sendable {
    private enum Phase: Sendable {
        case idle
        case initiating
        case answeringVerifier
        case awaitingCode(MFAMethod, destination: String?)
        case awaitingChoice([MFAMethod])
        case settingUpTOTP(secret: String)
        case verifyingTOTP(secret: String)
        case awaitingNewPassword([String])
        case answeringDevice
        /// Signed in; the new device is being confirmed (ConfirmDevice), then perhaps remembered.
        case confirmingDevice(AuthenticationResult, RememberedDevice)
        case awaitingRememberChoice(AuthenticationResult, RememberedDevice)
        case rememberingDevice(AuthenticationResult, RememberedDevice)
        case finished
    }

    public let clientId: String
    public let poolName: String
    private let secretHash: @Sendable (String) -> String?
    private var phase: Phase = .idle
    private var username = ""
    /// The name Cognito uses in challenge answers (USER_ID_FOR_SRP once known).
    private var challengeUsername = ""
    private var password: String?
    private var session: String?
    private var srp: SRPClientSession?
    /// The device remembered for this user, proving itself with its own SRP session instead of a code.
    private var device: RememberedDevice?
    private var deviceSRP: SRPClientSession?
    /// Whether the person answered a second factor: only such a sign-in remembers its device.
    private var answeredCode = false
    /// A sign-in with a one-time code instead of the password (USER_AUTH); `smsFirstFactor` once the code went by
    /// text message (answered as SMS_OTP).
    private var passwordless = false
    private var smsFirstFactor = false
    private let makeDeviceSecret: @Sendable (_ groupKey: String, _ deviceKey: String) throws -> SRPDeviceSecret

    /// A device this sign-in confirmed: the driver keeps it (privately) for the user's next sign-ins.
    public private(set) var deviceToRemember: RememberedDevice?
    /// The remembered device was refused (forgotten on the server, or its secret no longer matches): the driver
    /// forgets it, so the next sign-in asks for the code and remembers the device anew.
    public private(set) var deviceRefused = false

    /// - Parameter secretHash: SECRET_HASH for a username when the app client has a secret, else nil.
    /// - Parameter deviceSecret: a new device secret and its verifier (random; fixed in tests).
    public init(
        clientId: String, poolName: String, secretHash: @escaping @Sendable (String) -> String? = { _ in nil },
        deviceSecret: @escaping @Sendable (String, String) throws -> SRPDeviceSecret = {
            try SRPDeviceSecret(deviceGroupKey: $0, deviceKey: $1)
        }
    ) {
        self.clientId = clientId
        self.poolName = poolName
        self.secretHash = secretHash
        self.makeDeviceSecret = deviceSecret
    }

    /// Starts a sign-in. With `.srp`, `srp` must be a fresh client session; with a remembered `device`,
    /// `deviceSRP` is another, for the device's own proof.
    public mutating func start(
        username: String, password: String, flow: SignInFlow, srp: SRPClientSession?,
        device: RememberedDevice? = nil, deviceSRP: SRPClientSession? = nil
    )
        -> SignInAction
    {
        self.username = username
        self.challengeUsername = username
        self.password = password
        self.session = nil
        self.device = deviceSRP == nil ? nil : device
        self.deviceSRP = deviceSRP
        passwordless = false
        smsFirstFactor = false
        answeredCode = false
        deviceToRemember = nil
        deviceRefused = false
        var parameters = ["USERNAME": username]
        if let hash = secretHash(username) { parameters["SECRET_HASH"] = hash }
        if let device = self.device { parameters["DEVICE_KEY"] = device.deviceKey }
        let authFlow: String
        switch flow {
        case .srp:
            guard let srp else {
                return .failed(SignInFailure(kind: .other, message: "SRP sign-in needs a client session"))
            }
            self.srp = srp
            parameters["SRP_A"] = srp.publicValueHex
            authFlow = CognitoAuthFlow.userSRP
        case .password:
            parameters["PASSWORD"] = password
            self.password = nil
            authFlow = CognitoAuthFlow.userPassword
        }
        phase = .initiating
        return .call(
            CognitoCall(
                operation: "InitiateAuth",
                body: [
                    "AuthFlow": .string(authFlow), "ClientId": .string(clientId),
                    "AuthParameters": .object(parameters.mapValues(JSONValue.string)),
                ]))
    }

    /// Starts a sign-in with a one-time code as the first factor (`USER_AUTH`): by email when the pool and the
    /// account allow it, else by text message.
    public mutating func startPasswordless(username: String) -> SignInAction {
        self.username = username
        challengeUsername = username
        password = nil
        session = nil
        device = nil
        deviceSRP = nil
        answeredCode = false
        deviceToRemember = nil
        deviceRefused = false
        passwordless = true
        smsFirstFactor = false
        var parameters = ["USERNAME": username]
        if let hash = secretHash(username) { parameters["SECRET_HASH"] = hash }
        phase = .initiating
        return .call(
            CognitoCall(
                operation: "InitiateAuth",
                body: [
                    "AuthFlow": "USER_AUTH", "ClientId": .string(clientId),
                    "AuthParameters": .object(parameters.mapValues(JSONValue.string)),
                ]))
    }

    /// Feeds Cognito's successful answer to the last call. `now` stamps a PASSWORD_VERIFIER answer.
    public mutating func receive(_ answer: JSONValue, now: Date) -> SignInAction {
        switch phase {
        case .confirmingDevice(let tokens, let device):
            guard answer["UserConfirmationNecessary"]?.boolValue == true else { return remembered(device, tokens) }
            // The pool remembers devices only when the person says so: ask once; either way the device is kept
            // (a device not remembered still signs in with its key, and the code is asked for).
            phase = .awaitingRememberChoice(tokens, device)
            return .prompt(.rememberDevice, error: nil)
        case .rememberingDevice(let tokens, let device):
            return remembered(device, tokens)
        default:
            break
        }
        if case .verifyingTOTP(let secret) = phase {
            guard answer["Status"]?.stringValue == "SUCCESS" else {
                phase = .settingUpTOTP(secret: secret)
                return .prompt(
                    .totpSetup(secret: secret, uri: totpURI(secret: secret)),
                    error: "That code did not verify; try the next one")
            }
            if let session = answer["Session"]?.stringValue { self.session = session }
            return respond(challenge: "MFA_SETUP", responses: [:])
        }
        if case .settingUpTOTP = phase, let secret = answer["SecretCode"]?.stringValue {
            if let session = answer["Session"]?.stringValue { self.session = session }
            phase = .settingUpTOTP(secret: secret)
            return .prompt(.totpSetup(secret: secret, uri: totpURI(secret: secret)), error: nil)
        }
        if let result = answer["AuthenticationResult"], let tokens = Self.tokens(from: result) {
            // A new device after a second factor: confirm it, so the next sign-in here skips the code.
            if answeredCode, let metadata = result["NewDeviceMetadata"],
                let key = metadata["DeviceKey"]?.stringValue, let group = metadata["DeviceGroupKey"]?.stringValue,
                let secret = try? makeDeviceSecret(group, key)
            {
                let device = RememberedDevice(deviceKey: key, deviceGroupKey: group, secret: secret.secret)
                phase = .confirmingDevice(tokens, device)
                return .call(
                    CognitoCall(
                        operation: "ConfirmDevice",
                        body: [
                            "AccessToken": .string(tokens.accessToken), "DeviceKey": .string(key),
                            "DeviceName": "handset",
                            "DeviceSecretVerifierConfig": [
                                "PasswordVerifier": .string(secret.verifierBase64), "Salt": .string(secret.saltBase64),
                            ],
                        ]))
            }
            finish()
            return .signedIn(tokens)
        }
        guard let challenge = answer["ChallengeName"]?.stringValue else {
            finish()
            return .failed(SignInFailure(kind: .other, message: "Cognito answered without tokens or a challenge"))
        }
        session = answer["Session"]?.stringValue ?? session
        let parameters = answer["ChallengeParameters"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        if challenge == "SELECT_CHALLENGE" {
            let available = (answer["AvailableChallenges"]?.arrayValue ?? []).compactMap(\.stringValue)
            return selectCodeChallenge(available)
        }
        return handle(challenge: challenge, parameters: parameters, now: now)
    }

    /// Feeds a Cognito error answer to the last call.
    public mutating func receive(error: CognitoErrorBody) -> SignInAction {
        switch phase {
        case .confirmingDevice(let tokens, _), .rememberingDevice(let tokens, _):
            // Signed in all the same; this device is just not remembered.
            finish()
            return .signedIn(tokens)
        case .answeringDevice:
            deviceRefused = true
            finish()
            return .failed(
                SignInFailure(
                    kind: .notAuthorized,
                    message: "This device is no longer remembered for this account; sign in again (a code will be "
                        + "asked for)"))
        default:
            break
        }
        switch (error.type, phase) {
        case ("CodeMismatchException", .awaitingCode(let method, let destination)):
            // The session stays valid: let the person try again.
            return .prompt(.mfaCode(method: method, destination: destination), error: "Wrong code; try again")
        case ("CodeMismatchException", .verifyingTOTP(let secret)),
            ("EnableSoftwareTokenMFAException", .verifyingTOTP(let secret)):
            phase = .settingUpTOTP(secret: secret)
            return .prompt(
                .totpSetup(secret: secret, uri: totpURI(secret: secret)),
                error: "That code did not verify; try the next one")
        case ("InvalidPasswordException", .awaitingNewPassword(let attributes)):
            return .prompt(.newPassword(requiredAttributes: attributes), error: error.message)
        default:
            finish()
            return .failed(Self.failure(for: error))
        }
    }

    /// Gives the person's answer to the last prompt: a code, a choice (an `MFAMethod` raw value) or a new password.
    public mutating func answer(_ text: String, attributes: [String: String] = [:]) -> SignInAction {
        switch phase {
        case .awaitingRememberChoice(let tokens, let device):
            guard Self.isYes(text) else { return remembered(device, tokens) }
            phase = .rememberingDevice(tokens, device)
            return .call(
                CognitoCall(
                    operation: "UpdateDeviceStatus",
                    body: [
                        "AccessToken": .string(tokens.accessToken), "DeviceKey": .string(device.deviceKey),
                        "DeviceRememberedStatus": "remembered",
                    ]))
        case .awaitingCode(_, _) where smsFirstFactor:
            return respond(challenge: "SMS_OTP", responses: ["SMS_OTP_CODE": text.filter { !$0.isWhitespace }])
        case .awaitingCode(let method, _):
            answeredCode = !passwordless
            let code = text.filter { !$0.isWhitespace }
            return respond(challenge: method.rawValue, responses: [method.codeKey: code])
        case .awaitingChoice(let options):
            guard let method = MFAMethod(cognitoName: text), options.contains(method) else {
                return .prompt(.mfaChoice(options), error: "Choose one of the offered methods")
            }
            return respond(challenge: "SELECT_MFA_TYPE", responses: ["ANSWER": method.rawValue])
        case .settingUpTOTP(let secret):
            answeredCode = true
            phase = .verifyingTOTP(secret: secret)
            var body: [String: JSONValue] = [
                "UserCode": .string(text.filter { !$0.isWhitespace }), "FriendlyDeviceName": "handset",
            ]
            if let session { body["Session"] = .string(session) }
            return .call(CognitoCall(operation: "VerifySoftwareToken", body: .object(body)))
        case .awaitingNewPassword:
            var responses = ["NEW_PASSWORD": text]
            for (name, value) in attributes { responses["userAttributes.\(name)"] = value }
            return respond(challenge: "NEW_PASSWORD_REQUIRED", responses: responses)
        default:
            return .failed(SignInFailure(kind: .other, message: "Nothing was asked"))
        }
    }

    private mutating func handle(challenge: String, parameters: [String: String], now: Date) -> SignInAction {
        switch challenge {
        case "PASSWORD_VERIFIER":
            guard let srp, let password, let salt = parameters["SALT"], let serverPublic = parameters["SRP_B"],
                let secretBlock = parameters["SECRET_BLOCK"]
            else {
                finish()
                return .failed(SignInFailure(kind: .other, message: "Incomplete PASSWORD_VERIFIER challenge"))
            }
            let userId = parameters["USER_ID_FOR_SRP"] ?? username
            challengeUsername = parameters["USERNAME"] ?? userId
            let timestamp = CognitoTimestamp.string(from: now)
            let signature: String
            do {
                signature = try srp.passwordClaimSignature(
                    poolName: poolName, userIdForSRP: userId, password: password, saltHex: salt,
                    serverPublicValueHex: serverPublic, secretBlock: secretBlock, timestamp: timestamp)
            } catch {
                finish()
                return .failed(SignInFailure(kind: .other, message: "The server's SRP values were refused: \(error)"))
            }
            self.password = nil
            self.srp = nil
            phase = .answeringVerifier
            var responses = [
                "PASSWORD_CLAIM_SECRET_BLOCK": secretBlock, "PASSWORD_CLAIM_SIGNATURE": signature,
                "TIMESTAMP": timestamp,
            ]
            if let device { responses["DEVICE_KEY"] = device.deviceKey }
            return respond(challenge: "PASSWORD_VERIFIER", responses: responses)
        case "DEVICE_SRP_AUTH":
            guard let device, let deviceSRP else {
                finish()
                return .failed(SignInFailure(kind: .other, message: "The pool asked for a device this is not"))
            }
            challengeUsername = parameters["USERNAME"] ?? challengeUsername
            phase = .answeringDevice
            return respond(
                challenge: "DEVICE_SRP_AUTH",
                responses: ["DEVICE_KEY": device.deviceKey, "SRP_A": deviceSRP.publicValueHex])
        case "DEVICE_PASSWORD_VERIFIER":
            guard let device, let deviceSRP, let salt = parameters["SALT"], let serverPublic = parameters["SRP_B"],
                let secretBlock = parameters["SECRET_BLOCK"]
            else {
                finish()
                return .failed(SignInFailure(kind: .other, message: "Incomplete DEVICE_PASSWORD_VERIFIER challenge"))
            }
            let timestamp = CognitoTimestamp.string(from: now)
            let signature: String
            do {
                signature = try deviceSRP.passwordClaimSignature(
                    poolName: device.deviceGroupKey, userIdForSRP: device.deviceKey, password: device.secret,
                    saltHex: salt, serverPublicValueHex: serverPublic, secretBlock: secretBlock, timestamp: timestamp)
            } catch {
                finish()
                return .failed(SignInFailure(kind: .other, message: "The server's SRP values were refused: \(error)"))
            }
            self.deviceSRP = nil
            phase = .answeringDevice
            return respond(
                challenge: "DEVICE_PASSWORD_VERIFIER",
                responses: [
                    "PASSWORD_CLAIM_SECRET_BLOCK": secretBlock, "PASSWORD_CLAIM_SIGNATURE": signature,
                    "TIMESTAMP": timestamp, "DEVICE_KEY": device.deviceKey,
                ])
        case "SMS_OTP":
            smsFirstFactor = true
            challengeUsername = parameters["USERNAME"] ?? challengeUsername
            let destination = parameters["CODE_DELIVERY_DESTINATION"]
            phase = .awaitingCode(.sms, destination: destination)
            return .prompt(.mfaCode(method: .sms, destination: destination), error: nil)
        case "SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "EMAIL_MFA":
            // Past the device step (or without one): a failure from here on is not the device's.
            deviceSRP = nil
            challengeUsername = parameters["USERNAME"] ?? challengeUsername
            let method = MFAMethod(cognitoName: challenge) ?? .totp
            let destination = parameters["CODE_DELIVERY_DESTINATION"]
            phase = .awaitingCode(method, destination: destination)
            return .prompt(.mfaCode(method: method, destination: destination), error: nil)
        case "SELECT_MFA_TYPE":
            let names =
                (parameters["MFAS_CAN_CHOOSE"].flatMap { try? JSONValue.parse(Data($0.utf8)) }?.arrayValue ?? [])
                .compactMap(\.stringValue)
            var options: [MFAMethod] = []
            for name in names {
                if let method = MFAMethod(cognitoName: name), !options.contains(method) { options.append(method) }
            }
            phase = .awaitingChoice(options)
            return .prompt(.mfaChoice(options), error: nil)
        case "MFA_SETUP":
            phase = .settingUpTOTP(secret: "")
            var body: [String: JSONValue] = [:]
            if let session { body["Session"] = .string(session) }
            return .call(CognitoCall(operation: "AssociateSoftwareToken", body: .object(body)))
        case "NEW_PASSWORD_REQUIRED":
            self.password = nil
            let required =
                (parameters["requiredAttributes"].flatMap { try? JSONValue.parse(Data($0.utf8)) }?
                .arrayValue ?? [])
                .compactMap(\.stringValue).map { $0.replacingOccurrences(of: "userAttributes.", with: "") }
            phase = .awaitingNewPassword(required)
            return .prompt(.newPassword(requiredAttributes: required), error: nil)
        default:
            finish()
            return .failed(
                SignInFailure(
                    kind: .other, message: "This account needs the \(challenge) step, which Handset does not support"))
        }
    }

    private func respond(challenge: String, responses: [String: String]) -> SignInAction {
        var all = responses
        all["USERNAME"] = challengeUsername
        if let hash = secretHash(challengeUsername) { all["SECRET_HASH"] = hash }
        var body: [String: JSONValue] = [
            "ClientId": .string(clientId), "ChallengeName": .string(challenge),
            "ChallengeResponses": .object(all.mapValues(JSONValue.string)),
        ]
        if let session { body["Session"] = .string(session) }
        return .call(CognitoCall(operation: "RespondToAuthChallenge", body: .object(body)))
    }

    private func totpURI(secret: String) -> String {
        AuthenticatorURI.totp(secret: secret, account: username)
    }

    private mutating func finish() {
        phase = .finished
        password = nil
        srp = nil
        session = nil
        deviceSRP = nil
    }

    private mutating func remembered(_ device: RememberedDevice, _ tokens: AuthenticationResult) -> SignInAction {
        deviceToRemember = device
        finish()
        return .signedIn(tokens)
    }

    /// SELECT_CHALLENGE in a sign-in with a code: a code by email if offered, else by text message.
    private mutating func selectCodeChallenge(_ available: [String]) -> SignInAction {
        guard passwordless, let choice = ["EMAIL_OTP", "SMS_OTP"].first(where: available.contains) else {
            finish()
            return .failed(
                SignInFailure(
                    kind: .other,
                    message: passwordless
                        ? "This pool does not offer sign-in with a code for this account; sign in with the password"
                        : "The pool asked to choose how to sign in, which this sign-in does not do"))
        }
        return respond(challenge: "SELECT_CHALLENGE", responses: ["ANSWER": choice])
    }

    static func isYes(_ text: String) -> Bool {
        ["y", "yes", "remember"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func tokens(from result: JSONValue) -> AuthenticationResult? {
        guard let access = result["AccessToken"]?.stringValue, let id = result["IdToken"]?.stringValue else {
            return nil
        }
        return AuthenticationResult(
            accessToken: access, idToken: id, refreshToken: result["RefreshToken"]?.stringValue,
            expiresIn: result["ExpiresIn"]?.intValue ?? 3600, tokenType: result["TokenType"]?.stringValue ?? "Bearer")
    }

    static func failure(for error: CognitoErrorBody) -> SignInFailure {
        switch error.type {
        case "NotAuthorizedException":
            if error.message.localizedCaseInsensitiveContains("session") {
                return SignInFailure(kind: .sessionExpired, message: "The sign-in took too long; please start again")
            }
            if error.message.localizedCaseInsensitiveContains("attempts") {
                return SignInFailure(kind: .lockedOut, message: error.message)
            }
            return SignInFailure(kind: .notAuthorized, message: error.message)
        case "TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException":
            return SignInFailure(kind: .lockedOut, message: error.message)
        case "UserNotConfirmedException":
            return SignInFailure(kind: .userNotConfirmed, message: "Confirm your account first: \(error.message)")
        case "PasswordResetRequiredException":
            return SignInFailure(kind: .passwordResetRequired, message: "Reset your password first: \(error.message)")
        case "ExpiredCodeException":
            return SignInFailure(kind: .sessionExpired, message: error.message)
        default:
            return SignInFailure(kind: .other, message: error.message.isEmpty ? error.type : error.message)
        }
    }
}
