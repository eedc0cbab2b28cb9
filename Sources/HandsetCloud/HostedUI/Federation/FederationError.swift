import HandsetCloudStorage
/// Why a sign-in through a third-party provider failed, in words for the person at the browser (no secrets, no
/// token contents).
enum FederationError: Error, Equatable {
    case unknownProvider
    case providerUnreachable
    case providerAnswer(String)
    /// The provider's ID token failed a check (signature, issuer, audience, nonce, expiry).
    case rejectedToken(String)
    /// The `state` is unknown, used, expired, or from another browser.
    case invalidState
    /// The provider said no (`error=access_denied`, …).
    case providerRefused(String)

    var message: String {
        switch self {
        case .unknownProvider: "That identity provider is not configured for this pool."
        case .providerUnreachable: "The identity provider could not be reached. Try again later."
        case .providerAnswer(let detail): "The identity provider gave an answer that cannot be used: \(detail)."
        case .rejectedToken(let reason): "The identity provider's sign-in could not be verified (\(reason))."
        case .invalidState: "This sign-in link has expired or was already used. Start again."
        case .providerRefused(let error): "The identity provider did not sign you in (\(error))."
        }
    }
}
