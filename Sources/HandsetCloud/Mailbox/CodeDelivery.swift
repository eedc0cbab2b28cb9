import Foundation
import HandsetCloudStorage

/// "Sends" codes and temporary passwords by writing them to the mailbox, and tells the client where they went in
/// Cognito's masked form.
struct CodeDelivery: Sendable {
    let mailbox: any MailboxRepository
    let now: @Sendable () -> Date

    enum Medium: String, Sendable {
        case email = "EMAIL"
        case sms = "SMS"

        var attributeName: String { self == .email ? "email" : "phone_number" }
    }

    /// Writes the message and returns the masked delivery details.
    /// `destination` overrides the user's current address (a new address being verified).
    @discardableResult
    func send(
        code: String, to user: PoolUser, medium: Medium, purpose: String, text: String, destination: String? = nil
    ) async throws -> CodeDeliveryDetailsWire {
        let destination = destination ?? (medium == .email ? user.email : user.phoneNumber) ?? ""
        try await mailbox.append(
            SentMessage(
                time: Timestamp.string(from: now()), username: user.username, medium: medium.rawValue,
                destination: destination, purpose: purpose, code: code, message: text))
        return Self.details(destination: destination, medium: medium)
    }

    /// The medium for account codes: email when the user has one, else SMS; `nil` when neither.
    static func medium(for user: PoolUser) -> Medium? {
        if user.email != nil { return .email }
        if user.phoneNumber != nil { return .sms }
        return nil
    }

    /// The medium for password reset codes: a verified email, else a verified phone number; `nil` when neither.
    static func verifiedMedium(for user: PoolUser) -> Medium? {
        if user.email != nil, user.emailVerified { return .email }
        if user.phoneNumber != nil, user.phoneNumberVerified { return .sms }
        return nil
    }

    static func details(destination: String, medium: Medium) -> CodeDeliveryDetailsWire {
        CodeDeliveryDetailsWire(
            destination: mask(destination, medium: medium), deliveryMedium: medium.rawValue,
            attributeName: medium.attributeName)
    }

    /// `a***@e***` for email (Cognito's shape) and `+*******1234` for phone numbers.
    static func mask(_ destination: String, medium: Medium) -> String {
        switch medium {
        case .email:
            let parts = destination.split(separator: "@", maxSplits: 1)
            guard parts.count == 2, let local = parts[0].first, let domain = parts[1].first else { return "***" }
            return "\(local)***@\(domain)***"
        case .sms:
            let digits = destination.filter { $0.isASCII && $0.isNumber }
            return "+" + String(repeating: "*", count: max(0, digits.count - 4)) + String(digits.suffix(4))
        }
    }
}
