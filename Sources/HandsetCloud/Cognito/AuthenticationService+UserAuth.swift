import Foundation
import HandsetCloudStorage
import HandsetWire

/// `USER_AUTH`, the choice-based sign-in: the first factor is a password (PASSWORD, or its SRP proof PASSWORD_SRP)
/// or a one-time code sent by email (EMAIL_OTP) or text message (SMS_OTP), as the pool's
/// `allowedFirstAuthFactors` allow. With `PREFERRED_CHALLENGE` the sign-in starts with that factor; without, the
/// answer is SELECT_CHALLENGE with `AvailableChallenges`, answered with `ANSWER` (and the password or SRP_A it
/// needs). A code as the first factor signs in without a second factor. A name that is no user gets the same
/// steps (no message is sent) and fails at the code, like a wrong code.
extension AuthenticationService {
    /// The first factors the pool allows and `user` can use, in a fixed order: a code needs a verified address,
    /// and a password one the user has (a passwordless user's is a random one nobody knows, so Cognito leaves
    /// PASSWORD and PASSWORD_SRP out for them). An unknown name is offered everything, like a real user.
    func availableChallenges(for user: PoolUser?) -> [String] {
        let allowed = pool.configuration.allowedFirstAuthFactors
        var challenges: [String] = []
        if allowed.contains("PASSWORD"), user?.passwordless != true { challenges += ["PASSWORD", "PASSWORD_SRP"] }
        if allowed.contains("EMAIL_OTP"), user.map({ $0.email != nil && $0.emailVerified }) ?? true {
            challenges.append(MFAFactor.email.rawValue)
        }
        if allowed.contains("SMS_OTP"), user.map({ $0.phoneNumber != nil && $0.phoneNumberVerified }) ?? true {
            challenges.append(Challenge.smsOTP)
        }
        return challenges
    }

    func startUserAuth(_ parameters: [String: String], client: AppClient) async throws -> SignInStep {
        guard let username = parameters["USERNAME"], !username.isEmpty else {
            throw CognitoError.invalidParameter("Missing required parameter USERNAME")
        }
        try pool.requireSecretHash(parameters["SECRET_HASH"], client: client, usernames: [username])
        let user = try await pool.user(named: username)
        let available = availableChallenges(for: user)
        guard !available.isEmpty else {
            throw CognitoError.invalidParameter("USER_AUTH has no first factor this user can use in this pool")
        }
        if let preferred = parameters["PREFERRED_CHALLENGE"], !preferred.isEmpty {
            guard Self.firstFactors.contains(preferred) else {
                throw CognitoError.invalidParameter(
                    "PREFERRED_CHALLENGE must be one of \(Self.firstFactors.joined(separator: ", "))")
            }
            if available.contains(preferred) {
                return try await firstFactor(preferred, parameters, user: user, username: username, client: client)
            }
        }
        let session = try await pool.openSession(
            challenge: Challenge.selectChallenge, client: client, username: username, userSub: user?.sub,
            state: ChallengeState(choices: available, decoy: user == nil ? true : nil))
        return .challenge(
            AuthResponse(
                challengeName: Challenge.selectChallenge, session: session,
                challengeParameters: ["USERNAME": user?.username ?? username], availableChallenges: available))
    }

    static let firstFactors = ["PASSWORD", "PASSWORD_SRP", MFAFactor.email.rawValue, Challenge.smsOTP]

    /// SELECT_CHALLENGE's answer: the chosen factor, with what it needs (PASSWORD, or SRP_A).
    func answerSelectChallenge(_ request: RespondToAuthChallengeRequest, client: AppClient) async throws -> SignInStep {
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.selectChallenge, clientId: client.clientId)
        let responses = request.challengeResponses
        guard let choice = responses["ANSWER"], session.state.choices?.contains(choice) == true else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("ANSWER must be one of \(session.state.choices ?? [])")
        }
        let user = session.userSub == nil ? nil : try await sessionUser(session, responses: responses, client: client)
        var parameters = responses
        parameters["USERNAME"] = user?.username ?? session.username
        if user == nil {
            try pool.requireSecretHash(responses["SECRET_HASH"], client: client, usernames: [session.username])
        }
        return try await firstFactor(choice, parameters, user: user, username: session.username, client: client)
    }

    private func firstFactor(
        _ choice: String, _ parameters: [String: String], user: PoolUser?, username: String, client: AppClient
    ) async throws -> SignInStep {
        switch choice {
        case "PASSWORD":
            return try await signInWithPassword(parameters, client: client)
        case "PASSWORD_SRP":
            return .challenge(try await startSRP(parameters, client: client))
        default:
            return try await sendSignInCode(
                challenge: choice, user: user, username: username, client: client)
        }
    }

    /// EMAIL_OTP or SMS_OTP as the first factor: a code to the user's verified address, kept as a hash in the
    /// session.
    private func sendSignInCode(
        challenge: String, user: PoolUser?, username: String, client: AppClient
    ) async throws -> SignInStep {
        if let user {
            guard user.enabled else { throw CognitoError.userDisabled }
            guard user.status == .confirmed else { throw CognitoError.userNotConfirmed() }
        }
        let session = SecureRandom.opaqueToken()
        var state = ChallengeState(decoy: user == nil ? true : nil)
        var parameters: [String: String] = ["USERNAME": user?.username ?? username]
        let medium: CodeDelivery.Medium = challenge == Challenge.smsOTP ? .sms : .email
        if let user {
            let code = OneTimeCode.generate()
            let details = try await pool.delivery.send(
                code: code, to: user, medium: medium, purpose: challenge, text: "Your sign-in code is \(code)")
            state.codeHash = OneTimeCode.hash(code, context: UserPool.sessionHash(session))
            parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = details.deliveryMedium
            parameters["CODE_DELIVERY_DESTINATION"] = details.destination
        } else {
            parameters["CODE_DELIVERY_DELIVERY_MEDIUM"] = medium == .sms ? "SMS" : "EMAIL"
        }
        try await pool.openSession(
            id: session, challenge: challenge, client: client, username: username, userSub: user?.sub, state: state)
        return .challenge(AuthResponse(challengeName: challenge, session: session, challengeParameters: parameters))
    }

    /// SMS_OTP's answer (EMAIL_OTP's is the second factor's: the same session and code rules).
    func answerFirstFactorCode(_ request: RespondToAuthChallengeRequest, client: AppClient) async throws -> SignInStep {
        let hasCode = request.challengeResponses["SMS_OTP_CODE"].map { !$0.isEmpty } ?? false
        // The claim and the code's attempt are one transaction: the user's MFA counter, or for a name that is no
        // user (a decoy session) the name's.
        let session = try await pool.claimSession(
            request.session, challenge: Challenge.smsOTP, clientId: client.clientId, counting: .mfa,
            locked: .mfaAttemptsExceeded
        ) { claimed in
            guard hasCode else { return nil }
            return claimed.state.decoy == true
                ? UserPool.codeSubject(user: nil, typed: claimed.username) : claimed.userSub
        }
        guard let code = request.challengeResponses["SMS_OTP_CODE"], !code.isEmpty else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("Missing required parameter SMS_OTP_CODE")
        }
        if session.state.decoy == true {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.mfaCodeMismatch
        }
        let user = try await sessionUser(session, responses: request.challengeResponses, client: client)
        do {
            guard let expected = session.state.codeHash,
                OneTimeCode.matches(code, hash: expected, context: session.idHash)
            else { throw CognitoError.mfaCodeMismatch }
        } catch {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw error
        }
        // The counter's reset is written with the sign-in's event and refresh token.
        return .authenticated(user, pending: PendingSignInWrites(clearedCounters: [LockoutCounter(user.sub, .mfa)]))
    }
}
