import Foundation
import HandsetModel
import HandsetWire

/// One call to Cognito the driver must make, and whose answer goes back into the machine.
public struct CognitoCall: Sendable, Equatable {
    public var operation: String
    public var body: JSONValue

    public init(operation: String, body: JSONValue) {
        self.operation = operation
        self.body = body
    }
}

extension CognitoCall: CustomStringConvertible {
    // Bodies hold passwords, codes and SRP values: never print them.
    public var description: String { "CognitoCall(\(operation))" }
}

/// What the sign-in machine wants done next.
public enum SignInAction: Sendable, Equatable {
    case call(CognitoCall)
    case prompt(SignInPrompt, error: String?)
    case signedIn(AuthenticationResult)
    case failed(SignInFailure)
}

/// Why a sign-in stopped.
public struct SignInFailure: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Wrong username or password (Cognito does not say which).
        case notAuthorized
        /// Too many attempts: Cognito's lockout, or throttling.
        case lockedOut
        case userNotConfirmed
        case passwordResetRequired
        /// The challenge session timed out (3 minutes): start again.
        case sessionExpired
        /// No answer from Cognito.
        case offline
        case other
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Cognito's names for a second factor's answer and choice.
extension MFAMethod {
    /// The ChallengeResponses key that carries the code.
    var codeKey: String {
        switch self {
        case .totp: return "SOFTWARE_TOKEN_MFA_CODE"
        case .sms: return "SMS_MFA_CODE"
        case .email: return "EMAIL_OTP_CODE"
        }
    }

    /// Reads Cognito's names, including EMAIL_MFA, which some AWS documents use for EMAIL_OTP.
    init?(cognitoName: String) {
        if cognitoName == "EMAIL_MFA" {
            self = .email
        } else {
            self.init(rawValue: cognitoName)
        }
    }
}
