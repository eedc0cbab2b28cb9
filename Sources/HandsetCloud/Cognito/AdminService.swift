import Foundation
import HandsetCloudStorage

/// Cognito's admin operations (AdminCreateUser, ListUsers, groups, ...).
///
/// In AWS these need SigV4-signed requests from IAM principals. handset-cloud does not check signatures at all: it
/// accepts admin operations only while it listens on a loopback address (the default `127.0.0.1`), where every
/// caller is on this machine, and refuses them with `AccessDeniedException` when bound to any other interface.
/// `AdminGate` makes that decision.
struct AdminService: Sendable {
    let pool: UserPool
    let accounts: AccountService
    let mfa: MFAService

    private func requirePool(_ userPoolId: String) throws {
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(userPoolId) does not exist.")
        }
    }

    private func user(_ userPoolId: String, _ username: String) async throws -> PoolUser {
        try requirePool(userPoolId)
        guard let user = try await pool.user(named: username) else { throw CognitoError.userNotFound }
        return user
    }

    func createUser(_ request: AdminCreateUserRequestWire) async throws -> AdminCreateUserResponseWire {
        try requirePool(request.userPoolId)
        let now = pool.now()
        if request.messageAction == "RESEND" {
            // Resend the invitation with a new temporary password.
            let existing = try await user(request.userPoolId, request.username)
            guard existing.status == .forceChangePassword else {
                throw CognitoError(type: "UnsupportedUserStateException", message: "User is already confirmed.")
            }
            let password = try request.temporaryPassword ?? temporaryPassword()
            let verifier = try pool.verifier(for: password, userIdForSRP: existing.userIdForSRP)
            let updated = try await pool.store.update(sub: existing.sub) { user in
                user.password = verifier
                user.passwordSetAt = now
                user.updatedAt = now
            }
            try await invite(updated, password: password, mediums: request.desiredDeliveryMediums)
            return AdminCreateUserResponseWire(user: Self.userWire(updated))
        }
        let username = try UserPool.enforceUsername(request.username)
        let password = try request.temporaryPassword ?? temporaryPassword()
        try pool.requirePolicy(password)
        var user = PoolUser(
            sub: UUID().uuidString.lowercased(), username: username, email: nil, emailVerified: false,
            phoneNumber: nil, phoneNumberVerified: false, attributes: [:], status: .forceChangePassword,
            enabled: true, userIdForSRP: username,
            password: try pool.verifier(for: password, userIdForSRP: username), passwordSetAt: now,
            groups: [], mfa: MFASettings(), createdAt: now, updatedAt: now)
        try UserPool.apply(request.userAttributes ?? [], to: &user, byAdministrator: true)
        do {
            try await pool.store.create(user)
        } catch IdentityRepositoryFailure.usernameExists {
            throw CognitoError.usernameExists
        }
        if request.messageAction != "SUPPRESS" {
            try await invite(user, password: password, mediums: request.desiredDeliveryMediums)
        }
        return AdminCreateUserResponseWire(user: Self.userWire(user))
    }

    /// A temporary password that satisfies any policy: 4 characters of each class plus randomness.
    private func temporaryPassword() throws -> String {
        let classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+-=?"].map(Array.init)
        var generator = SystemRandomNumberGenerator()
        var characters: [Character] = []
        for set in classes { for _ in 0..<3 { characters.append(set.randomElement(using: &generator)!) } }
        let length = max(pool.configuration.passwordPolicy.minimumLength, 12)
        while characters.count < length { characters.append(classes[0].randomElement(using: &generator)!) }
        return String(characters.shuffled(using: &generator))
    }

    private func invite(_ user: PoolUser, password: String, mediums: [String]?) async throws {
        let wanted = mediums ?? ["EMAIL"]
        let medium: CodeDelivery.Medium? =
            wanted.contains("EMAIL") && user.email != nil
            ? .email : (wanted.contains("SMS") && user.phoneNumber != nil ? .sms : CodeDelivery.medium(for: user))
        guard let medium else { return }
        try await pool.delivery.send(
            code: password, to: user, medium: medium, purpose: "AdminCreateUser",
            text: "Your username is \(user.username) and temporary password is \(password)")
    }

    func setUserPassword(_ request: AdminSetUserPasswordRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        try pool.requirePolicy(request.password)
        let verifier = try pool.verifier(for: request.password, userIdForSRP: user.userIdForSRP)
        let permanent = request.permanent ?? false
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.password = verifier
            user.passwordSetAt = now
            user.status = permanent ? .confirmed : .forceChangePassword
            user.updatedAt = now
        }
        return EmptyWire()
    }

    func getUser(_ request: AdminUserRequestWire) async throws -> AdminGetUserResponseWire {
        let user = try await user(request.userPoolId, request.username)
        let own = AccountService.getUserResponse(user)
        return AdminGetUserResponseWire(
            username: user.username, userAttributes: own.userAttributes,
            userCreateDate: user.createdAt.timeIntervalSince1970,
            userLastModifiedDate: user.updatedAt.timeIntervalSince1970, enabled: user.enabled,
            userStatus: user.status.rawValue, preferredMfaSetting: own.preferredMfaSetting,
            userMFASettingList: own.userMFASettingList)
    }

    func deleteUser(_ request: AdminUserRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        try await pool.store.delete(sub: user.sub)
        return EmptyWire()
    }

    func setEnabled(_ enabled: Bool) -> @Sendable (AdminUserRequestWire) async throws -> EmptyWire {
        { request in
            let user = try await user(request.userPoolId, request.username)
            let now = pool.now()
            try await pool.store.update(sub: user.sub) { user in
                user.enabled = enabled
                user.updatedAt = now
            }
            return EmptyWire()
        }
    }

    func confirmSignUp(_ request: AdminUserRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        guard user.status == .unconfirmed else {
            throw CognitoError.notAuthorized("User cannot be confirmed. Current status is \(user.status.rawValue)")
        }
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            user.status = .confirmed
            user.updatedAt = now
        }
        return EmptyWire()
    }

    /// The user must choose a new password through ForgotPassword's code (sent to a verified address); their
    /// sessions end now.
    func resetUserPassword(_ request: AdminUserRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        guard CodeDelivery.verifiedMedium(for: user) != nil else {
            throw CognitoError.invalidParameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number")
        }
        let now = pool.now()
        let updated = try await pool.store.update(sub: user.sub) { user in
            user.status = .resetRequired
            user.updatedAt = now
        }
        try await pool.store.revokeAllRefreshTokens(sub: user.sub)
        _ = try await accounts.sendCode(to: updated, purpose: .forgotPassword, label: "ForgotPassword")
        return EmptyWire()
    }

    func userGlobalSignOut(_ request: AdminUserRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        try await pool.store.revokeAllRefreshTokens(sub: user.sub)
        return EmptyWire()
    }

    func updateUserAttributes(_ request: AdminUpdateUserAttributesRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId, request.username)
        var check = user
        try UserPool.apply(request.userAttributes, to: &check, byAdministrator: true)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            try UserPool.apply(request.userAttributes, to: &user, byAdministrator: true)
            user.updatedAt = now
        }
        return EmptyWire()
    }

    func setUserMFAPreference(_ request: SetUserMFAPreferenceRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId ?? "", request.username ?? "")
        try await mfa.apply(request, to: user)
        return EmptyWire()
    }

    /// ListUsers with Cognito's filter syntax for the common cases: `attr = "value"` and `attr ^= "prefix"` on
    /// username, email, phone_number, sub, name, given_name, family_name, status and cognito:user_status.
    func listUsers(_ request: ListUsersRequestWire) async throws -> ListUsersResponseWire {
        try requirePool(request.userPoolId)
        let limit = min(max(request.limit ?? 60, 1), 60)
        let filter = try request.filter.flatMap { $0.isEmpty ? nil : try UserFilter(parsing: $0) }
        var page: [PoolUser] = []
        var cursor = request.paginationToken.flatMap { Base64URL.decode($0) }.map {
            String(decoding: $0, as: UTF8.self)
        }
        var exhausted = false
        while page.count < limit, !exhausted {
            let batch = try await pool.store.users(after: cursor, limit: 200)
            exhausted = batch.count < 200
            for user in batch {
                cursor = user.username
                if filter?.matches(user) ?? true {
                    page.append(user)
                    if page.count == limit { break }
                }
            }
        }
        let more = page.count == limit
        let next = more ? page.last.map { Base64URL.encode(Array($0.username.utf8)) } : nil
        var users = page.map(Self.userWire)
        if let wanted = request.attributesToGet {
            for index in users.indices { users[index].attributes.removeAll { !wanted.contains($0.name) } }
        }
        return ListUsersResponseWire(users: users, paginationToken: next)
    }

    // MARK: Groups

    func createGroup(_ request: GroupRequestWire) async throws -> GroupResponseWire {
        try requirePool(request.userPoolId)
        guard !request.groupName.isEmpty, request.groupName.count <= 128 else {
            throw CognitoError.invalidParameter("GroupName is not valid")
        }
        let now = pool.now()
        let group = PoolGroup(
            name: request.groupName, description: request.description, precedence: request.precedence,
            createdAt: now, updatedAt: now)
        do {
            try await pool.store.createGroup(group)
        } catch IdentityRepositoryFailure.groupExists {
            throw CognitoError.groupExists
        }
        return GroupResponseWire(group: groupWire(group))
    }

    func getGroup(_ request: GroupRequestWire) async throws -> GroupResponseWire {
        try requirePool(request.userPoolId)
        guard let group = try await pool.store.group(named: request.groupName) else {
            throw CognitoError.groupNotFound
        }
        return GroupResponseWire(group: groupWire(group))
    }

    func listGroups(_ request: ListGroupsRequestWire) async throws -> GroupsResponseWire {
        try requirePool(request.userPoolId)
        return GroupsResponseWire(groups: try await pool.store.allGroups().map(groupWire), nextToken: nil)
    }

    func setMembership(_ member: Bool) -> @Sendable (GroupMembershipRequestWire) async throws -> EmptyWire {
        { request in
            let user = try await user(request.userPoolId, request.username)
            do {
                try await pool.store.setMembership(sub: user.sub, group: request.groupName, member: member)
            } catch IdentityRepositoryFailure.groupNotFound {
                throw CognitoError.groupNotFound
            }
            return EmptyWire()
        }
    }

    func listGroupsForUser(_ request: AdminUserRequestWire) async throws -> GroupsResponseWire {
        let user = try await user(request.userPoolId, request.username)
        return GroupsResponseWire(groups: try await pool.store.groups(of: user.sub).map(groupWire), nextToken: nil)
    }

    private func groupWire(_ group: PoolGroup) -> GroupWire {
        GroupWire(
            groupName: group.name, userPoolId: pool.configuration.userPoolId, description: group.description,
            precedence: group.precedence, creationDate: group.createdAt.timeIntervalSince1970,
            lastModifiedDate: group.updatedAt.timeIntervalSince1970)
    }

    static func userWire(_ user: PoolUser) -> UserWire {
        UserWire(
            username: user.username, attributes: UserPool.attributesWire(user),
            userCreateDate: user.createdAt.timeIntervalSince1970,
            userLastModifiedDate: user.updatedAt.timeIntervalSince1970, enabled: user.enabled,
            userStatus: user.status.rawValue,
            mfaOptions: user.mfa.smsEnabled
                ? [MFAOptionWire(deliveryMedium: "SMS", attributeName: "phone_number")] : nil)
    }
}

/// One `ListUsers` filter: `name = "value"` or `name ^= "prefix"`.
struct UserFilter: Sendable {
    var attribute: String
    var value: String
    var prefix: Bool

    init(parsing text: String) throws {
        let pattern = #"^\s*([A-Za-z_:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let name = Range(match.range(at: 1), in: text), let operation = Range(match.range(at: 2), in: text),
            let value = Range(match.range(at: 3), in: text)
        else { throw CognitoError.invalidParameter("Error while parsing filter.") }
        attribute = String(text[name])
        prefix = text[operation] == "^="
        self.value = String(text[value])
    }

    func matches(_ user: PoolUser) -> Bool {
        let actual: String?
        switch attribute {
        case "username": actual = user.username
        case "status", "cognito:user_status": actual = user.status.rawValue
        case "email": actual = user.email
        case "phone_number": actual = user.phoneNumber
        case "sub": actual = user.sub
        default: actual = user.attributes[attribute]
        }
        guard let actual else { return false }
        return prefix ? actual.lowercased().hasPrefix(value.lowercased()) : actual == value
    }
}
