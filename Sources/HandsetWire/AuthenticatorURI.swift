import Foundation

/// The `otpauth://` URI an authenticator app scans to add an account (the Key URI format):
/// `otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>`.
///
/// The one builder for the sign-in machine's MFA setup step, the account screen and `handset mfa setup`. The label's
/// parts are escaped strictly (a `:` or `?` in a username would otherwise end the label or start the query early).
public enum AuthenticatorURI {
    /// The URI of a time-based code generator for `account`, whose key is `secret` in base32 (as Cognito hands it out).
    public static func totp(secret: String, account: String, issuer: String = "Handset") -> String {
        let escapedIssuer = escape(issuer)
        return "otpauth://totp/\(escapedIssuer):\(escape(account))?secret=\(escape(secret))&issuer=\(escapedIssuer)"
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@")

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
