import Foundation

/// The subset of Amplify's `amplify_outputs.json` that Handset reads (and the local cloud writes).
///
/// Real AWS: `auth` comes from the Cognito user pool, the REST API endpoint from `custom.API.<name>.endpoint`
/// (as Amplify Gen 2 documents for CDK-defined REST APIs). The local cloud adds `custom.handset.cognito_endpoint`
/// so the client sends Cognito calls to it instead of `https://cognito-idp.<region>.amazonaws.com/`.
public struct AmplifyOutputs: Codable, Sendable, Equatable {
    public var version: String
    public var auth: Auth
    public var custom: Custom?

    public init(version: String = "1.3", auth: Auth, custom: Custom?) {
        self.version = version
        self.auth = auth
        self.custom = custom
    }

    public struct Auth: Codable, Sendable, Equatable {
        public var awsRegion: String
        public var userPoolId: String
        public var userPoolClientId: String
        /// Managed login (Amplify Gen 2's `auth.oauth`), when the app client may use it.
        public var oauth: OAuth?

        public init(awsRegion: String, userPoolId: String, userPoolClientId: String, oauth: OAuth? = nil) {
            self.awsRegion = awsRegion
            self.userPoolId = userPoolId
            self.userPoolClientId = userPoolClientId
            self.oauth = oauth
        }

        enum CodingKeys: String, CodingKey {
            case awsRegion = "aws_region"
            case userPoolId = "user_pool_id"
            case userPoolClientId = "user_pool_client_id"
            case oauth
        }
    }

    /// `auth.oauth` as Amplify Gen 2 writes it: the managed-login domain (a host name; the endpoints are
    /// `https://<domain>/oauth2/...`), the scopes, the registered sign-in and sign-out redirects, the response type,
    /// and the social providers among `GOOGLE`, `FACEBOOK`, `LOGIN_WITH_AMAZON`, `SIGN_IN_WITH_APPLE`.
    public struct OAuth: Codable, Sendable, Equatable {
        public var identityProviders: [String]
        public var domain: String
        public var scopes: [String]
        public var redirectSignInURI: [String]
        public var redirectSignOutURI: [String]
        public var responseType: String

        public init(
            identityProviders: [String], domain: String, scopes: [String], redirectSignInURI: [String],
            redirectSignOutURI: [String], responseType: String = "code"
        ) {
            self.identityProviders = identityProviders
            self.domain = domain
            self.scopes = scopes
            self.redirectSignInURI = redirectSignInURI
            self.redirectSignOutURI = redirectSignOutURI
            self.responseType = responseType
        }

        enum CodingKeys: String, CodingKey {
            case identityProviders = "identity_providers"
            case domain, scopes
            case redirectSignInURI = "redirect_sign_in_uri"
            case redirectSignOutURI = "redirect_sign_out_uri"
            case responseType = "response_type"
        }

        /// Amplify's names of Cognito's social provider types.
        public static let socialProviderNames = [
            "Google": "GOOGLE", "Facebook": "FACEBOOK", "LoginWithAmazon": "LOGIN_WITH_AMAZON",
            "SignInWithApple": "SIGN_IN_WITH_APPLE",
        ]
    }

    public struct Custom: Codable, Sendable, Equatable {
        public var api: [String: RestAPI]?
        public var handset: LocalCloud?

        public init(api: [String: RestAPI]?, handset: LocalCloud?) {
            self.api = api
            self.handset = handset
        }

        enum CodingKeys: String, CodingKey {
            case api = "API"
            case handset
        }
    }

    public struct RestAPI: Codable, Sendable, Equatable {
        public var endpoint: String
        public var region: String?
        public var apiName: String?

        public init(endpoint: String, region: String?, apiName: String?) {
            self.endpoint = endpoint
            self.region = region
            self.apiName = apiName
        }
    }

    public struct LocalCloud: Codable, Sendable, Equatable {
        public var cognitoEndpoint: String
        public var apiEndpoint: String?
        /// Where the local cloud's managed login answers (`http://127.0.0.1:<port>`): Amplify's `auth.oauth.domain`
        /// is a host name its libraries reach over https, which a local cloud does not speak.
        public var oauthEndpoint: String?
        /// Every identity provider the app client may sign in with, by the name `identity_provider` takes
        /// (Amplify's `identity_providers` can name only Google, Facebook, Amazon and Apple).
        public var identityProviders: [String]?
        /// RFC 8628's device authorization endpoint: sign-in on another device is the local cloud's extension
        /// (Cognito has none), offered only where the outputs name it.
        public var deviceAuthorizationEndpoint: String?
        /// The one-time codes (`EMAIL_OTP`, `SMS_OTP`) the app client can start a sign-in with (`USER_AUTH`): the
        /// pool's allowed first factors, when the client allows `USER_AUTH`. Empty: the password only. Amplify's
        /// outputs have no such member (a real pool's file leaves it out, and the app cannot tell).
        public var passwordlessFactors: [String]?

        public init(
            cognitoEndpoint: String, apiEndpoint: String?, oauthEndpoint: String? = nil,
            identityProviders: [String]? = nil, deviceAuthorizationEndpoint: String? = nil,
            passwordlessFactors: [String]? = nil
        ) {
            self.cognitoEndpoint = cognitoEndpoint
            self.apiEndpoint = apiEndpoint
            self.oauthEndpoint = oauthEndpoint
            self.identityProviders = identityProviders
            self.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint
            self.passwordlessFactors = passwordlessFactors
        }

        enum CodingKeys: String, CodingKey {
            case cognitoEndpoint = "cognito_endpoint"
            case apiEndpoint = "api_endpoint"
            case oauthEndpoint = "oauth_endpoint"
            case identityProviders = "identity_providers"
            case deviceAuthorizationEndpoint = "device_authorization_endpoint"
            case passwordlessFactors = "passwordless_factors"
        }
    }
}
