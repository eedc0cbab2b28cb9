import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird

/// Cognito's JSON protocol: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`.
///
/// Every failure, including a malformed request, is answered in Cognito's error shape (never HTML, never a bare 500).
struct CognitoController: Sendable {
    static let targetHeader = HTTPField.Name(CognitoWire.targetHeader)!
    static let maximumBodySize = 256 * 1024

    let operations: [String: CognitoOperation]
    let adminAuthorization: AdminAuthorization

    init(operations: [CognitoOperation], adminAuthorization: AdminAuthorization) {
        self.operations = Dictionary(operations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.adminAuthorization = adminAuthorization
    }

    /// Every operation of the user pool, plus `more` (the configuration operations). Admin operations go through
    /// `adminAuthorization` first.
    init(
        pool: UserPool, adminAuthorization: AdminAuthorization, metrics: CloudMetrics? = nil,
        more: [CognitoOperation] = []
    ) {
        let authentication = AuthenticationService(pool: pool)
        let accounts = AccountService(pool: pool)
        let mfa = MFAService(pool: pool)
        let admin = AdminService(pool: pool, accounts: accounts, mfa: mfa)
        let metering = SignInMetering(metrics: metrics)
        let devices = DeviceService(pool: pool)
        func adminOperation<Input: Decodable & SendableMetatype, Output: Encodable & SendableMetatype>(
            _ name: String, _ body: @escaping @Sendable (Input) async throws -> Output
        ) -> CognitoOperation {
            var operation = CognitoOperation.json(name, body)
            operation.isAdmin = true
            return operation
        }
        self.init(
            operations: [
                .json("InitiateAuth", metering.initiateAuth(authentication.initiateAuth)),
                .json("RespondToAuthChallenge", metering.respondToAuthChallenge(authentication.respondToAuthChallenge)),
                .json("SignUp", accounts.signUp),
                .json("ConfirmSignUp", accounts.confirmSignUp),
                .json("ResendConfirmationCode", accounts.resendConfirmationCode),
                .json("ForgotPassword", accounts.forgotPassword),
                .json("ConfirmForgotPassword", accounts.confirmForgotPassword),
                .json("ChangePassword", accounts.changePassword),
                .json("GetUser", accounts.getUser),
                .json("UpdateUserAttributes", accounts.updateUserAttributes),
                .json("GetUserAttributeVerificationCode", accounts.getUserAttributeVerificationCode),
                .json("VerifyUserAttribute", accounts.verifyUserAttribute),
                .json("GlobalSignOut", accounts.globalSignOut),
                .json("RevokeToken", accounts.revokeToken),
                .json("DeleteUser", accounts.deleteUser),
                .json("AssociateSoftwareToken", mfa.associateSoftwareToken),
                .json("VerifySoftwareToken", mfa.verifySoftwareToken),
                .json("SetUserMFAPreference", mfa.setUserMFAPreference),
                adminOperation("AdminCreateUser", admin.createUser),
                adminOperation("AdminSetUserPassword", admin.setUserPassword),
                adminOperation("AdminGetUser", admin.getUser),
                adminOperation("ListUsers", admin.listUsers),
                adminOperation("AdminDeleteUser", admin.deleteUser),
                adminOperation("AdminDisableUser", admin.setEnabled(false)),
                adminOperation("AdminEnableUser", admin.setEnabled(true)),
                adminOperation("AdminConfirmSignUp", admin.confirmSignUp),
                adminOperation("AdminResetUserPassword", admin.resetUserPassword),
                adminOperation("AdminUserGlobalSignOut", admin.userGlobalSignOut),
                adminOperation("AdminUpdateUserAttributes", admin.updateUserAttributes),
                adminOperation("AdminSetUserMFAPreference", admin.setUserMFAPreference),
                adminOperation("CreateGroup", admin.createGroup),
                adminOperation("GetGroup", admin.getGroup),
                adminOperation("ListGroups", admin.listGroups),
                adminOperation("AdminAddUserToGroup", admin.setMembership(true)),
                adminOperation("AdminRemoveUserFromGroup", admin.setMembership(false)),
                adminOperation("AdminListGroupsForUser", admin.listGroupsForUser),
            ] + GroupAdministrationService(admin: admin).operations
                + AttributeAdministrationService(admin: admin).operations
                + PoolSettingsService(admin: admin).operations + AuthEventService(admin: admin).operations
                + RefreshTokenService(pool: pool, authentication: authentication).operations
                + devices.operations + devices.adminOperations
                + AdminAuthenticationService(authentication: authentication).operations + more,
            adminAuthorization: adminAuthorization)
    }

    /// A header value as an error message may repeat it: printable ASCII, at most 100 characters, so that a
    /// 10 KB header does not come back (or reach a log) whole.
    static func shown(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }
        let shown = String(String.UnicodeScalarView(printable.prefix(100)))
        return printable.count > 100 ? shown + "…" : shown
    }

    func addRoutes(to router: Router<CloudRequestContext>) {
        router.post("/") { request, context in
            try await handle(request, context: context)
        }
    }

    func handle(_ request: Request, context: CloudRequestContext) async throws -> Response {
        do {
            let operation = try self.operation(for: request, context: context)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maximumBodySize)
            } catch {
                throw CognitoError.serialization("The request body is too large or could not be read")
            }
            // After the body is read: a signature covers its hash.
            if operation.isAdmin { try adminAuthorization.authorize(request, body: body, context: context) }
            let output = try await operation.handle(Data(buffer: body))
            // Answers carry tokens, secrets and codes: no cache may keep them (RFC 6749 §5.1).
            return Response(
                status: .ok, headers: [.contentType: CognitoWire.contentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: output)))
        } catch let error as CognitoError {
            return try error.response(from: request, context: context)
        } catch {
            context.logger.error("Cognito operation failed: \(String(reflecting: type(of: error)))")
            return try CognitoError.internalError.response(from: request, context: context)
        }
    }

    private func operation(for request: Request, context: CloudRequestContext) throws -> CognitoOperation {
        guard let target = request.headers[Self.targetHeader], !target.isEmpty else {
            context.requestLog.function = "cognito.unknown"
            throw CognitoError.unknownOperation("Missing \(CognitoWire.targetHeader) header")
        }
        guard target.hasPrefix(CognitoWire.targetPrefix) else {
            context.requestLog.function = "cognito.unknown"
            throw CognitoError.unknownOperation("Unknown target \(Self.shown(target))")
        }
        let name = String(target.dropFirst(CognitoWire.targetPrefix.count))
        guard let operation = operations[name] else {
            context.requestLog.function = "cognito.unknown"
            if CognitoOperation.cognitoOperationNames.contains(name) {
                throw CognitoError.unknownOperation("handset-cloud does not support \(name) yet")
            }
            throw CognitoError.unknownOperation("Unknown operation \(Self.shown(name))")
        }
        context.requestLog.function = "cognito.\(name)"
        return operation
    }
}
