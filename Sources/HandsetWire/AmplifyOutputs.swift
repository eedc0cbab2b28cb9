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

        public init(awsRegion: String, userPoolId: String, userPoolClientId: String) {
            self.awsRegion = awsRegion
            self.userPoolId = userPoolId
            self.userPoolClientId = userPoolClientId
        }

        enum CodingKeys: String, CodingKey {
            case awsRegion = "aws_region"
            case userPoolId = "user_pool_id"
            case userPoolClientId = "user_pool_client_id"
        }
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

        public init(cognitoEndpoint: String, apiEndpoint: String?) {
            self.cognitoEndpoint = cognitoEndpoint
            self.apiEndpoint = apiEndpoint
        }

        enum CodingKeys: String, CodingKey {
            case cognitoEndpoint = "cognito_endpoint"
            case apiEndpoint = "api_endpoint"
        }
    }
}
