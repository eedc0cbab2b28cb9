import Foundation
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
        guard Self.isValidUsername(request.username) else {
            throw CognitoError.invalidParameter("Username is not valid")
        }
        try pool.requirePolicy(request.password)
        let now = pool.now()
        var user = PoolUser(
            sub: UUID().uuidString.lowercased(), username: request.username, email: nil, emailVerified: false,
            phoneNumber: nil, phoneNumberVerified: false, attributes: [:], status: .unconfirmed, enabled: true,
            userIdForSRP: request.username,
            password: try pool.verifier(for: request.password, userIdForSRP: request.username), passwordSetAt: now,
            groups: [], mfa: MFASettings(), createdAt: now, updatedAt: now)
        try UserPool.apply(request.userAttributes ?? [], to: &user, byAdministrator: false)
        do {
            try await pool.store.create(user)
        } catch IdentityStore.Failure.usernameExists {
            throw CognitoError.usernameExists
        }
        let details = try await sendCode(to: user, purpose: .confirmSignUp, label: "SignUp")
        return SignUpResponseWire(userConfirmed: false, userSub: user.sub, codeDeliveryDetails: details)
    }

    func confirmSignUp(_ request: ConfirmCodeRequestWire) async throws -> EmptyWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let user = try await pool.store.user(named: request.username) else {
            throw CognitoError.verificationCodeMismatch
        }
        guard user.status == .unconfirmed else {
            throw CognitoError.notAuthorized("User cannot be confirmed. Current status is \(user.status.rawValue)")
        }
        try await check(code: request.confirmationCode, for: user, purpose: .confirmSignUp)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.status = .confirmed
            if user.email != nil {
                user.emailVerified = true
            } else if user.phoneNumber != nil {
                user.phoneNumberVerified = true
            }
            user.updatedAt = now
        }
        return EmptyWire()
    }

    func resendConfirmationCode(_ request: UsernameRequestWire) async throws -> CodeDeliveryResponseWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let user = try await pool.store.user(named: request.username) else {
            return CodeDeliveryResponseWire(codeDeliveryDetails: Self.decoyDelivery(request.username))
        }
        guard user.status == .unconfirmed else {
            throw CognitoError.invalidParameter("User is already confirmed.")
        }
        let details = try await sendCode(to: user, purpose: .confirmSignUp, label: "ResendConfirmationCode")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    // MARK: Forgotten passwords

    func forgotPassword(_ request: UsernameRequestWire) async throws -> CodeDeliveryResponseWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let user = try await pool.store.user(named: request.username), user.enabled else {
            return CodeDeliveryResponseWire(codeDeliveryDetails: Self.decoyDelivery(request.username))
        }
        guard CodeDelivery.medium(for: user) != nil else {
            throw CognitoError.invalidParameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number")
        }
        let details = try await sendCode(to: user, purpose: .forgotPassword, label: "ForgotPassword")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    func confirmForgotPassword(_ request: ConfirmCodeRequestWire) async throws -> EmptyWire {
        let client = try pool.client(request.clientId)
        try pool.requireSecretHash(request.secretHash, client: client, usernames: [request.username])
        guard let password = request.password else {
            throw CognitoError.invalidParameter("Missing required parameter Password")
        }
        guard let user = try await pool.store.user(named: request.username), user.enabled else {
            throw CognitoError.verificationCodeMismatch
        }
        try pool.requirePolicy(password)
        try await check(code: request.confirmationCode, for: user, purpose: .forgotPassword)
        let verifier = try pool.verifier(for: password, userIdForSRP: user.userIdForSRP)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.password = verifier
            user.passwordSetAt = now
            // The code proved the user reads this address.
            if user.status == .resetRequired || user.status == .forceChangePassword { user.status = .confirmed }
            if CodeDelivery.medium(for: user) == .email { user.emailVerified = true }
            user.updatedAt = now
        }
        try await pool.store.attemptSucceeded(subject: UserPool.passwordSubject(user.username), kind: .password)
        return EmptyWire()
    }

    // MARK: The signed-in user

    func changePassword(_ request: ChangePasswordRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        let subject = UserPool.passwordSubject(user.username)
        try await pool.beginAttempt(subject, .password, locked: .passwordAttemptsExceeded)
        guard
            try user.password.matches(
                password: request.previousPassword ?? "", poolName: pool.configuration.poolName,
                userIdForSRP: user.userIdForSRP)
        else { throw CognitoError.incorrectCredentials }
        try await pool.store.attemptSucceeded(subject: subject, kind: .password)
        try pool.requirePolicy(request.proposedPassword)
        let verifier = try pool.verifier(for: request.proposedPassword, userIdForSRP: user.userIdForSRP)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.password = verifier
            user.passwordSetAt = now
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

    func updateUserAttributes(
        _ request: UpdateUserAttributesRequestWire
    ) async throws
        -> UpdateUserAttributesResponseWire
    {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        var changed = user
        try UserPool.apply(request.userAttributes, to: &changed, byAdministrator: false)
        let now = pool.now()
        let updated = try await pool.store.update(sub: user.sub) { user in
            try UserPool.apply(request.userAttributes, to: &user, byAdministrator: false)
            user.updatedAt = now
        }
        var deliveries: [CodeDeliveryDetailsWire] = []
        if updated.email != nil, !updated.emailVerified, updated.email != user.email {
            deliveries.append(try await sendCode(to: updated, purpose: .verifyEmail, label: "VerifyUserAttribute"))
        }
        if updated.phoneNumber != nil, !updated.phoneNumberVerified, updated.phoneNumber != user.phoneNumber {
            deliveries.append(
                try await sendCode(to: updated, purpose: .verifyPhoneNumber, label: "VerifyUserAttribute"))
        }
        return UpdateUserAttributesResponseWire(codeDeliveryDetailsList: deliveries)
    }

    func getUserAttributeVerificationCode(
        _ request: AttributeVerificationCodeRequestWire
    ) async throws
        -> CodeDeliveryResponseWire
    {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        let purpose: CodePurpose
        switch request.attributeName {
        case "email" where user.email != nil: purpose = .verifyEmail
        case "phone_number" where user.phoneNumber != nil: purpose = .verifyPhoneNumber
        default: throw CognitoError.invalidParameter("Cannot verify attribute \(request.attributeName)")
        }
        let details = try await sendCode(to: user, purpose: purpose, label: "VerifyUserAttribute")
        return CodeDeliveryResponseWire(codeDeliveryDetails: details)
    }

    func verifyUserAttribute(_ request: VerifyUserAttributeRequestWire) async throws -> EmptyWire {
        let (user, _) = try await pool.user(accessToken: request.accessToken)
        let purpose: CodePurpose =
            switch request.attributeName {
            case "email": .verifyEmail
            case "phone_number": .verifyPhoneNumber
            default: throw CognitoError.invalidParameter("Cannot verify attribute \(request.attributeName)")
            }
        try await check(code: request.code, for: user, purpose: purpose)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            if purpose == .verifyEmail { user.emailVerified = true } else { user.phoneNumberVerified = true }
            user.updatedAt = now
        }
        return EmptyWire()
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

    /// Sends a fresh code by the user's email (else SMS) and remembers its hash.
    func sendCode(to user: PoolUser, purpose: CodePurpose, label: String) async throws -> CodeDeliveryDetailsWire {
        let medium: CodeDelivery.Medium
        switch purpose {
        case .verifyEmail: medium = .email
        case .verifyPhoneNumber: medium = .sms
        case .confirmSignUp, .forgotPassword:
            guard let preferred = CodeDelivery.medium(for: user) else {
                throw CognitoError.invalidParameter("The user has no email or phone_number to send a code to")
            }
            medium = preferred
        }
        let code = OneTimeCode.generate()
        let lifetime = purpose == .forgotPassword ? UserPool.resetCodeLifetime : UserPool.confirmationCodeLifetime
        try await pool.store.storeCode(
            sub: user.sub, purpose: purpose, code: code, expiresAt: pool.now().addingTimeInterval(lifetime))
        let text =
            purpose == .forgotPassword
            ? "Your password reset code is \(code)" : "Your verification code is \(code)"
        return try pool.delivery.send(code: code, to: user, medium: medium, purpose: label, text: text)
    }

    /// Checks a code under the lockout rule for codes.
    private func check(code: String, for user: PoolUser, purpose: CodePurpose) async throws {
        try await pool.beginAttempt(user.sub, .code, locked: .codeAttemptsExceeded)
        switch try await pool.store.consumeCode(sub: user.sub, purpose: purpose, code: code, now: pool.now()) {
        case .accepted:
            try await pool.store.attemptSucceeded(subject: user.sub, kind: .code)
        case .mismatch:
            throw CognitoError.verificationCodeMismatch
        case .expired:
            throw CognitoError.expiredCode
        }
    }

    /// What a real user with an email would be told, for a name that is not a user.
    private static func decoyDelivery(_ username: String) -> CodeDeliveryDetailsWire {
        let letter = username.first.map(String.init) ?? "u"
        return CodeDelivery.details(destination: "\(letter)@example.com", medium: .email)
    }

    /// Cognito's username rule: 1-128 printable characters without whitespace.
    static func isValidUsername(_ username: String) -> Bool {
        !username.isEmpty && username.count <= 128
            && username.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0.value >= 0x21 }
    }
}
