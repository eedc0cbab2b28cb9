import Foundation

/// A pending step of a sign-in: what the client must answer next, for whom, until when.
package struct ChallengeSession: Sendable, Equatable {
    /// SHA-256 (hex) of the `Session` string; the string itself is never stored.
    package var idHash: String
    package var clientId: String
    /// The username as the client typed it.
    package var username: String
    /// `nil` for the decoy session of an unknown user.
    package var userSub: String?
    package var challenge: String
    package var state: ChallengeState
    package var createdAt: Date
    package var expiresAt: Date

    package init(
        idHash: String, clientId: String, username: String, userSub: String?, challenge: String,
        state: ChallengeState, createdAt: Date, expiresAt: Date
    ) {
        self.idHash = idHash
        self.clientId = clientId
        self.username = username
        self.userSub = userSub
        self.challenge = challenge
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What a challenge session remembers between requests (stored as JSON).
package struct ChallengeState: Codable, Sendable, Equatable {
    /// SHA-256 of the one-time code sent for SMS_MFA or EMAIL_OTP.
    package var codeHash: String?
    /// The TOTP secret (base32) handed out by AssociateSoftwareToken during MFA_SETUP.
    package var pendingTOTPSecret: String?
    /// Set once VerifySoftwareToken accepted a code during MFA_SETUP.
    package var totpSetupVerified: Bool?
    /// Second factors offered by SELECT_MFA_TYPE.
    package var choices: [String]?
    /// A decoy PASSWORD_VERIFIER: the username does not exist.
    package var decoy: Bool?
    /// SRP_A (public) as the client sent it to InitiateAuth, needed to check its PASSWORD_VERIFIER answer.
    package var clientPublicValue: String?
    /// SRP_B (public) as handed out, so that the answer is checked without recomputing it.
    package var serverPublicValue: String?
    /// The device key the client named when it started (DEVICE_KEY); during DEVICE_SRP_AUTH and
    /// DEVICE_PASSWORD_VERIFIER, the device being proven.
    package var deviceKey: String?
    /// A device that proved itself during this sign-in (DEVICE_PASSWORD_VERIFIER), carried through the second
    /// factor that may still follow, so the tokens name it.
    package var provenDeviceKey: String?

    package init(
        codeHash: String? = nil, pendingTOTPSecret: String? = nil, totpSetupVerified: Bool? = nil,
        choices: [String]? = nil, decoy: Bool? = nil, clientPublicValue: String? = nil,
        serverPublicValue: String? = nil, deviceKey: String? = nil, provenDeviceKey: String? = nil
    ) {
        self.deviceKey = deviceKey
        self.provenDeviceKey = provenDeviceKey
        self.clientPublicValue = clientPublicValue
        self.serverPublicValue = serverPublicValue
        self.codeHash = codeHash
        self.pendingTOTPSecret = pendingTOTPSecret
        self.totpSetupVerified = totpSetupVerified
        self.choices = choices
        self.decoy = decoy
    }

    /// The state as stored (JSON text).
    package var encoded: String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The state from its stored text; an unreadable one (from a damaged row) is empty.
    package init(encoded text: String) {
        self = (try? JSONDecoder().decode(ChallengeState.self, from: Data(text.utf8))) ?? ChallengeState()
    }
}
