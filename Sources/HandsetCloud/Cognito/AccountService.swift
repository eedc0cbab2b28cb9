import Foundation
import HandsetCloudStorage
import HandsetWire

/// Sign-up, confirmation, password recovery and the signed-in user's own account (Cognito's public operations).
///
/// With user-existence errors prevented, operations that name a user by username answer an unknown one as they
/// would answer a real one (a masked, made-up delivery, or a code mismatch).
struct AccountService: Sendable {
    let pool: UserPool

    // MARK: Sign-up

    func signUp(_ request: SignUpRequestWire) async throws -> SignUpResponseWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        let username = try UserPool.enforceUsername(request.username)
        let password = try signUpPassword(request.password)
        let now = pool.now()
        var user = PoolUser(
            sub: UUID().uuidString.lowercased(), username: username, email: nil, emailVerified: false,
            phoneNumber: nil, phoneNumberVerified: false, attributes: [:], status: .unconfirmed, enabled: true,
            userIdForSRP: username,
            password: try pool.verifier(for: password, userIdForSRP: username), passwordSetAt: now,
            groups: [], mfa: MFASettings(), createdAt: now, updatedAt: now,
            passwordless: request.password?.isEmpty ?? true)
        try UserPool.apply(
            request.userAttributes ?? [], to: &user, byAdministrator: false,
            schema: pool.configuration.customAttributes, creating: true)
        // Checked before the user exists: a sign-up that cannot be confirmed must leave nothing behind.
        guard CodeDelivery.medium(for: user) != nil else {
            throw CognitoError.invalidParameter("The user has no email or phone_number to send a code to")
        }
        do {
            try await pool.store.create(user)
        } catch IdentityRepositoryFailure.usernameExists {
            throw CognitoError.usernameExists
        }
        let details = try await sendCode(to: user, purpose: .confirmSignUp, label: "SignUp")
        return SignUpResponseWire(userConfirmed: false, userSub: user.sub, codeDeliveryDetails: details)
    }

    /// The password a sign-up sets: the one given (it must meet the policy), or, for a passwordless account (none
    /// given, or an empty one), 32 random bytes nobody knows. Cognito allows that only in a pool whose users may
    /// start a sign-in with a one-time code (`EMAIL_OTP` or `SMS_OTP` among the allowed first factors).
    func signUpPassword(_ given: String?) throws -> String {
        if let given, !given.isEmpty {
            try pool.requirePolicy(given)
            return given
        }
        let factors = pool.configuration.allowedFirstAuthFactors
        guard factors.contains("EMAIL_OTP") || factors.contains("SMS_OTP") else {
            throw CognitoError.invalidParameter(
                "A password is required: this user pool does not allow passwordless sign-in (EMAIL_OTP or SMS_OTP "
                    + "as a first factor).")
        }
        return SecureRandom.opaqueToken()
    }

    /// A wrong, expired or missing code, an unknown user and one who is confirmed already all get the same
    /// CodeMismatchException, counted under the same lockout rule, so that none of them tells who exists.
    func confirmSignUp(_ request: ConfirmCodeRequestWire) async throws -> EmptyWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        let user = try await pool.user(named: request.username)
        try await pool.beginAttempt(
            UserPool.codeSubject(user: user, typed: request.username), .code, locked: .codeAttemptsExceeded)
        guard let user, user.status == .unconfirmed else { throw CognitoError.verificationCodeMismatch }
        try await check(code: request.confirmationCode, for: user, purpose: .confirmSignUp, expiredIsMismatch: true)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.status = .confirmed
            // The code went to the email when there is one, else to the phone: that one is now proven.
            if user.email != nil {
                user.emailVerified = true
            } else if user.phoneNumber != nil {
                user.phoneNumberVerified = true
            }
            user.updatedAt = now
        }
        return EmptyWire()
    }

    /// An unknown user and a confirmed one get a made-up delivery, like an unconfirmed user's real one.
    func resendConfirmationCode(_ request: UsernameRequestWire) async throws -> CodeDeliveryResponseWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let user = try await pool.user(named: request.username), user.status == .unconfirmed,
            CodeDelivery.medium(for: user) != nil
        else {
            return CodeDeliveryResponseWire(codeDeliveryDetails: decoyDelivery(request.username))
        }
        let details = try await sendCode(to: user, purpose: .confirmSignUp, label: "ResendConfirmationCode")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    // MARK: Forgotten passwords

    /// The code goes only to a verified address (email first, then phone), as Cognito does: an address the user
    /// typed but never confirmed (or that a stolen session typed) gets nothing. An unknown or disabled user, and
    /// one without a verified address, get a made-up delivery.
    func forgotPassword(_ request: UsernameRequestWire) async throws -> CodeDeliveryResponseWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let user = try await pool.user(named: request.username), user.enabled,
            CodeDelivery.verifiedMedium(for: user) != nil
        else {
            return CodeDeliveryResponseWire(codeDeliveryDetails: decoyDelivery(request.username))
        }
        let details = try await sendCode(to: user, purpose: .forgotPassword, label: "ForgotPassword")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    /// Checks in the same order for every name (password policy, lockout, code), so that the answers of an
    /// unknown user are those of a known one with a wrong code. A new password ends every session of the user:
    /// their refresh tokens are revoked (ASVS 7.4.3).
    func confirmForgotPassword(_ request: ConfirmCodeRequestWire) async throws -> EmptyWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let password = request.password else {
            throw CognitoError.invalidParameter("Missing required parameter Password")
        }
        try pool.requirePolicy(password)
        let user = try await pool.user(named: request.username)
        try await pool.beginAttempt(
            UserPool.codeSubject(user: user, typed: request.username), .code, locked: .codeAttemptsExceeded)
        guard let user, user.enabled else { throw CognitoError.verificationCodeMismatch }
        try await check(code: request.confirmationCode, for: user, purpose: .forgotPassword, expiredIsMismatch: true)
        let verifier = try pool.verifier(for: password, userIdForSRP: user.userIdForSRP)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.password = verifier
            user.passwordSetAt = now
            user.passwordless = false
            if user.status == .resetRequired || user.status == .forceChangePassword { user.status = .confirmed }
            user.updatedAt = now
        }
        try await pool.store.revokeAllRefreshTokens(sub: user.sub)
        try await pool.store.attemptSucceeded(subject: UserPool.passwordSubject(user.username), kind: .password)
        return EmptyWire()
    }

    // MARK: The signed-in user

    func changePassword(_ request: ChangePasswordRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        // A user who signs in with codes only has no password to give: Cognito lets them omit PreviousPassword
        // (the access token is the proof). Everyone else proves the current one, counted toward lockout.
        if !user.passwordless {
            let subject = UserPool.passwordSubject(user.username)
            try await pool.beginAttempt(subject, .password, locked: .passwordAttemptsExceeded)
            guard
                try user.password.matches(
                    password: request.previousPassword ?? "", poolName: pool.configuration.poolName,
                    userIdForSRP: user.userIdForSRP)
            else { throw CognitoError.incorrectCredentials }
            try await pool.store.attemptSucceeded(subject: subject, kind: .password)
        }
        try pool.requirePolicy(request.proposedPassword)
        let verifier = try pool.verifier(for: request.proposedPassword, userIdForSRP: user.userIdForSRP)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.password = verifier
            user.passwordSetAt = now
            user.passwordless = false
            user.updatedAt = now
        }
        return EmptyWire()
    }

    func getUser(_ request: AccessTokenRequestWire) async throws -> GetUserResponseWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        return Self.getUserResponse(user)
    }

    static func getUserResponse(_ user: PoolUser) -> GetUserResponseWire {
        let factors = user.mfa.enabledFactors
        return GetUserResponseWire(
            username: user.username, userAttributes: UserPool.attributesWire(user),
            mfaOptions: user.mfa.smsEnabled
                ? [MFAOptionWire(deliveryMedium: "SMS", attributeName: "phone_number")] : nil,
            preferredMfaSetting: user.mfa.preferred.flatMap { factors.contains($0) ? $0.rawValue : nil },
            userMFASettingList: factors.isEmpty ? nil : factors.map(\.rawValue))
    }

    /// A new email or phone number waits, unverified, for its own code; a verified one stays in use (for sign-in
    /// codes and password resets) until then, as with Cognito's "keep original attribute value active".
    func updateUserAttributes(
        _ request: UpdateUserAttributesRequestWire
    ) async throws
        -> UpdateUserAttributesResponseWire
    {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        var changed = user
        let schema = pool.configuration.customAttributes
        try UserPool.apply(request.userAttributes, to: &changed, byAdministrator: false, schema: schema)
        let now = pool.now()
        let updated = try await pool.store.update(sub: user.sub) { user in
            try UserPool.apply(request.userAttributes, to: &user, byAdministrator: false, schema: schema)
            user.updatedAt = now
        }
        var deliveries: [CodeDeliveryDetailsWire] = []
        if let address = Self.addressToVerify(updated.pendingEmail, updated.email, updated.emailVerified),
            address != Self.addressToVerify(user.pendingEmail, user.email, user.emailVerified)
        {
            deliveries.append(try await sendCode(to: updated, purpose: .verifyEmail, label: "VerifyUserAttribute"))
        }
        if let number = Self.addressToVerify(
            updated.pendingPhoneNumber, updated.phoneNumber, updated.phoneNumberVerified),
            number != Self.addressToVerify(user.pendingPhoneNumber, user.phoneNumber, user.phoneNumberVerified)
        {
            deliveries.append(
                try await sendCode(to: updated, purpose: .verifyPhoneNumber, label: "VerifyUserAttribute"))
        }
        return UpdateUserAttributesResponseWire(codeDeliveryDetailsList: deliveries)
    }

    /// The address a verification code is for: the pending one, else the current one while unverified.
    private static func addressToVerify(_ pending: String?, _ current: String?, _ verified: Bool) -> String? {
        pending ?? (verified ? nil : current)
    }

    func getUserAttributeVerificationCode(
        _ request: AttributeVerificationCodeRequestWire
    ) async throws
        -> CodeDeliveryResponseWire
    {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        let purpose: CodePurpose
        switch request.attributeName {
        case "email" where user.email != nil || user.pendingEmail != nil: purpose = .verifyEmail
        case "phone_number" where user.phoneNumber != nil || user.pendingPhoneNumber != nil:
            purpose = .verifyPhoneNumber
        default: throw CognitoError.invalidParameter("Cannot verify attribute \(Self.shown(request.attributeName))")
        }
        let details = try await sendCode(to: user, purpose: purpose, label: "VerifyUserAttribute")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    /// A correct code verifies the address it was sent to: a pending one replaces the old address.
    func verifyUserAttribute(_ request: VerifyUserAttributeRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        let purpose: CodePurpose =
            switch request.attributeName {
            case "email": .verifyEmail
            case "phone_number": .verifyPhoneNumber
            default: throw CognitoError.invalidParameter("Cannot verify attribute \(Self.shown(request.attributeName))")
            }
        try await pool.beginAttempt(user.sub, .code, locked: .codeAttemptsExceeded)
        try await check(code: request.code, for: user, purpose: purpose, expiredIsMismatch: false)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            if purpose == .verifyEmail {
                if let pending = user.pendingEmail { user.email = pending }
                user.pendingEmail = nil
                user.emailVerified = user.email != nil
            } else {
                if let pending = user.pendingPhoneNumber { user.phoneNumber = pending }
                user.pendingPhoneNumber = nil
                user.phoneNumberVerified = user.phoneNumber != nil
            }
            user.updatedAt = now
        }
        return EmptyWire()
    }

    /// An attribute name as it may appear in a message: short, printable.
    static func shown(_ name: String) -> String {
        let printable = name.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(64)
        return String(String.UnicodeScalarView(printable))
    }

    /// Revokes every refresh token of the user, and with them the access tokens for Cognito's own operations.
    /// ID and access tokens already handed to the REST API stay valid until they expire (API Gateway does not
    /// check revocation either).
    func globalSignOut(_ request: AccessTokenRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        try await pool.store.revokeAllRefreshTokens(sub: user.sub)
        return EmptyWire()
    }

    /// Revokes one refresh token (and the access tokens of its sign-in). An unknown token is not an error.
    func revokeToken(_ request: RevokeTokenRequestWire) async throws -> EmptyWire {
        let client = try pool.client(request.clientId)
        if let secret = client.secret, request.clientSecret != secret {
            throw CognitoError.notAuthorized("Client is not authorized to revoke this token")
        }
        let hash = RefreshTokenSecret.hash(request.token)
        if let stored = try await pool.store.refreshToken(hash: hash) {
            guard stored.clientId == client.clientId else {
                throw CognitoError(type: "UnauthorizedException", message: "Token was not issued to this client")
            }
            try await pool.store.revokeRefreshToken(hash: hash)
        } else if request.token.split(separator: ".").count == 3 {
            throw CognitoError(
                type: "UnsupportedTokenTypeException", message: "RevokeToken takes a refresh token")
        }
        return EmptyWire()
    }

    func deleteUser(_ request: AccessTokenRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        try await pool.store.delete(sub: user.sub)
        return EmptyWire()
    }

    // MARK: Codes

    /// Sends a fresh code and remembers its hash: a sign-up code to the email (else the phone) the user gave, a
    /// reset code to a verified address only, a verification code to the address being verified.
    func sendCode(to user: PoolUser, purpose: CodePurpose, label: String) async throws -> CodeDeliveryDetailsWire {
        let medium: CodeDelivery.Medium
        var destination: String?
        switch purpose {
        case .verifyEmail:
            medium = .email
            destination = user.pendingEmail ?? user.email
        case .verifyPhoneNumber:
            medium = .sms
            destination = user.pendingPhoneNumber ?? user.phoneNumber
        case .confirmSignUp:
            guard let preferred = CodeDelivery.medium(for: user) else {
                throw CognitoError.invalidParameter("The user has no email or phone_number to send a code to")
            }
            medium = preferred
        case .forgotPassword:
            guard let verified = CodeDelivery.verifiedMedium(for: user) else {
                throw CognitoError.invalidParameter(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number")
            }
            medium = verified
        }
        let code = OneTimeCode.generate()
        let lifetime = purpose == .forgotPassword ? UserPool.resetCodeLifetime : UserPool.confirmationCodeLifetime
        try await pool.store.storeCode(
            sub: user.sub, purpose: purpose, codeHash: OneTimeCode.hash(code, context: user.sub),
            expiresAt: pool.now().addingTimeInterval(lifetime))
        let text =
            purpose == .forgotPassword
            ? "Your password reset code is \(code)" : "Your verification code is \(code)"
        return try await pool.delivery.send(
            code: code, to: user, medium: medium, purpose: label, text: text, destination: destination)
    }

    /// Checks a code, the attempt already counted by the caller (`beginAttempt`). Before sign-in an expired or
    /// missing code answers like a wrong one (`expiredIsMismatch`), since only a known user can have one.
    private func check(code: String, for user: PoolUser, purpose: CodePurpose, expiredIsMismatch: Bool) async throws {
        let codeHash = OneTimeCode.hash(code, context: user.sub)
        switch try await pool.store.consumeCode(sub: user.sub, purpose: purpose, codeHash: codeHash, now: pool.now()) {
        case .accepted:
            try await pool.store.attemptSucceeded(subject: user.sub, kind: .code)
        case .mismatch:
            throw CognitoError.verificationCodeMismatch
        case .expired:
            throw expiredIsMismatch ? CognitoError.verificationCodeMismatch : CognitoError.expiredCode
        }
    }

    /// What a real user with an email would be told, for a name that gets no code: a masked address made up
    /// from the name under the server's secret, so it is the same on every call and shaped like a real one.
    private func decoyDelivery(_ username: String) -> CodeDeliveryDetailsWire {
        let letters = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)
        let mac = pool.sealer.keyedDigest(of: "decoy-delivery:" + UserPool.passwordSubject(username))
        let local = letters[Int(mac[0]) % letters.count]
        let domain = letters[Int(mac[1]) % letters.count]
        return CodeDelivery.details(destination: "\(local)@\(domain)", medium: .email)
    }
}
