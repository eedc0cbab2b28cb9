import Foundation
import HandsetCloudStorage

/// TOTP setup and MFA preferences: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference.
///
/// The two TOTP operations take either an access token (a signed-in user adding an authenticator) or the Session
/// of an MFA_SETUP challenge (a pool that requires MFA, during sign-in); each step of the latter hands out a new
/// Session, as Cognito does.
struct MFAService: Sendable {
    let pool: UserPool

    /// 20 random bytes: RFC 4226's recommended key length for SHA-1; base32 gives 32 characters.
    static func newSecret() -> [UInt8] { SecureRandom.bytes(20) }

    func associateSoftwareToken(
        _ request: AssociateSoftwareTokenRequestWire
    ) async throws
        -> AssociateSoftwareTokenResponseWire
    {
        let secret = Self.newSecret()
        if let accessToken = request.accessToken {
            let (user, _) = try await pool.user(accessToken: accessToken)
            let now = pool.now()
            try await pool.store.update(sub: user.sub) { user in
                user.mfa.pendingTOTPSecret = secret
                user.updatedAt = now
            }
            return AssociateSoftwareTokenResponseWire(secretCode: Base32.encode(secret), session: nil)
        }
        guard let sessionString = request.session else {
            throw CognitoError.invalidParameter("AccessToken or Session is required")
        }
        let session = try await pool.claimSession(
            sessionString, challenge: AuthenticationService.Challenge.mfaSetup, clientId: nil)
        let next = try await pool.openSession(
            challenge: AuthenticationService.Challenge.mfaSetup, clientId: session.clientId,
            username: session.username, userSub: session.userSub,
            state: ChallengeState(pendingTOTPSecret: Base32.encode(secret)))
        return AssociateSoftwareTokenResponseWire(secretCode: Base32.encode(secret), session: next)
    }

    func verifySoftwareToken(_ request: VerifySoftwareTokenRequestWire) async throws -> VerifySoftwareTokenResponseWire
    {
        if let accessToken = request.accessToken {
            let (user, _) = try await pool.user(accessToken: accessToken)
            guard let secret = user.mfa.pendingTOTPSecret else {
                throw CognitoError.invalidParameter("Call AssociateSoftwareToken first")
            }
            try await checkCode(request.userCode, secret: secret, sub: user.sub)
            let now = pool.now()
            try await pool.store.update(sub: user.sub) { user in
                user.mfa.totpSecret = secret
                user.mfa.pendingTOTPSecret = nil
                user.mfa.totpVerified = true
                user.mfa.totpEnabled = true
                if user.mfa.preferred == nil { user.mfa.preferred = .softwareToken }
                user.updatedAt = now
            }
            return VerifySoftwareTokenResponseWire(status: "SUCCESS", session: nil)
        }
        guard let sessionString = request.session else {
            throw CognitoError.invalidParameter("AccessToken or Session is required")
        }
        let session = try await pool.claimSession(
            sessionString, challenge: AuthenticationService.Challenge.mfaSetup, clientId: nil)
        guard let sub = session.userSub, let pending = session.state.pendingTOTPSecret,
            let secret = Base32.decode(pending)
        else {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw CognitoError.invalidParameter("Call AssociateSoftwareToken with this Session first")
        }
        do {
            try await checkCode(request.userCode, secret: secret, sub: sub)
        } catch {
            try await pool.store.releaseSession(idHash: session.idHash)
            throw error
        }
        let now = pool.now()
        try await pool.store.update(sub: sub) { user in
            user.mfa.totpSecret = secret
            user.mfa.totpVerified = true
            user.mfa.totpEnabled = true
            if user.mfa.preferred == nil { user.mfa.preferred = .softwareToken }
            user.updatedAt = now
        }
        let next = try await pool.openSession(
            challenge: AuthenticationService.Challenge.mfaSetup, clientId: session.clientId,
            username: session.username, userSub: sub, state: ChallengeState(totpSetupVerified: true))
        return VerifySoftwareTokenResponseWire(status: "SUCCESS", session: next)
    }

    /// A TOTP code under the MFA lockout rule; an accepted step is remembered so it cannot be replayed.
    private func checkCode(_ code: String, secret: [UInt8], sub: String) async throws {
        try await pool.beginAttempt(sub, .mfa, locked: .mfaAttemptsExceeded)
        guard let step = TOTP.matchingStep(code: code, secret: secret, at: pool.now()) else {
            throw CognitoError.softwareTokenMismatch
        }
        guard try await pool.store.acceptTOTPStep(sub: sub, step: step) else { throw CognitoError.totpReplayed }
    }

    func setUserMFAPreference(_ request: SetUserMFAPreferenceRequestWire) async throws -> EmptyWire {
        guard let accessToken = request.accessToken else {
            throw CognitoError.invalidParameter("Missing required parameter AccessToken")
        }
        let (user, _) = try await pool.user(accessToken: accessToken)
        try await apply(request, to: user)
        return EmptyWire()
    }

    /// Applies MFA settings (also AdminSetUserMFAPreference's).
    func apply(_ request: SetUserMFAPreferenceRequestWire, to user: PoolUser) async throws {
        let enabled = pool.configuration.enabledMFAs
        let settings: [(MFAFactor, MFASettingWire?)] = [
            (.sms, request.smsMfaSettings), (.softwareToken, request.softwareTokenMfaSettings),
            (.email, request.emailMfaSettings),
        ]
        for (factor, setting) in settings where setting?.enabled == true || setting?.preferredMfa == true {
            guard enabled.contains(factor.rawValue) else {
                throw CognitoError.invalidParameter("\(factor.rawValue) is not enabled for this user pool")
            }
            switch factor {
            case .softwareToken where !user.mfa.totpVerified:
                throw CognitoError.invalidParameter("User has not verified software token mfa")
            case .sms where user.phoneNumber == nil:
                throw CognitoError.invalidParameter("User does not have a phone number")
            case .email where user.email == nil:
                throw CognitoError.invalidParameter("User does not have an email address")
            default: break
            }
        }
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            for (factor, setting) in settings {
                guard let setting else { continue }
                let on = setting.enabled ?? (setting.preferredMfa == true)
                switch factor {
                case .sms: user.mfa.smsEnabled = on
                case .softwareToken: user.mfa.totpEnabled = on
                case .email: user.mfa.emailEnabled = on
                }
                if setting.preferredMfa == true && on {
                    user.mfa.preferred = factor
                } else if user.mfa.preferred == factor && (!on || setting.preferredMfa == false) {
                    user.mfa.preferred = nil
                }
            }
            user.updatedAt = now
        }
    }
}
