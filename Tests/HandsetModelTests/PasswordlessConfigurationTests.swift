import Foundation
import HandsetWire
import Testing

@testable import HandsetModel

/// Whether the app offers a sign-in with a code, as amplify_outputs.json says: the local cloud names the codes the
/// app client can use (`custom.handset.passwordless_factors`); a real pool's file does not say.
@Suite struct PasswordlessConfigurationTests {
    static func outputs(handset: String) -> String {
        """
        {
          "version": "1.3",
          "auth": {"aws_region": "us-east-1", "user_pool_id": "us-east-1_Local123", "user_pool_client_id": "client"},
          "custom": {"handset": {"cognito_endpoint": "http://127.0.0.1:8080/", "api_endpoint": "http://127.0.0.1:8080/api"\(handset)}}
        }
        """
    }

    @Test func theLocalCloudsOutputsDecide() throws {
        let none = try HostedUIConfigurationTests.configuration(Self.outputs(handset: #", "passwordless_factors": []"#))
        #expect(none.passwordlessFactors == [] && !none.offersSignInWithCode)
        let email = try HostedUIConfigurationTests.configuration(
            Self.outputs(handset: #", "passwordless_factors": ["EMAIL_OTP"]"#))
        #expect(email.passwordlessFactors == ["EMAIL_OTP"] && email.offersSignInWithCode)
    }

    @Test func signUpWithoutAPasswordOnlyWhereAnEmailedCodeSignsIn() throws {
        for (factors, allowed) in [("[]", false), (#"["SMS_OTP"]"#, false), (#"["SMS_OTP", "EMAIL_OTP"]"#, true)] {
            let configuration = try HostedUIConfigurationTests.configuration(
                Self.outputs(handset: #", "passwordless_factors": "# + factors))
            #expect(configuration.allowsSignUpWithoutPassword == allowed, "\(factors)")
        }
        let silent = try HostedUIConfigurationTests.configuration(Self.outputs(handset: ""))
        #expect(!silent.allowsSignUpWithoutPassword, "a pool that does not say gets a password")
    }

    @Test func outputsThatDoNotSayLeaveTheOfferToThePool() throws {
        let silent = try HostedUIConfigurationTests.configuration(Self.outputs(handset: ""))
        #expect(silent.passwordlessFactors == nil && silent.offersSignInWithCode)
        let aws = try HostedUIConfigurationTests.configuration(HostedUIConfigurationTests.awsOutputs)
        #expect(aws.offersSignInWithCode)
    }
}
