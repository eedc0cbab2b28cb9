/// A way to sign in besides username and password, offered under the sign-in form: an identity provider through
/// the pool's managed login in a browser, or another device (a phone) approving a code.
public enum ExternalSignInOption: Sendable, Equatable {
    case provider(String)
    case otherDevice

    public var label: String {
        switch self {
        case .provider(let name): "Sign in with \(name)"
        case .otherDevice: "Sign in on another device"
        }
    }

    /// The options a profile's configuration allows: each provider (when the app client has managed login at
    /// all), then another device (when the pool offers device sign-in).
    public static func available(providers: [String], hostedUI: Bool, deviceSignIn: Bool) -> [ExternalSignInOption] {
        guard hostedUI else { return [] }
        return providers.map(ExternalSignInOption.provider) + (deviceSignIn ? [.otherDevice] : [])
    }
}
