/// The errors of the user pool's operations, worded as Cognito words them.
extension CognitoError {
    static let passwordAttemptsExceeded = notAuthorized("Password attempts exceeded")
    static let mfaAttemptsExceeded = notAuthorized(
        "Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds.")
    static let invalidSession = notAuthorized("Invalid session for the user, session is expired.")
    static let userDisabled = notAuthorized("User is disabled.")
    static let temporaryPasswordExpired = notAuthorized(
        "Temporary password has expired and must be reset by an administrator.")
    static let invalidAccessToken = notAuthorized("Invalid Access Token")
    static let expiredAccessToken = notAuthorized("Access Token has expired")
    static let revokedAccessToken = notAuthorized("Access Token has been revoked")

    static let mfaCodeMismatch = CognitoError(type: "CodeMismatchException", message: "Invalid code received for user")
    static let totpReplayed = CognitoError(
        type: "CodeMismatchException", message: "Your software token has already been used once.")
    static let verificationCodeMismatch = CognitoError(
        type: "CodeMismatchException", message: "Invalid verification code provided, please try again.")
    static let expiredCode = CognitoError(
        type: "ExpiredCodeException", message: "Invalid code provided, please request a code again.")
    static let codeAttemptsExceeded = CognitoError(
        type: "LimitExceededException", message: "Attempt limit exceeded, please try after some time.")
    static let softwareTokenMismatch = CognitoError(
        type: "EnableSoftwareTokenMFAException", message: "Code mismatch")
    static let usernameExists = CognitoError(type: "UsernameExistsException", message: "User already exists")
    static let userNotFound = CognitoError(type: "UserNotFoundException", message: "User does not exist.")
    static let passwordResetRequired = CognitoError(
        type: "PasswordResetRequiredException", message: "Password reset required for the user")
    static let groupExists = CognitoError(
        type: "GroupExistsException", message: "A group with the name already exists.")
    static let groupNotFound = CognitoError(type: "ResourceNotFoundException", message: "Group not found.")

    static func invalidPassword(_ reason: String) -> CognitoError {
        CognitoError(type: "InvalidPasswordException", message: "Password did not conform with policy: \(reason)")
    }

    /// Admin operations from a server that is not bound to loopback (see `LoopbackGate`).
    static let adminNotLocal = CognitoError(
        type: "AccessDeniedException",
        message: "handset-cloud accepts admin operations only when it listens on a loopback address, or signed "
            + "(SigV4) with an access key of serve --admin-credentials")

    /// Admin operations from a browser page or another host, though the server listens on loopback (see
    /// `LoopbackGate`: DNS rebinding).
    static let adminNotLoopbackRequest = CognitoError(
        type: "AccessDeniedException",
        message: "handset-cloud accepts admin operations only from this machine, with Host and Origin naming "
            + "localhost or a loopback address and through no proxy, or signed (SigV4) with an access key of "
            + "serve --admin-credentials")
}
