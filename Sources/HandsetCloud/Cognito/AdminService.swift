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

    func requirePool(_ userPoolId: String) throws {
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(userPoolId) does not exist.")
        }
    }

    func user(_ userPoolId: String, _ username: String) async throws -> PoolUser {
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
        try UserPool.apply(
            request.userAttributes ?? [], to: &user, byAdministrator: true, schema: pool.configuration.customAttributes,
            creating: true)
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
            user.passwordless = false
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
        let schema = pool.configuration.customAttributes
        try UserPool.apply(request.userAttributes, to: &check, byAdministrator: true, schema: schema)
        let now = pool.now()
        try await pool.store.update(sub: user.sub) { user in
            try UserPool.apply(request.userAttributes, to: &user, byAdministrator: true, schema: schema)
            user.updatedAt = now
        }
        return EmptyWire()
    }

    func setUserMFAPreference(_ request: SetUserMFAPreferenceRequestWire) async throws -> EmptyWire {
        let user = try await user(request.userPoolId ?? "", request.username ?? "")
        try await mfa.apply(request, to: user)
        return EmptyWire()
    }

    /// ListUsers with Cognito's filter grammar (`UserFilter`), in case-insensitive username order, a page at a time.
    func listUsers(_ request: ListUsersRequestWire) async throws -> ListUsersResponseWire {
        try requirePool(request.userPoolId)
        let limit = try ListPage.limit(request.limit)
        let filter = try request.filter.flatMap { $0.isEmpty ? nil : try UserFilter(parsing: $0) }
        if let wanted = request.attributesToGet, let unknown = wanted.first(where: { !Self.isKnownAttribute($0) }) {
            throw CognitoError.invalidParameter(
                "One or more requested attributes do not exist: \(AccountService.shown(unknown))")
        }
        let page = try await Self.page(
            limit: limit, token: request.paginationToken, matching: { filter?.matches($0) ?? true },
            read: { cursor, batch in try await pool.store.users(after: cursor, limit: batch) })
        var users = page.users.map(Self.userWire)
        if let wanted = request.attributesToGet {
            for index in users.indices { users[index].attributes.removeAll { !wanted.contains($0.name) } }
        }
        return ListUsersResponseWire(users: users, paginationToken: page.next)
    }

    static func isKnownAttribute(_ name: String) -> Bool {
        name.hasPrefix("custom:") || UserPool.standardAttributes.contains(name)
            || ["sub", "email", "email_verified", "phone_number", "phone_number_verified"].contains(name)
    }

    /// Users a page at a time from a source read in batches in username order: the page is full, and a token is
    /// given, only when another matching user exists. Linear in the users read.
    static func page(
        limit: Int, token: String?, matching: (PoolUser) -> Bool,
        read: (_ after: String?, _ batch: Int) async throws -> [PoolUser]
    ) async throws -> (users: [PoolUser], next: String?) {
        let batch = 200
        var cursor = try ListPage.key(from: token)
        var found: [PoolUser] = []
        while found.count <= limit {
            let users = try await read(cursor, batch)
            found += users.filter(matching)
            guard users.count == batch, let last = users.last else { break }
            cursor = last.username
        }
        let shown = Array(found.prefix(limit))
        return (shown, found.count > limit ? shown.last.map { ListPage.token(for: $0.username) } : nil)
    }

    // MARK: Groups

    func createGroup(_ request: GroupRequestWire) async throws -> GroupResponseWire {
        try requirePool(request.userPoolId)
        try GroupAdministrationService.validate(request)
        let now = pool.now()
        let group = PoolGroup(
            name: request.groupName, description: request.description, precedence: request.precedence,
            roleArn: request.roleArn, createdAt: now, updatedAt: now)
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
        let page = try ListPage.page(
            try await pool.store.allGroups(), key: \.name, limit: request.limit, token: request.nextToken)
        return GroupsResponseWire(groups: page.items.map(groupWire), nextToken: page.next)
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
        let page = try ListPage.page(
            try await pool.store.groups(of: user.sub), key: \.name, limit: request.limit, token: request.nextToken)
        return GroupsResponseWire(groups: page.items.map(groupWire), nextToken: page.next)
    }

    func groupWire(_ group: PoolGroup) -> GroupWire {
        GroupWire(
            groupName: group.name, userPoolId: pool.configuration.userPoolId, description: group.description,
            roleArn: group.roleArn, precedence: group.precedence, creationDate: group.createdAt.timeIntervalSince1970,
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
