import Foundation
import HandsetCloudStorage

/// DeleteUserAttributes (the user, with their access token) and AdminDeleteUserAttributes.
struct AttributeAdministrationService: Sendable {
    let admin: AdminService

    var operations: [CognitoOperation] {
        var adminDelete = CognitoOperation.json("AdminDeleteUserAttributes", adminDeleteUserAttributes)
        adminDelete.isAdmin = true
        return [.json("DeleteUserAttributes", deleteUserAttributes), adminDelete]
    }

    func deleteUserAttributes(_ request: DeleteUserAttributesRequestWire) async throws -> EmptyWire {
        let (user, _) = try await admin.pool.user(accessToken: request.accessToken)
        try await delete(request.userAttributeNames, from: user, byAdministrator: false)
        return EmptyWire()
    }

    func adminDeleteUserAttributes(_ request: AdminDeleteUserAttributesRequestWire) async throws -> EmptyWire {
        let user = try await admin.user(request.userPoolId, request.username)
        try await delete(request.userAttributeNames, from: user, byAdministrator: true)
        return EmptyWire()
    }

    private func delete(_ names: [String], from user: PoolUser, byAdministrator: Bool) async throws {
        let declared = admin.pool.configuration.customAttributes
        var check = user
        try Self.remove(names, from: &check, declared: declared, byAdministrator: byAdministrator)
        let now = admin.pool.now()
        try await admin.pool.store.update(sub: user.sub) { user in
            try Self.remove(names, from: &user, declared: declared, byAdministrator: byAdministrator)
            user.updatedAt = now
        }
    }

    /// Removes attributes as Cognito does: an address goes with its verified flag and any change waiting for a
    /// code; `sub` and immutable custom attributes stay.
    static func remove(
        _ names: [String], from user: inout PoolUser, declared: [CustomAttributeDefinition], byAdministrator: Bool
    ) throws {
        for name in names {
            switch name {
            case "sub":
                throw CognitoError.invalidParameter("Cannot modify the non-mutable attribute sub")
            case "email":
                user.email = nil
                user.emailVerified = false
                user.pendingEmail = nil
            case "phone_number":
                user.phoneNumber = nil
                user.phoneNumberVerified = false
                user.pendingPhoneNumber = nil
            case "email_verified", "phone_number_verified":
                guard byAdministrator else {
                    throw CognitoError.invalidParameter("Cannot modify \(name)")
                }
                if name == "email_verified" { user.emailVerified = false } else { user.phoneNumberVerified = false }
            case let custom where custom.hasPrefix("custom:"):
                if let definition = declared.first(where: { "custom:" + $0.name == custom }) {
                    guard definition.mutable else { throw UserPool.immutable(custom) }
                    guard byAdministrator || !definition.developerOnly else {
                        throw CognitoError.notAuthorized("A client attempted to write unauthorized attribute")
                    }
                }
                user.attributes[custom] = nil
            case let standard where UserPool.standardAttributes.contains(standard):
                user.attributes[standard] = nil
            default:
                throw UserPool.notInSchema(name)
            }
        }
    }
}
