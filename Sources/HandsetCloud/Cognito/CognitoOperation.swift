import Foundation
import HandsetWire

/// One operation of Cognito's JSON protocol, named as in `X-Amz-Target` (`AWSCognitoIdentityProviderService.<name>`).
struct CognitoOperation: Sendable {
    let name: String
    /// Admin operations: served only to loopback callers (`LoopbackGate`).
    var isAdmin = false
    let handle: @Sendable (Data) async throws -> Data

    /// An operation whose request and response are Codable wire types; undecodable bodies become Cognito's
    /// `SerializationException` or `InvalidParameterException`.
    static func json<Input: Decodable & SendableMetatype, Output: Encodable & SendableMetatype>(
        _ name: String, _ body: @escaping @Sendable (Input) async throws -> Output
    ) -> CognitoOperation {
        CognitoOperation(name: name, isAdmin: false) { data in
            let input = try decode(Input.self, from: data)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return try encoder.encode(try await body(input))
        }
    }

    /// Every operation of Cognito's user pool API that a client may name, whether or not handset-cloud serves it.
    static let cognitoOperationNames: Set<String> = [
        "SignUp", "ConfirmSignUp", "ResendConfirmationCode", "InitiateAuth", "RespondToAuthChallenge",
        "ForgotPassword", "ConfirmForgotPassword", "GetUser", "ChangePassword", "GlobalSignOut", "RevokeToken",
        "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference", "UpdateUserAttributes",
        "DeleteUser", "GetUserAttributeVerificationCode", "VerifyUserAttribute", "ListDevices", "ConfirmDevice",
        "AdminCreateUser", "AdminSetUserPassword", "AdminGetUser", "ListUsers", "AdminDeleteUser",
        "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminInitiateAuth", "AdminRespondToAuthChallenge",
        "AdminConfirmSignUp", "AdminUpdateUserAttributes", "AdminUserGlobalSignOut", "AdminListGroupsForUser",
        "AdminDisableUser", "AdminEnableUser", "AdminResetUserPassword", "CreateGroup", "ListGroups",
        "DescribeUserPool", "DescribeUserPoolClient", "ListUserPools", "ListUserPoolClients", "GetJWKS",
        "ListUsersInGroup", "UpdateGroup", "DeleteGroup", "AddCustomAttributes", "DeleteUserAttributes",
        "AdminDeleteUserAttributes", "GetUserPoolMfaConfig", "SetUserPoolMfaConfig", "UpdateUserPool",
        "AdminListUserAuthEvents", "GetTokensFromRefreshToken", "GetSigningCertificate",
        "StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials",
    ]

    private static func decode<Input: Decodable>(_ type: Input.Type, from data: Data) throws -> Input {
        guard let value = try? JSONValue.parse(data), case .object(let members) = value else {
            throw CognitoError.serialization("The request body is not a JSON object")
        }
        try checkMemberKinds(members)
        do {
            return try JSONValueDecoder().decode(Input.self, from: value)
        } catch DecodingError.keyNotFound(let key, let context) {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at '\(memberPath(context.codingPath + [key]))' failed to "
                    + "satisfy constraint: Member must not be null")
        } catch DecodingError.valueNotFound(_, let context) {
            throw CognitoError.invalidParameter(
                "1 validation error detected: Value null at '\(memberPath(context.codingPath))' failed to satisfy "
                    + "constraint: Member must not be null")
        } catch DecodingError.typeMismatch(let expected, let context) {
            throw CognitoError.serialization(
                "Value at '\(memberPath(context.codingPath))' is not a \(typeName(expected))")
        } catch {
            throw CognitoError.serialization("The request body could not be read")
        }
    }

    /// Every member the model knows must have its kind, whether or not this operation reads it (null is absence).
    private static func checkMemberKinds(_ members: [String: JSONValue]) throws {
        for (name, member) in members {
            guard let kind = CognitoMemberKinds.byName[name] else { continue }
            let matches: Bool =
                switch (kind, member) {
                case (_, .null), (.string, .string), (.number, .number), (.bool, .bool), (.array, .array),
                    (.object, .object):
                    true
                default: false
                }
            if !matches {
                throw CognitoError.serialization("Value at '\(memberPath([CognitoMemberName(name)]))' is not a \(kind)")
            }
        }
    }

    /// AWS names members in lower camel case in validation messages (`clientId`, `authParameters.USERNAME`).
    private static func memberPath(_ path: [any CodingKey]) -> String {
        path.enumerated().map { index, key in
            guard index == 0, let first = key.stringValue.first else { return key.stringValue }
            return first.lowercased() + key.stringValue.dropFirst()
        }.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Dictionary") { return "map" }
        if name.hasPrefix("Array") { return "list" }
        return name.lowercased()
    }
}

/// A member name as a coding key, for messages.
private struct CognitoMemberName: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
