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
    /// Where clients reach the cloud when that is not `baseURL` (`serve --public-url`: a proxy or a load balancer
    /// in front); `amplify_outputs.json` names it, so that clients go through the proxy.
    public var publicBaseURL: String?

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
            auth: .init(awsRegion: region, userPoolId: userPoolId, userPoolClientId: userPoolClientId),
            custom: .init(
                api: [APIDocument.apiName: .init(endpoint: apiEndpoint, region: region, apiName: APIDocument.apiName)],
                handset: .init(cognitoEndpoint: base + "/", apiEndpoint: apiEndpoint)))
    }
}
