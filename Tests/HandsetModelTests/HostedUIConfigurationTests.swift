import Foundation
import HandsetWire
import Testing

@testable import HandsetModel

/// Managed login as the client finds it in amplify_outputs.json: a real Cognito pool's (Amplify Gen 2 writes the
/// domain without a scheme and the social providers by Amplify's names) and the local cloud's.
@Suite struct HostedUIConfigurationTests {
    static let awsOutputs = """
        {
          "version": "1.3",
          "auth": {
            "aws_region": "eu-west-1", "user_pool_id": "eu-west-1_AbCdEf123",
            "user_pool_client_id": "3n4b5urk1ft4fl3mg5e62d9ado",
            "oauth": {
              "identity_providers": ["GOOGLE", "SIGN_IN_WITH_APPLE", "Okta"],
              "domain": "handset-demo.auth.eu-west-1.amazoncognito.com",
              "scopes": ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
              "redirect_sign_in_uri": ["myapp://callback/", "http://localhost:8765/callback"],
              "redirect_sign_out_uri": ["myapp://signout/", "http://localhost:8765/signed-out"],
              "response_type": "code"
            }
          },
          "custom": {"API": {"handset": {"endpoint": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"}}}
        }
        """

    static func configuration(_ json: String) throws -> ClientConfiguration {
        try ClientConfiguration(outputs: JSONDecoder().decode(AmplifyOutputs.self, from: Data(json.utf8)))
    }

    @Test func aRealPoolsOutputsPointAtItsDomainOverHTTPS() throws {
        let hostedUI = try #require(try Self.configuration(Self.awsOutputs).hostedUI)
        #expect(hostedUI.endpoint.absoluteString == "https://handset-demo.auth.eu-west-1.amazoncognito.com")
        #expect(hostedUI.identityProviders == ["Google", "SignInWithApple", "Okta"])
        #expect(hostedUI.scopes.contains("openid"))
        #expect(hostedUI.deviceAuthorizationEndpoint == nil, "Cognito has no device sign-in")
        // The terminal listens where the app client allows a loopback redirect, on that registered port.
        let loopback = try #require(HostedUIConfiguration.loopback(in: hostedUI.redirectSignIn))
        #expect(loopback.host == "localhost" && loopback.port == 8765 && loopback.path == "/callback")
        #expect(HostedUIConfiguration.loopback(in: ["myapp://callback/", "https://app.example/cb"]) == nil)
    }

    @Test func theLocalCloudsEndpointAndProvidersWin() throws {
        var json = Self.awsOutputs.replacingOccurrences(
            of: #""custom": {"#,
            with:
                #""custom": {"handset": {"cognito_endpoint": "http://127.0.0.1:8900/", "api_endpoint": "http://127.0.0.1:8900/api", "oauth_endpoint": "http://127.0.0.1:8900/", "identity_providers": ["Corp"], "device_authorization_endpoint": "http://127.0.0.1:8900/oauth2/device_authorization"}, "#
        )
        json = json.replacingOccurrences(
            of: #""identity_providers": ["GOOGLE", "SIGN_IN_WITH_APPLE", "Okta"]"#, with: #""identity_providers": []"#)
        let hostedUI = try #require(try Self.configuration(json).hostedUI)
        #expect(hostedUI.endpoint.absoluteString == "http://127.0.0.1:8900")
        #expect(hostedUI.identityProviders == ["Corp"])
        #expect(
            hostedUI.deviceAuthorizationEndpoint?.absoluteString == "http://127.0.0.1:8900/oauth2/device_authorization")
    }

    @Test func outputsWithoutOAuthHaveNoManagedLoginAndABadDomainIsSaid() throws {
        let without = Self.awsOutputs.replacingOccurrences(of: #""oauth": {"#, with: #""unused": {"#)
        #expect(try Self.configuration(without).hostedUI == nil)
        let bad = Self.awsOutputs.replacingOccurrences(
            of: "handset-demo.auth.eu-west-1.amazoncognito.com", with: "not a host")
        #expect(throws: ConfigurationError.self) { try Self.configuration(bad) }
        let loopbacks = ["http://localhost/cb", "http://127.0.0.1/callback"]
        #expect(HostedUIConfiguration.loopback(in: loopbacks)?.host == "127.0.0.1", "127.0.0.1 is preferred")
    }
}
