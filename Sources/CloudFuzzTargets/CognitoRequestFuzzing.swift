import Foundation
import HandsetCloudStorage
import HandsetFuzzing
import HandsetSRP
import HandsetWire

@testable import HandsetCloud

/// Cognito's request decoding, through the same `CognitoOperation` path the server takes (parse, decode,
/// Cognito's error shapes), for every request type; then the pure checks requests reach before any storage:
/// usernames, phone numbers, attributes, ListUsers filters, SRP values and timestamps. The first byte picks.
enum CognitoRequestFuzzing {
    static let operations: [CognitoOperation] = [
        decoding(InitiateAuthRequest.self), decoding(RespondToAuthChallengeRequest.self),
        decoding(SignUpRequestWire.self), decoding(ConfirmCodeRequestWire.self), decoding(UsernameRequestWire.self),
        decoding(ChangePasswordRequestWire.self), decoding(AccessTokenRequestWire.self),
        decoding(UpdateUserAttributesRequestWire.self), decoding(AttributeVerificationCodeRequestWire.self),
        decoding(VerifyUserAttributeRequestWire.self), decoding(RevokeTokenRequestWire.self),
        decoding(AssociateSoftwareTokenRequestWire.self), decoding(VerifySoftwareTokenRequestWire.self),
        decoding(SetUserMFAPreferenceRequestWire.self), decoding(AdminCreateUserRequestWire.self),
        decoding(AdminSetUserPasswordRequestWire.self), decoding(AdminUserRequestWire.self),
        decoding(ListUsersRequestWire.self), decoding(AdminUpdateUserAttributesRequestWire.self),
        decoding(GroupRequestWire.self), decoding(ListGroupsRequestWire.self),
        decoding(GroupMembershipRequestWire.self), decoding(ListUsersInGroupRequestWire.self),
        decoding(GroupNameRequestWire.self), decoding(AddCustomAttributesRequestWire.self),
        decoding(DeleteUserAttributesRequestWire.self), decoding(AdminDeleteUserAttributesRequestWire.self),
        decoding(UserPoolMfaConfigWire.self), decoding(UpdateUserPoolRequestWire.self),
        decoding(AdminListUserAuthEventsRequestWire.self), decoding(GetTokensFromRefreshTokenRequestWire.self),
    ]

    /// An operation that only decodes its input (the services behind it need a database).
    static func decoding<Input: Decodable & SendableMetatype>(_ type: Input.Type) -> CognitoOperation {
        .json("\(type)") { (_: Input) in EmptyWire() }
    }

    static let sampleUser = PoolUser(
        sub: "sub-1", username: "alice", email: "alice@example.com", emailVerified: true, phoneNumber: nil,
        phoneNumberVerified: false, attributes: [:], status: .confirmed, enabled: true, userIdForSRP: "alice",
        password: SRPVerifier(salt: [1], verifier: [2]), passwordSetAt: Date(timeIntervalSince1970: 0), groups: [],
        mfa: MFASettings(), createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))

    static let target = FuzzTarget("cognito") { data in
        guard let selector = data.first else { return }
        let rest = Data(data.dropFirst())
        let text = String(decoding: rest, as: UTF8.self)
        if Int(selector) < operations.count {
            let operation = operations[Int(selector)]
            let outcome: Bool = runBlocking {
                do {
                    _ = try await operation.handle(rest)
                    return true
                } catch is CognitoError {
                    return true
                } catch {
                    return false
                }
            }
            FuzzCheck.that(outcome, "\(operation.name): an error that is not Cognito's")
            return
        }
        switch Int(selector) % 6 {
        case 0:
            if case .success(let name) = UsernameProfile.enforce(text) {
                FuzzCheck.that(UsernameProfile.enforce(name) == .success(name), "enforcing twice changed \(name)")
                FuzzCheck.that(UsernameProfile.map(name) == name, "a stored name maps to another")
                FuzzCheck.that(name.unicodeScalars.allSatisfy(UsernameProfile.isAllowed), "a refused character")
            }
        case 1:
            if PhoneNumberFormat.isValid(text) {
                FuzzCheck.that(text.utf8.allSatisfy { $0 == UInt8(ascii: "+") || ($0 >= 48 && $0 <= 57) }, "\(text)")
            }
        case 2:
            if let attributes = try? JSONValueDecoder().decode([AttributeWire].self, from: rest) {
                var user = sampleUser
                _ = try? UserPool.apply(
                    attributes, to: &user, byAdministrator: selector & 1 == 0,
                    schema: [CustomAttributeDefinition(name: "legacy_id"), CustomAttributeDefinition(name: "team")])
            }
        case 3:
            if let filter = try? UserFilter(parsing: text) { _ = filter.matches(sampleUser) }
        case 4:
            if let bytes = SRPHex.decode(text), bytes.count <= SRPGroup.cognito.byteCount + 1 {
                _ = try? SRPGroup.cognito.isZeroModulo(bytes)
            }
        default:
            if let date = CognitoTimestamp.date(from: text) { _ = CognitoTimestamp.string(from: date) }
        }
    }
}
