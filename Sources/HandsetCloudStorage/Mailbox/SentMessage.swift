/// One code or temporary password "delivered" by email or SMS: what a real pool would have sent.
public struct SentMessage: Codable, Sendable, Equatable {
    /// RFC 3339, from the cloud's clock.
    public var time: String
    public var username: String
    /// `EMAIL` or `SMS`.
    public var medium: String
    /// The address or phone number, unmasked (this is the developer's view of the message).
    public var destination: String
    /// What it is for: `SignUp`, `ResendConfirmationCode`, `ForgotPassword`, `AdminCreateUser`, `EMAIL_OTP`,
    /// `SMS_MFA`, `VerifyUserAttribute`.
    public var purpose: String
    /// The code, or the temporary password for `AdminCreateUser`.
    public var code: String
    /// The message text a user would read.
    public var message: String

    public init(
        time: String, username: String, medium: String, destination: String, purpose: String, code: String,
        message: String
    ) {
        self.time = time
        self.username = username
        self.medium = medium
        self.destination = destination
        self.purpose = purpose
        self.code = code
        self.message = message
    }
}
