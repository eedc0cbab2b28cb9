import Crypto
import Foundation
import HandsetCloudStorage
import HandsetSRP
import HandsetWire

/// Cognito's sign-in: `InitiateAuth` and `RespondToAuthChallenge`.
///
/// A sign-in is a chain of steps, each answered with either tokens or the next challenge and a `Session`:
/// password (SRP's PASSWORD_VERIFIER, or the password itself with USER_PASSWORD_AUTH), then NEW_PASSWORD_REQUIRED for
/// a temporary password, then the second factor (SELECT_MFA_TYPE, SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, or
/// MFA_SETUP when the pool requires MFA and the user has none). Sessions live 3 minutes and are taken atomically,
/// so each answers once; a wrong code gives the session back for another try (the lockout bounds the tries).
struct AuthenticationService: Sendable {
    let pool: UserPool

    /// The flows `InitiateAuth` accepts on the wire (Cognito's `AuthFlowType`).
    static let knownFlows = [
        CognitoAuthFlow.userSRP, CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias, "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH", CognitoAuthFlow.userPassword, "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH",
    ]

    /// Where a sign-in stands after a step: another challenge to answer, or a user who has proven who they are.
    /// Cognito's API turns the latter into tokens at once; managed login turns it into an authorization code.
    /// `pending`: what the last step has yet to write, with the sign-in's event (and refresh token).
    enum SignInStep: Sendable {
        case challenge(AuthResponse)
        case authenticated(PoolUser, pending: PendingSignInWrites)
        /// Signed in on a device that proved itself (DEVICE_PASSWORD_VERIFIER): the tokens name it.
        case authenticatedOnDevice(PoolUser, deviceKey: String, pending: PendingSignInWrites)

        static func authenticated(_ user: PoolUser) -> SignInStep { .authenticated(user, pending: .none) }
        static func authenticatedOnDevice(_ user: PoolUser, deviceKey: String) -> SignInStep {
            .authenticatedOnDevice(user, deviceKey: deviceKey, pending: .none)
        }

        /// The same step with `pending` to write as well.
        func writing(_ pending: PendingSignInWrites) -> SignInStep {
            switch self {
            case .challenge: self
            case .authenticated(let user, _): .authenticated(user, pending: pending)
            case .authenticatedOnDevice(let user, let key, _):
                .authenticatedOnDevice(user, deviceKey: key, pending: pending)
            }
        }
    }

    enum Challenge {
        static let passwordVerifier = "PASSWORD_VERIFIER"
        static let newPasswordRequired = "NEW_PASSWORD_REQUIRED"
        static let selectMFAType = "SELECT_MFA_TYPE"
        static let mfaSetup = "MFA_SETUP"
        static let deviceSRP = "DEVICE_SRP_AUTH"
        static let devicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER"
        static let userAuth = "USER_AUTH"
        static let selectChallenge = "SELECT_CHALLENGE"
        static let smsOTP = "SMS_OTP"
    }

    // MARK: InitiateAuth

    func initiateAuth(_ request: InitiateAuthRequest) async throws -> AuthResponse {
        let client = try pool.client(request.clientId)
        guard Self.knownFlows.contains(request.authFlow) else {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(request.authFlow)' at 'authFlow' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [\(Self.knownFlows.joined(separator: ", "))]")
        }
        switch request.authFlow {
        case CognitoAuthFlow.userSRP:
            // Always allowed, as in Cognito.
            return try await startSRP(request.authParameters, client: client)
        case CognitoAuthFlow.userPassword:
            try requireEnabled(request.authFlow, for: client)
            return try await tokens(for: signInWithPassword(request.authParameters, client: client), client: client)
        case CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias:
            try requireEnabled(request.authFlow, for: client)
            return try await refresh(request.authParameters, client: client)
        case Challenge.userAuth:
            try requireEnabled(request.authFlow, for: client)
            return try await tokens(for: startUserAuth(request.authParameters, client: client), client: client)
        default:
            throw CognitoError.invalidParameter(
                "Unsupported AuthFlow \(request.authFlow): handset-cloud does not implement it")
        }
    }

    private func requireEnabled(_ flow: String, for client: AppClient) throws {
        guard client.allows(flow: flow) else {
            throw CognitoError.invalidParameter("\(flow) flow not enabled for this client")
        }
    }

    private static func parameter(_ parameters: [String: String], _ name: String) throws -> String {
        guard let value = parameters[name], !value.isEmpty else {
            throw CognitoError.invalidParameter("Missing required parameter \(name)")
        }
        return value
    }

    /// `USER_SRP_AUTH`: answers SRP_A with the PASSWORD_VERIFIER challenge. An unknown user gets a decoy challenge
    /// built from a salt and verifier derived from the name, so the answer looks like a real user's (stable salt,
    /// random B, the name as the pool would have stored it) and fails only at the signature, like a wrong password.
    func startSRP(_ parameters: [String: String], client: AppClient) async throws -> AuthResponse {
        let username = try Self.parameter(parameters, "USERNAME")
        let clientPublicHex = try Self.parameter(parameters, "SRP_A")
        try pool.requireSecretHash(parameters["SECRET_HASH"], client: client, usernames: [username])
        // A is a number modulo N: longer text (beyond a `00` pad) is refused before it is decoded or stored.
        guard clientPublicHex.utf8.count <= Self.maximumPublicValueHexLength,
            let clientPublic = SRPHex.decode(clientPublicHex), !(try SRPGroup.cognito.isZeroModulo(clientPublic))
        else { throw CognitoError.invalidParameter("SRP_A is not a valid public value") }
        if try await pool.store.lockedUntil(
            subject: UserPool.passwordSubject(username), kind: .password, now: pool.now())
            != nil
        {
            throw CognitoError.passwordAttemptsExceeded
        }

        let user = try await pool.user(named: username)
        let userIdForSRP = user?.userIdForSRP ?? UsernameProfile.map(username)
        let verifier = try user?.password ?? decoyVerifier(for: username)
        let server = try SRPServerSession(verifier: verifier)
        let sessionId = SecureRandom.bytes(32)
        try await pool.openSession(
            id: Base64URL.encode(sessionId), challenge: Challenge.passwordVerifier, client: client,
            username: user?.username ?? userIdForSRP, userSub: user?.sub,
            state: ChallengeState(
                decoy: user == nil ? true : nil, clientPublicValue: clientPublicHex,
                serverPublicValue: SRPHex.encode(server.publicValue), deviceKey: Self.deviceKey(parameters)))
        let secretBlock = try pool.sealer.seal(
            .init(sessionId: sessionId, issuedAt: pool.now(), serverPrivateValue: server.privateValue),
            userIdForSRP: userIdForSRP)
        return AuthResponse(
            challengeName: Challenge.passwordVerifier,
            challengeParameters: [
                "SALT": verifier.saltHex, "SRP_B": server.publicValueHex, "SECRET_BLOCK": secretBlock,
                "USER_ID_FOR_SRP": userIdForSRP, "USERNAME": user?.username ?? userIdForSRP,
            ])
    }

    /// SRP_A's longest hex form: the size of N, plus a `00` pad some clients put before a high first byte.
    static let maximumPublicValueHexLength = SRPGroup.cognito.byteCount * 2 + 2

    /// A stable salt and verifier for a name that is not a user, keyed by the server's secret.
    private func decoyVerifier(for username: String) throws -> SRPVerifier {
        let name = Data(UsernameProfile.map(username).utf8)
        let salt = HMAC<SHA256>.authenticationCode(for: Data("salt:".utf8) + name, using: pool.sealer.key)
        let exponent = HMAC<SHA256>.authenticationCode(for: Data("verifier:".utf8) + name, using: pool.sealer.key)
        return SRPVerifier(
            salt: Array(Array(salt).prefix(16)), verifier: try SRPGroup.cognito.generatorPower(Array(exponent)))
    }

    /// `USER_PASSWORD_AUTH`: the password travels (over TLS in AWS) and is checked against the stored SRP verifier.
    /// Managed login's password step uses this too, whatever flows the client allows through the API.
    func signInWithPassword(_ parameters: [String: String], client: AppClient) async throws -> SignInStep {
        let username = try Self.parameter(parameters, "USERNAME")
        guard let password = parameters["PASSWORD"] else {
            throw CognitoError.invalidParameter("Missing required parameter PASSWORD")
        }
        try pool.requireSecretHash(parameters["SECRET_HASH"], client: client, usernames: [username])
        let subject = UserPool.passwordSubject(username)
        try await pool.beginAttempt(subject, .password, locked: .passwordAttemptsExceeded)

        guard let user = try await pool.user(named: username) else {
            // Spend the same work as for a real user, so that timing does not reveal who exists either.
            _ = try SRPVerifier.make(
                password: password, poolName: pool.configuration.poolName, userIdForSRP: UsernameProfile.map(username),
                salt: decoyVerifier(for: username).salt)
            throw CognitoError.incorrectCredentials
        }
        guard
            try user.password.matches(
                password: password, poolName: pool.configuration.poolName, userIdForSRP: user.userIdForSRP)
        else {
            try await AuthEventLog(pool: pool).signIn(
                user, passed: false, checked: [.password: false], clientId: client.clientId)
            throw CognitoError.incorrectCredentials
        }
        return try await continueAfterPassword(
            user, client: client, deviceKey: Self.deviceKey(parameters), passed: LockoutCounter(subject, .password))
    }

    // MARK: RespondToAuthChallenge

    func respondToAuthChallenge(_ request: RespondToAuthChallengeRequest) async throws -> AuthResponse {
        let client = try pool.client(request.clientId)
        return try await tokens(for: answer(request, client: client), client: client)
    }

    /// One answer to a challenge, as managed login's pages give it.
    func answer(_ request: RespondToAuthChallengeRequest, client: AppClient) async throws -> SignInStep {
        let responses = request.challengeResponses
        switch request.challengeName {
        case Challenge.passwordVerifier:
            return try await answerPasswordVerifier(responses, client: client)
        case MFAFactor.softwareToken.rawValue, MFAFactor.sms.rawValue, MFAFactor.email.rawValue, "EMAIL_MFA":
            return try await answerMFA(request, client: client)
        case Challenge.selectMFAType:
            return try await answerSelectMFAType(request, client: client)
        case Challenge.mfaSetup:
            return try await answerMFASetup(request, client: client)
        case Challenge.newPasswordRequired:
            return try await answerNewPassword(request, client: client)
        case Challenge.deviceSRP:
            return try await answerDeviceSRP(request, client: client)
        case Challenge.devicePasswordVerifier:
            return try await answerDevicePasswordVerifier(request, client: client)
        case Challenge.selectChallenge:
            return try await answerSelectChallenge(request, client: client)
        case Challenge.smsOTP:
            return try await answerFirstFactorCode(request, client: client)
        default:
            throw CognitoError.invalidParameter("Unsupported ChallengeName \(request.challengeName)")
        }
    }

    private func answerPasswordVerifier(
        _ responses: [String: String], client: AppClient
    ) async throws
        -> SignInStep
    {
        let username = try Self.parameter(responses, "USERNAME")
        let secretBlock = try Self.parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
        let signature = try Self.parameter(responses, "PASSWORD_CLAIM_SIGNATURE")
        let timestamp = try Self.parameter(responses, "TIMESTAMP")
        try pool.requireSecretHash(responses["SECRET_HASH"], client: client, usernames: [username])
        guard CognitoTimestamp.date(from: timestamp) != nil else {
            throw CognitoError.invalidParameter("TIMESTAMP is not in the format EEE MMM d HH:mm:ss UTC yyyy")
        }

        let user = try await pool.user(named: username)
        let userIdForSRP = user?.userIdForSRP ?? UsernameProfile.map(username)
        // The block is bound to the user (associated data), the session (its id) and the time it was issued.
        guard let contents = pool.sealer.open(secretBlock, userIdForSRP: userIdForSRP),
            abs(pool.now().timeIntervalSince(contents.issuedAt)) <= UserPool.challengeLifetime
        else { throw CognitoError.invalidSession }
        // The claim and the attempt's count are one transaction.
        let subject = UserPool.passwordSubject(username)
        let sub = user?.sub
        let session = try await pool.claimSession(
            Base64URL.encode(contents.sessionId), challenge: Challenge.passwordVerifier, clientId: client.clientId,
            counting: .password, locked: .passwordAttemptsExceeded
        ) { claimed in claimed.userSub == sub ? subject : nil }
        guard session.userSub == user?.sub, let clientPublicHex = session.state.clientPublicValue else {
            throw CognitoError.invalidSession
        }

        let verifier = try user?.password ?? decoyVerifier(for: username)
        let server =
            try session.state.serverPublicValue.flatMap(SRPHex.decode).map {
                SRPServerSession(verifier: verifier, privateValue: contents.serverPrivateValue, publicValue: $0)
            } ?? SRPServerSession(verifier: verifier, privateValue: contents.serverPrivateValue)
        let proven = server.verify(
            clientPublicValueHex: clientPublicHex, signature: signature, poolName: pool.configuration.poolName,
            userIdForSRP: userIdForSRP, secretBlock: secretBlock, timestamp: timestamp)
        guard proven, let user else {
            if let user {
                try await AuthEventLog(pool: pool).signIn(
                    user, passed: false, checked: [.password: false], clientId: client.clientId)
            }
            throw CognitoError.incorrectCredentials
        }
        return try await continueAfterPassword(
            user, client: client, deviceKey: Self.deviceKey(responses) ?? session.state.deviceKey,
            passed: LockoutCounter(subject, .password))
    }

    /// After a correct password: account state, then a new password if one is due, then the device's own proof
    /// (when the client named a device of the user's), then the second factor.
    ///
    /// `passed`: the password's counter, cleared with whatever the sign-in writes next (the next challenge's session,
    /// or the sign-in itself), or on its own when the sign-in stops here.
    private func continueAfterPassword(
        _ user: PoolUser, client: AppClient, deviceKey: String? = nil, passed: LockoutCounter
    ) async throws -> SignInStep {
        do {
            return try await stepAfterPassword(user, client: client, deviceKey: deviceKey, clearing: [passed])
        } catch {
            try await pool.store.attemptSucceeded(subject: passed.subject, kind: passed.kind)
            throw error
        }
    }

    private func stepAfterPassword(
        _ user: PoolUser, client: AppClient, deviceKey: String?, clearing: [LockoutCounter]
    ) async throws -> SignInStep {
        guard user.enabled else { throw CognitoError.userDisabled }
        switch user.status {
        case .unconfirmed:
            throw CognitoError.userNotConfirmed()
        case .resetRequired:
            throw CognitoError.passwordResetRequired
        case .externalProvider:
            // A federated user has no password of the pool's: they sign in through their provider only.
            throw CognitoError.incorrectCredentials
        case .forceChangePassword:
            let validity = TimeInterval(pool.configuration.passwordPolicy.temporaryPasswordValidityDays) * 86400
            guard pool.now().timeIntervalSince(user.passwordSetAt) < validity else {
                throw CognitoError.temporaryPasswordExpired
            }
            let session = try await pool.openSession(
                challenge: Challenge.newPasswordRequired, client: client, username: user.username, userSub: user.sub,
                clearing: clearing)
            var attributes: [String: String] = [:]
            for (name, value) in user.attributeList where name != "sub" && !name.hasSuffix("_verified") {
                attributes[name] = value
            }
            return .challenge(
                AuthResponse(
                    challengeName: Challenge.newPasswordRequired, session: session,
                    challengeParameters: [
                        "USER_ID_FOR_SRP": user.userIdForSRP, "requiredAttributes": "[]",
                        "userAttributes": Self.jsonText(attributes),
                    ]))
        case .confirmed:
            if let challenge = try await deviceChallenge(
                for: user, deviceKey: deviceKey, client: client, clearing: clearing)
            {
                return challenge
            }
            return try await secondFactor(for: user, client: client, clearing: clearing)
        }
    }

    /// The second-factor step the pool's MFA mode and the user's settings call for, or tokens. `provenDevice`, a
    /// device that proved itself already, is carried through to the tokens. `clearing`: counters to clear with what
    /// the step writes (the next session, or the sign-in).
    func secondFactor(
        for user: PoolUser, client: AppClient, provenDevice: String? = nil, clearing: [LockoutCounter] = []
    ) async throws -> SignInStep {
        let configuration = pool.configuration
        let pending = PendingSignInWrites(clearedCounters: clearing)
        let done: SignInStep =
            provenDevice.map { .authenticatedOnDevice(user, deviceKey: $0, pending: pending) }
            ?? .authenticated(user, pending: pending)
        guard configuration.mfaConfiguration != .off else { return done }
        let factors = user.mfa.enabledFactors.filter { configuration.enabledMFAs.contains($0.rawValue) }
        if factors.isEmpty {
            guard configuration.mfaConfiguration == .on,
                configuration.enabledMFAs.contains(MFAFactor.softwareToken.rawValue)
            else { return done }
            let session = try await pool.openSession(
                challenge: Challenge.mfaSetup, client: client, username: user.username, userSub: user.sub,
                clearing: clearing)
            return .challenge(
                AuthResponse(
                    challengeName: Challenge.mfaSetup, session: session,
                    challengeParameters: [
                        "MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]", "USER_ID_FOR_SRP": user.userIdForSRP,
                    ]))
        }
        if let preferred = user.mfa.preferred, factors.contains(preferred) {
            return .challenge(
                try await challenge(
                    preferred, for: user, client: client, provenDevice: provenDevice, clearing: clearing))
        }
        if factors.count == 1 {
            return .challenge(
                try await challenge(
                    factors[0], for: user, client: client, provenDevice: provenDevice, clearing: clearing))
        }
        let choices = factors.map(\.rawValue)
        let session = try await pool.openSession(
            challenge: Challenge.selectMFAType, client: client, username: user.username, userSub: user.sub,
            state: ChallengeState(choices: choices, provenDeviceKey: provenDevice), clearing: clearing)
        return .challenge(
            AuthResponse(
                challengeName: Challenge.selectMFAType, session: session,
                challengeParameters: ["MFAS_CAN_CHOOSE": Self.jsonText(choices), "USER_ID_FOR_SRP": user.userIdForSRP]))
    }

    /// Asks for one factor's code; SMS and email codes are "sent" to the mailbox first.
    private func challenge(
        _ factor: MFAFactor, for user: PoolUser, client: AppClient, provenDevice: String? = nil,
        clearing: [LockoutCounter] = []
    ) async throws -> AuthResponse {
        var parameters = ["USER_ID_FOR_SRP": user.userIdForSRP]
        var state = ChallengeState(provenDeviceKey: provenDevice)
        let session = SecureRandom.opaqueToken()
        switch factor {
        case .softwareToken:
            parameters["FRIENDLY_DEVICE_NAME"] = "TOTP device"
        case .sms, .email:
            let code = OneTimeCode.generate()
            let medium: CodeDelivery.Medium = factor == .sms ? .sms : .email
            let details = try await pool.delivery.send(
                code: code, to: user, medium: medium, purpose: factor.rawValue,
                text: "Your authentication code is \(code)")
            state.codeHash = OneTimeCode.hash(code, context: UserPool.sessionHash(session))
            parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = details.deliveryMedium
            parameters["CODE_DELIVERY_DESTINATION"] = details.destination
        }
        try await pool.openSession(
            id: session, challenge: factor.rawValue, client: client, username: user.username, userSub: user.sub,
            state: state, clearing: clearing)
        return AuthResponse(challengeName: factor.rawValue, session: session, challengeParameters: parameters)
    }

    private func answerMFA(_ request: RespondToAuthChallengeRequest, client: AppClient) async throws -> SignInStep {
        guard let factor = MFAFactor(challengeName: request.challengeName) else {
            throw CognitoError.invalidParameter("Unsupported ChallengeName \(request.challengeName)")
        }
        let codeName =
            switch factor {
            case .softwareToken: "SOFTWARE_TOKEN_MFA_CODE"
            case .sms: "SMS_MFA_CODE"
            case .email: "EMAIL_OTP_CODE"
            }
        let hasCode = request.challengeResponses[codeName].map { !$0.isEmpty } ?? false
        // The claim and the attempt's count are one transaction: the user's MFA counter, or for a decoy (a one-time
        // code as the first factor, USER_AUTH, for a name that is no user) the name's.
        let session = try await pool.claimSession(
            request.session, challenge: factor.rawValue, clientId: client.clientId, counting: .mfa,
            locked: .mfaAttemptsExceeded
        ) { claimed in
            claimed.state.decoy == true
                ? UserPool.codeSubject(user: nil, typed: claimed.username) : hasCode ? claimed.userSub : nil
        }
        // A decoy: wrong, like any code.
        if session.state.decoy == true {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.mfaCodeMismatch
        }
        let user = try await sessionUser(session, responses: request.challengeResponses, client: client)
        guard let code = request.challengeResponses[codeName], !code.isEmpty else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("Missing required parameter \(codeName)")
        }
        // The step's use and the counter's reset are written with the sign-in's event and refresh token.
        var pending = PendingSignInWrites(
            clearedCounters: [LockoutCounter(user.sub, .mfa)], claimedSession: session.idHash)
        do {
            switch factor {
            case .softwareToken:
                guard let secret = user.mfa.totpSecret, user.mfa.totpVerified,
                    let step = TOTP.matchingStep(code: code, secret: secret, at: pool.now())
                else { throw CognitoError.mfaCodeMismatch }
                pending.totpStep = step
            case .sms, .email:
                guard let expected = session.state.codeHash,
                    OneTimeCode.matches(code, hash: expected, context: session.idHash)
                else { throw CognitoError.mfaCodeMismatch }
            }
        } catch {
            try await pool.store.releaseSession(idHash: session.idHash)
            if let refusal = error as? CognitoError, refusal == .mfaCodeMismatch {
                try await AuthEventLog(pool: pool).signIn(
                    user, passed: false, checked: [.password: true, .mfa: false], clientId: client.clientId)
            }
            throw error
        }
        return session.state.provenDeviceKey.map {
            .authenticatedOnDevice(user, deviceKey: $0, pending: pending)
        } ?? .authenticated(user, pending: pending)
    }

    private func answerSelectMFAType(
        _ request: RespondToAuthChallengeRequest, client: AppClient
    ) async throws
        -> SignInStep
    {
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.selectMFAType, clientId: client.clientId)
        let user = try await sessionUser(session, responses: request.challengeResponses, client: client)
        guard let answer = request.challengeResponses["ANSWER"], let factor = MFAFactor(challengeName: answer),
            session.state.choices?.contains(factor.rawValue) == true
        else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("ANSWER must be one of \(session.state.choices ?? [])")
        }
        return .challenge(
            try await challenge(factor, for: user, client: client, provenDevice: session.state.provenDeviceKey))
    }

    private func answerMFASetup(
        _ request: RespondToAuthChallengeRequest, client: AppClient
    ) async throws
        -> SignInStep
    {
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.mfaSetup, clientId: client.clientId)
        let user = try await sessionUser(session, responses: request.challengeResponses, client: client)
        guard session.state.totpSetupVerified == true else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter(
                "Set up a software token first: AssociateSoftwareToken and VerifySoftwareToken with this Session")
        }
        return .authenticated(user)
    }

    private func answerNewPassword(
        _ request: RespondToAuthChallengeRequest, client: AppClient
    ) async throws
        -> SignInStep
    {
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.newPasswordRequired, clientId: client.clientId)
        let responses = request.challengeResponses
        let user = try await sessionUser(session, responses: responses, client: client)
        var attributes: [AttributeWire] = []
        for (name, value) in responses where name.hasPrefix("userAttributes.") {
            attributes.append(AttributeWire(name: String(name.dropFirst("userAttributes.".count)), value: value))
        }
        let newPassword = responses["NEW_PASSWORD"] ?? ""
        let verifier: SRPVerifier
        do {
            guard !newPassword.isEmpty else {
                throw CognitoError.invalidParameter("Missing required parameter NEW_PASSWORD")
            }
            try pool.requirePolicy(newPassword)
            var check = user
            try UserPool.apply(
                attributes, to: &check, byAdministrator: false, schema: pool.configuration.customAttributes)
            verifier = try pool.verifier(for: newPassword, userIdForSRP: user.userIdForSRP)
        } catch {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw error
        }
        let now = pool.now()
        let newAttributes = attributes
        let schema = pool.configuration.customAttributes
        let updated = try await pool.store.update(sub: user.sub) { user in
            try UserPool.apply(newAttributes, to: &user, byAdministrator: false, schema: schema)
            user.password = verifier
            user.passwordSetAt = now
            user.status = .confirmed
            user.updatedAt = now
        }
        return try await secondFactor(for: updated, client: client)
    }

    /// The user a session belongs to; `USERNAME`, when given, must name them.
    func sessionUser(
        _ session: ChallengeSession, responses: [String: String], client: AppClient
    )
        async throws -> PoolUser
    {
        guard let sub = session.userSub, let user = try await pool.store.user(sub: sub), user.enabled else {
            throw CognitoError.invalidSession
        }
        if let username = responses["USERNAME"], UsernameProfile.map(username) != UsernameProfile.map(user.username),
            username != user.userIdForSRP, username != user.sub
        {
            throw CognitoError.invalidSession
        }
        try pool.requireSecretHash(
            responses["SECRET_HASH"], client: client, usernames: [responses["USERNAME"] ?? user.username, user.sub])
        return user
    }

    // MARK: Tokens

    /// What Cognito's API answers for a step: the challenge, or tokens for a user who has signed in.
    private func tokens(for step: SignInStep, client: AppClient) async throws -> AuthResponse {
        switch step {
        case .challenge(let response): return response
        case .authenticated(let user, let pending): return try await signedIn(user, client: client, pending: pending)
        case .authenticatedOnDevice(let user, let deviceKey, let pending):
            return try await signedIn(user, client: client, provenDevice: deviceKey, pending: pending)
        }
    }

    /// What Cognito's API answers for a step (shared with `AdminRespondToAuthChallenge`).
    func answerTokens(for step: SignInStep, client: AppClient) async throws -> AuthResponse {
        try await tokens(for: step, client: client)
    }

    /// The end of every successful sign-in: ID, access and refresh tokens for a new sign-in session. When the pool
    /// tracks devices, the tokens name the device: the one that proved itself, else a new key handed out as
    /// `NewDeviceMetadata` for the client to confirm.
    /// The last step's pending writes, the `Pass` event and the refresh token are one transaction, committed before
    /// the tokens are answered.
    func signedIn(
        _ user: PoolUser, client: AppClient, provenDevice: String? = nil, pending: PendingSignInWrites = .none
    ) async throws -> AuthResponse {
        let session = SignInSession.new(at: pool.now())
        let newDevice = provenDevice == nil ? newDeviceMetadata(for: user) : nil
        let issued = try await pool.tokens.issueTokens(
            for: user, clientId: client.clientId, session: session,
            deviceKey: provenDevice ?? newDevice?.deviceKey)
        let refreshToken = RefreshTokenSecret.generate()
        try await complete(
            user, pending: pending, client: client, eventId: session.eventId,
            refreshToken: refreshRecord(refreshToken, user: user, client: client, session: session))
        return AuthResponse(
            authenticationResult: AuthenticationResult(
                accessToken: issued.accessToken, idToken: issued.idToken, refreshToken: refreshToken,
                expiresIn: issued.expiresIn, newDeviceMetadata: newDevice),
            challengeParameters: [:])
    }

    /// Ends a passed sign-in without tokens (managed login hands out an authorization code next): the last step's
    /// pending writes and the `Pass` event, one transaction.
    func complete(_ step: SignInStep, client: AppClient) async throws {
        switch step {
        case .challenge: return
        case .authenticated(let user, let pending), .authenticatedOnDevice(let user, _, let pending):
            try await complete(
                user, pending: pending, client: client, eventId: UUID().uuidString.lowercased(), refreshToken: nil)
        }
    }

    /// Writes a passed sign-in; throws `totpReplayed` (the session given back, nothing written) when its TOTP step
    /// was used meanwhile.
    private func complete(
        _ user: PoolUser, pending: PendingSignInWrites, client: AppClient, eventId: String,
        refreshToken: StoredRefreshToken?
    ) async throws {
        let completion = SignInCompletion(
            sub: user.sub, totpStep: pending.totpStep, clearedCounters: pending.clearedCounters,
            event: AuthEventLog(pool: pool).event(
                user, passed: true, checked: [.password: true], clientId: client.clientId, eventId: eventId),
            refreshToken: refreshToken)
        guard try await pool.store.completeSignIn(completion) else {
            if let claimed = pending.claimedSession { try await pool.store.releaseSession(idHash: claimed) }
            throw CognitoError.totpReplayed
        }
    }

    private func refreshRecord(
        _ token: String, user: PoolUser, client: AppClient, session: SignInSession
    )
        -> StoredRefreshToken
    {
        let issuedAt = Int(pool.now().timeIntervalSince1970)
        return StoredRefreshToken(
            hash: RefreshTokenSecret.hash(token), sub: user.sub, clientId: client.clientId, session: session,
            issuedAt: issuedAt,
            expiresAt: issuedAt + pool.configuration.tokenLifetimes(for: client).refreshTokenSeconds,
            revoked: false)
    }

    /// `REFRESH_TOKEN_AUTH`: new ID and access tokens for the same sign-in; a new refresh token only with rotation.
    /// `clientSecretChecked`: GetTokensFromRefreshToken authenticated the client with its secret itself.
    func refresh(
        _ parameters: [String: String], client: AppClient, clientSecretChecked: Bool = false
    ) async throws -> AuthResponse {
        let token = try Self.parameter(parameters, "REFRESH_TOKEN")
        let hash = RefreshTokenSecret.hash(token)
        let invalid = CognitoError.notAuthorized("Invalid Refresh Token")
        guard let stored = try await pool.store.refreshToken(hash: hash), stored.clientId == client.clientId else {
            throw invalid
        }
        if stored.revoked {
            // A token that rotation replaced, presented again: a copy is in someone else's hands, or this is the
            // thief and the user already moved on. Either way the sign-in is no longer the user's alone: end it.
            // A retry within a few seconds of the rotation (an answer lost on the way) is only refused.
            if let rotatedAt = stored.rotatedAt, pool.now().timeIntervalSince(rotatedAt) > Self.rotationRetryGrace {
                try await pool.store.revokeRefreshTokenFamily(originJti: stored.session.originJti)
            }
            throw invalid
        }
        guard let user = try await pool.store.user(sub: stored.sub) else { throw invalid }
        guard Int(pool.now().timeIntervalSince1970) < stored.expiresAt else {
            throw CognitoError.notAuthorized("Refresh Token has expired")
        }
        // Cognito's refresh SECRET_HASH is keyed by the username or, for aliased pools, the sub.
        if !clientSecretChecked {
            try pool.requireSecretHash(
                parameters["SECRET_HASH"], client: client, usernames: [user.username, user.sub])
        }
        guard user.enabled else { throw CognitoError.userDisabled }
        guard user.status == .confirmed || user.status == .externalProvider else {
            throw CognitoError.userNotConfirmed()
        }

        var newRefreshToken: String?
        if pool.configuration.refreshTokenRotation {
            let replacement = RefreshTokenSecret.generate()
            guard
                try await pool.store.rotateRefreshToken(
                    oldHash: hash,
                    replacement: refreshRecord(replacement, user: user, client: client, session: stored.session),
                    at: pool.now())
            else { throw invalid }
            newRefreshToken = replacement
        }
        let issued = try await pool.tokens.issueTokens(
            for: user, clientId: client.clientId, session: stored.session,
            deviceKey: try await refreshDevice(parameters, user: user))
        return AuthResponse(
            authenticationResult: AuthenticationResult(
                accessToken: issued.accessToken, idToken: issued.idToken, refreshToken: newRefreshToken,
                expiresIn: issued.expiresIn),
            challengeParameters: [:])
    }

    /// How long after a rotation the replaced token counts as a lost-answer retry rather than a reuse.
    static let rotationRetryGrace: TimeInterval = 10

    static func jsonText(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
