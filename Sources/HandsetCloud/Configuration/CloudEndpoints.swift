import Foundation
import HandsetWire

/// Where a running local cloud answers, as printed at start and written to `amplify_outputs.json`.
public struct CloudEndpoints: Sendable, Equatable {
    /// `http://<host>:<port>`, without a trailing slash.
    public var baseURL: String
    public var port: Int
    public var region: String
    public var userPoolId: String
    public var userPoolClientId: String
    /// The `iss` claim of every token.
    public var issuer: String
    public var outputsFile: URL
    /// The demo users seeded on this start (empty without `--demo`).
    public var demoUsers: [DemoUser]
    /// The API's collections, in the document's order (for the example request in the banner).
    public var collections: [String] = []
    /// Managed login for `auth.oauth`, when the first app client may use it.
    public var oauth: AmplifyOutputs.OAuth? = nil
    /// Every identity provider the first app client may use (`custom.handset.identity_providers`).
    public var identityProviders: [String] = []
    /// Where clients reach the cloud when that is not `baseURL` (`serve --public-url`: a proxy or a load balancer
    /// in front); `amplify_outputs.json` names it, so that clients go through the proxy.
    public var publicBaseURL: String?
    /// The one-time codes the first app client can sign in with (`custom.handset.passwordless_factors`).
    public var passwordlessFactors: [String] = []

    /// Cognito's JSON protocol endpoint (what `--endpoint-url` points at).
    public var cognitoEndpoint: String { baseURL + "/" }
    /// The REST API's base URL.
    public var apiEndpoint: String { baseURL + "/api" }
    /// The pool's public signing keys, on this server.
    public var jwksURL: String { "\(baseURL)/\(userPoolId)/.well-known/jwks.json" }

    /// The `amplify_outputs.json` a client reads to find this cloud: the public address when there is one.
    public var amplifyOutputs: AmplifyOutputs {
        let base = publicBaseURL ?? baseURL
        let apiEndpoint = base + "/api"
        return AmplifyOutputs(
            auth: .init(awsRegion: region, userPoolId: userPoolId, userPoolClientId: userPoolClientId, oauth: oauth),
            custom: .init(
                api: [APIDocument.apiName: .init(endpoint: apiEndpoint, region: region, apiName: APIDocument.apiName)],
                handset: .init(
                    cognitoEndpoint: base + "/", apiEndpoint: apiEndpoint, oauthEndpoint: oauth == nil ? nil : base,
                    identityProviders: oauth == nil ? nil : identityProviders,
                    deviceAuthorizationEndpoint: oauth == nil ? nil : base + "/oauth2/device_authorization",
                    passwordlessFactors: passwordlessFactors)))
    }

    /// The same endpoints with the managed-login parts of a pool configuration (first client).
    func withOAuth(of configuration: PoolConfiguration) -> CloudEndpoints {
        var endpoints = self
        let client = configuration.defaultClient
        endpoints.userPoolClientId = client.clientId
        // A code sign-in is USER_AUTH's: the client must allow it, and the pool must allow the code first.
        endpoints.passwordlessFactors =
            client.allows(flow: "USER_AUTH")
            ? ["EMAIL_OTP", "SMS_OTP"].filter(configuration.allowedFirstAuthFactors.contains) : []
        guard client.allowsOAuth(flow: "code"),
            let host = URLComponents(string: publicBaseURL ?? baseURL).flatMap({ components in
                components.host.map { host in host + (components.port.map { ":\($0)" } ?? "") }
            })
        else {
            endpoints.oauth = nil
            endpoints.identityProviders = []
            return endpoints
        }
        let providers = client.supportedIdentityProviders.filter { $0 != AppClient.cognitoProvider }
        endpoints.identityProviders = providers
        endpoints.oauth = AmplifyOutputs.OAuth(
            identityProviders: providers.compactMap { name in
                configuration.identityProvider(named: name).flatMap {
                    AmplifyOutputs.OAuth.socialProviderNames[$0.providerType]
                }
            }, domain: host, scopes: client.allowedOAuthScopes, redirectSignInURI: client.callbackURLs,
            redirectSignOutURI: client.logoutURLs)
        return endpoints
    }
}
