import Foundation
import HandsetWire

/// The pool's managed login (Cognito's hosted UI) as the client reaches it: from Amplify's `auth.oauth` (on AWS,
/// `https://<domain>`), or from `custom.handset.oauth_endpoint` for the local cloud.
public struct HostedUIConfiguration: Sendable, Equatable {
    /// The base of `/oauth2/authorize`, `/oauth2/token`, `/logout`, `/oauth2/device_authorization`.
    public var endpoint: URL
    public var scopes: [String]
    /// The registered sign-in redirects; a loopback one (`http://127.0.0.1/…`, `http://localhost:<port>/…`) is
    /// where `handset login --web` listens.
    public var redirectSignIn: [String]
    public var redirectSignOut: [String]
    /// Providers by the name `identity_provider` takes (`Google`, or a configured OpenID Connect provider).
    public var identityProviders: [String]
    /// Where sign-in on another device starts (RFC 8628); nil where the pool has none (Cognito itself).
    public var deviceAuthorizationEndpoint: URL?

    public init(
        endpoint: URL, scopes: [String], redirectSignIn: [String], redirectSignOut: [String],
        identityProviders: [String], deviceAuthorizationEndpoint: URL? = nil
    ) {
        self.endpoint = endpoint
        self.scopes = scopes
        self.redirectSignIn = redirectSignIn
        self.redirectSignOut = redirectSignOut
        self.identityProviders = identityProviders
        self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
    }

    /// Cognito's provider names for Amplify's social provider names.
    static let cognitoNames = [
        "GOOGLE": "Google", "FACEBOOK": "Facebook", "LOGIN_WITH_AMAZON": "LoginWithAmazon",
        "SIGN_IN_WITH_APPLE": "SignInWithApple",
    ]

    /// From Amplify outputs; nil without `auth.oauth`.
    public init?(outputs: AmplifyOutputs) throws {
        guard let oauth = outputs.auth.oauth else { return nil }
        let base: String
        if let local = outputs.custom?.handset?.oauthEndpoint {
            base = local
        } else {
            base = oauth.domain.contains("://") ? oauth.domain : "https://" + oauth.domain
        }
        guard let url = URL(string: base.hasSuffix("/") ? String(base.dropLast()) : base), url.host != nil else {
            throw ConfigurationError("auth.oauth.domain \"\(oauth.domain)\" is not a host name")
        }
        var providers = oauth.identityProviders.map { Self.cognitoNames[$0] ?? $0 }
        for name in outputs.custom?.handset?.identityProviders ?? [] where !providers.contains(name) {
            providers.append(name)
        }
        var device: URL?
        if let text = outputs.custom?.handset?.deviceAuthorizationEndpoint {
            guard let parsed = URL(string: text), parsed.scheme == "http" || parsed.scheme == "https",
                parsed.host != nil
            else {
                throw ConfigurationError("custom.handset.device_authorization_endpoint \"\(text)\" is not a URL")
            }
            device = parsed
        }
        self.init(
            endpoint: url, scopes: oauth.scopes, redirectSignIn: oauth.redirectSignInURI,
            redirectSignOut: oauth.redirectSignOutURI, identityProviders: providers, deviceAuthorizationEndpoint: device
        )
    }

    /// The first registered redirect a terminal can listen on: `http` to a loopback host.
    public static func loopback(in uris: [String]) -> URLComponents? {
        let candidates = uris.compactMap(URLComponents.init(string:)).filter {
            $0.scheme == "http" && ["127.0.0.1", "localhost", "[::1]", "::1"].contains($0.host ?? "")
        }
        return candidates.first { $0.host == "127.0.0.1" } ?? candidates.first
    }
}
