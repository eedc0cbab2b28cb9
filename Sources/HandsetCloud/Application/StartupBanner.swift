/// The lines `handset-cloud serve` prints once it listens. The first one is what scripts and tests wait for.
public enum StartupBanner {
    public static func lines(for endpoints: CloudEndpoints) -> [String] {
        var lines = [
            "handset-cloud listening on \(endpoints.baseURL)",
            "  cognito endpoint: \(endpoints.cognitoEndpoint)",
            "  api endpoint:     \(endpoints.apiEndpoint)",
            "  jwks:             \(endpoints.jwksURL)",
            "  outputs file:     \(endpoints.outputsFile.path)",
            "  user pool:        \(endpoints.userPoolId) (region \(endpoints.region))",
            "  app client:       \(endpoints.userPoolClientId)",
        ]
        for user in endpoints.demoUsers {
            lines.append("  demo user:        \(user.username) / \(user.password) (\(user.email)): \(user.covers)")
        }
        if let user = endpoints.demoUsers.first {
            lines.append(
                "  sign in:          aws cognito-idp initiate-auth --endpoint-url \(endpoints.baseURL) "
                    + "--region \(endpoints.region) --no-sign-request --auth-flow USER_PASSWORD_AUTH "
                    + "--client-id \(endpoints.userPoolClientId) "
                    + "--auth-parameters USERNAME=\(user.username),PASSWORD='\(user.password)'")
            if let collection = endpoints.collections.first {
                lines.append(
                    "  then:             curl -H \"Authorization: $ID_TOKEN\" \(endpoints.apiEndpoint)/\(collection)")
            }
        }
        return lines
    }
}
