import Foundation
import HandsetCloudStorage

/// UpdateGroup, DeleteGroup and ListUsersInGroup (admin operations). A group's role is only a name here (there is
/// no IAM), but its precedence decides `cognito:preferred_role` in ID tokens as in AWS.
struct GroupAdministrationService: Sendable {
    let admin: AdminService

    var operations: [CognitoOperation] {
        var list: [CognitoOperation] = [
            .json("UpdateGroup", updateGroup), .json("DeleteGroup", deleteGroup),
            .json("ListUsersInGroup", listUsersInGroup),
        ]
        for index in list.indices { list[index].isAdmin = true }
        return list
    }

    /// Cognito's limits on a group's members.
    static func validate(_ request: GroupRequestWire) throws {
        guard !request.groupName.isEmpty, request.groupName.utf8.count <= 128,
            !request.groupName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw CognitoError.invalidParameter("GroupName must be 1 to 128 characters without control characters")
        }
        if let description = request.description, description.utf8.count > 2048 {
            throw CognitoError.invalidParameter("Description must be at most 2048 characters")
        }
        if let precedence = request.precedence, precedence < 0 {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value '\(precedence)' at 'precedence' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 0")
        }
        if let role = request.roleArn, !isRoleArn(role) {
            throw CognitoError.invalidParameter(
                "RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), 20 to 2048 characters")
        }
    }

    static func isRoleArn(_ text: String) -> Bool {
        (20...2048).contains(text.utf8.count) && text.hasPrefix("arn:") && text.contains(":role/")
            && !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F })
    }

    /// Members left out keep their values (unlike UpdateUserPool, UpdateGroup changes only what it names).
    func updateGroup(_ request: GroupRequestWire) async throws -> GroupResponseWire {
        try admin.requirePool(request.userPoolId)
        try Self.validate(request)
        let now = admin.pool.now()
        do {
            let group = try await admin.pool.store.updateGroup(named: request.groupName) { group in
                if let description = request.description { group.description = description }
                if let precedence = request.precedence { group.precedence = precedence }
                if let role = request.roleArn { group.roleArn = role }
                group.updatedAt = now
            }
            return GroupResponseWire(group: admin.groupWire(group))
        } catch IdentityRepositoryFailure.groupNotFound {
            throw CognitoError.groupNotFound
        }
    }

    func deleteGroup(_ request: GroupNameRequestWire) async throws -> EmptyWire {
        try admin.requirePool(request.userPoolId)
        do {
            try await admin.pool.store.deleteGroup(named: request.groupName)
        } catch IdentityRepositoryFailure.groupNotFound {
            throw CognitoError.groupNotFound
        }
        return EmptyWire()
    }

    func listUsersInGroup(_ request: ListUsersInGroupRequestWire) async throws -> ListUsersInGroupResponseWire {
        try admin.requirePool(request.userPoolId)
        let limit = try ListPage.limit(request.limit)
        guard try await admin.pool.store.group(named: request.groupName) != nil else {
            throw CognitoError.groupNotFound
        }
        let store = admin.pool.store
        let page = try await AdminService.page(
            limit: limit, token: request.nextToken, matching: { _ in true },
            read: { cursor, batch in
                do {
                    return try await store.users(inGroup: request.groupName, after: cursor, limit: batch)
                } catch IdentityRepositoryFailure.groupNotFound {
                    throw CognitoError.groupNotFound
                }
            })
        return ListUsersInGroupResponseWire(users: page.users.map(AdminService.userWire), nextToken: page.next)
    }
}

/// The roles of a user's groups as the ID token names them (`cognito:roles`, `cognito:preferred_role`).
enum GroupRoles {
    /// The role of the group with the lowest precedence value among the groups that have a role (no precedence
    /// counts as the highest value); none when two such groups tie for lowest, as AWS does.
    static func preferredRole(of groups: [PoolGroup]) -> String? {
        let candidates = groups.filter { $0.roleArn != nil }
        guard let best = candidates.map({ $0.precedence ?? Int.max }).min() else { return nil }
        let winners = candidates.filter { ($0.precedence ?? Int.max) == best }
        return winners.count == 1 ? winners[0].roleArn : nil
    }

    /// Every role of the user's groups, by precedence then name, without repeats.
    static func roles(of groups: [PoolGroup]) -> [String] {
        var seen = Set<String>()
        return groups.sorted { ($0.precedence ?? Int.max, $0.name) < ($1.precedence ?? Int.max, $1.name) }
            .compactMap(\.roleArn).filter { seen.insert($0).inserted }
    }
}
