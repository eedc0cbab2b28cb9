import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandsetCloud

/// Cognito's configuration operations, persisted in pool.json and in force at once.
@Suite("Pool configuration operations")
struct PoolConfigurationOperationsTests {
    @Test("app clients: create, describe, list, update (omitted members reset), delete; pool.json follows")
    func clients() async throws {
        try await withCloud(demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            let created = try await client.call(
                "CreateUserPoolClient",
                [
                    "UserPoolId": poolId, "ClientName": "web", "GenerateSecret": true,
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    "CallbackURLs": ["https://app.example/cb", "http://localhost:3000/"],
                    "LogoutURLs": ["https://app.example/bye"], "AllowedOAuthFlows": ["code"],
                    "AllowedOAuthScopes": ["openid", "email"], "AllowedOAuthFlowsUserPoolClient": true,
                    "SupportedIdentityProviders": ["COGNITO"], "AccessTokenValidity": 30, "IdTokenValidity": 30,
                    "TokenValidityUnits": ["AccessToken": "minutes", "IdToken": "minutes"],
                ])
            #expect(created.status == .ok, "\(created.text)")
            let wire = try #require(try created.jsonObject["UserPoolClient"] as? [String: Any])
            let id = try #require(wire["ClientId"] as? String)
            #expect(id.count == 26)
            #expect((wire["ClientSecret"] as? String)?.count == 51)
            #expect(wire["CallbackURLs"] as? [String] == ["https://app.example/cb", "http://localhost:3000/"])
            #expect(wire["AccessTokenValidity"] as? Int == 30)

            let stored = try PoolConfiguration.load(from: fixture.dataDirectory)
            #expect(stored.client(id: id)?.callbackURLs.first == "https://app.example/cb")
            #expect(stored.tokenLifetimes(for: try #require(stored.client(id: id))).accessTokenSeconds == 1800)

            let described = try await client.call("DescribeUserPoolClient", ["UserPoolId": poolId, "ClientId": id])
            #expect((try described.jsonObject["UserPoolClient"] as? [String: Any])?["ClientName"] as? String == "web")
            let listed = try await client.call("ListUserPoolClients", ["UserPoolId": poolId, "MaxResults": 1])
            #expect((try listed.jsonObject["UserPoolClients"] as? [Any])?.count == 1)
            #expect(try listed.jsonObject["NextToken"] != nil)

            let updated = try await client.call(
                "UpdateUserPoolClient", ["UserPoolId": poolId, "ClientId": id, "ClientName": "web2"])
            #expect(updated.status == .ok, "\(updated.text)")
            let after = try #require(try updated.jsonObject["UserPoolClient"] as? [String: Any])
            #expect(after["CallbackURLs"] as? [String] == [], "Cognito resets what an update leaves out")
            #expect(after["ClientSecret"] as? String == wire["ClientSecret"] as? String)

            let deleted = try await client.call("DeleteUserPoolClient", ["UserPoolId": poolId, "ClientId": id])
            #expect(deleted.status == .ok)
            let gone = try await client.call("DescribeUserPoolClient", ["UserPoolId": poolId, "ClientId": id])
            try gone.expectError("ResourceNotFoundException")
            let last = try await client.call(
                "DeleteUserPoolClient", ["UserPoolId": poolId, "ClientId": fixture.clientId])
            try last.expectError("InvalidParameterException")
        }
    }

    @Test("Cognito's rules for client settings are enforced")
    func clientRules() async throws {
        try await withCloud(demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            for (settings, error) in [
                (["CallbackURLs": ["http://app.example/cb"]], "InvalidParameterException"),
                (["CallbackURLs": ["https://app.example/cb#x"]], "InvalidParameterException"),
                (["SupportedIdentityProviders": ["Nobody"]], "InvalidParameterException"),
                (
                    [
                        "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["a/b"],
                        "AllowedOAuthFlowsUserPoolClient": true,
                    ], "InvalidParameterException"
                ),
                (
                    [
                        "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                        "AllowedOAuthFlowsUserPoolClient": true,
                    ],
                    "InvalidParameterException"
                ),
                (["AllowedOAuthScopes": ["superpowers"]], "ScopeDoesNotExistException"),
                (["ExplicitAuthFlows": ["ALLOW_EVERYTHING"]], "InvalidParameterException"),
                (
                    ["AccessTokenValidity": 2, "TokenValidityUnits": ["AccessToken": "days"]],
                    "InvalidParameterException"
                ),
                // Found by hand while writing the fuzz target: a validity times its unit overflowed and crashed the
                // server.
                (
                    ["AccessTokenValidity": 4_000_000_000_000_000_000, "TokenValidityUnits": ["AccessToken": "days"]],
                    "InvalidParameterException"
                ),
                (["RefreshTokenValidity": 2_000_000_000_000_000], "InvalidParameterException"),
                (["IdTokenValidity": -4_000_000_000_000_000_000], "InvalidParameterException"),
            ] as [([String: Any], String)] {
                var request: [String: Any] = ["UserPoolId": poolId, "ClientName": "x"]
                request.merge(settings) { $1 }
                let response = try await client.call("CreateUserPoolClient", request)
                try response.expectError(error)
            }
            let otherPool = try await client.call(
                "CreateUserPoolClient", ["UserPoolId": "us-east-1_Nope", "ClientName": "x"])
            try otherPool.expectError("ResourceNotFoundException")
        }
    }

    @Test("a client created at run time is known to the authorizer at once, and forgotten when deleted")
    func liveClients() async throws {
        try await withCloud { client, fixture in
            let created = try await client.call(
                "CreateUserPoolClient",
                [
                    "UserPoolId": fixture.pool.userPoolId, "ClientName": "cli",
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                ])
            let id = try #require((try created.jsonObject["UserPoolClient"] as? [String: Any])?["ClientId"] as? String)
            let signIn = try await client.initiateAuth(
                clientId: id, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": DemoData.alice.user.password])
            let tokens = try signIn.tokens()
            #expect(try await client.get("/api/tasks?limit=1", token: tokens.idToken).status == .ok)
            _ = try await client.call("DeleteUserPoolClient", ["UserPoolId": fixture.pool.userPoolId, "ClientId": id])
            #expect(try await client.get("/api/tasks?limit=1", token: tokens.idToken).status == .unauthorized)
        }
    }

    @Test("domain, identity providers, the pool: create, describe, update, list, delete")
    func domainProvidersPool() async throws {
        try await withCloud(demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            let existing = try #require(fixture.pool.domain)
            let described = try await client.call("DescribeUserPoolDomain", ["Domain": existing])
            let description = try #require(try described.jsonObject["DomainDescription"] as? [String: Any])
            #expect(description["UserPoolId"] as? String == poolId && description["Status"] as? String == "ACTIVE")
            let unknown = try await client.call("DescribeUserPoolDomain", ["Domain": "nope"])
            #expect((try unknown.jsonObject["DomainDescription"] as? [String: Any])?.isEmpty == true)
            try await client.call("CreateUserPoolDomain", ["UserPoolId": poolId, "Domain": "second"])
                .expectError("InvalidParameterException")
            #expect(
                try await client.call("DeleteUserPoolDomain", ["UserPoolId": poolId, "Domain": existing]).status == .ok)
            try await client.call("CreateUserPoolDomain", ["UserPoolId": poolId, "Domain": "Bad_Domain"])
                .expectError("InvalidParameterException")
            #expect(
                try await client.call("CreateUserPoolDomain", ["UserPoolId": poolId, "Domain": "my-app"]).status == .ok)
            #expect(try PoolConfiguration.load(from: fixture.dataDirectory).domain == "my-app")

            let details: [String: String] = [
                "client_id": "abc", "client_secret": "shh", "authorize_scopes": "openid email",
                "oidc_issuer": "https://idp.example", "attributes_request_method": "GET",
            ]
            let created = try await client.call(
                "CreateIdentityProvider",
                [
                    "UserPoolId": poolId, "ProviderName": "Corp", "ProviderType": "OIDC", "ProviderDetails": details,
                    "AttributeMapping": ["email": "email"], "IdpIdentifiers": ["corp.example"],
                ])
            #expect(created.status == .ok, "\(created.text)")
            try await client.call(
                "CreateIdentityProvider",
                ["UserPoolId": poolId, "ProviderName": "Corp", "ProviderType": "OIDC", "ProviderDetails": details]
            ).expectError("DuplicateProviderException")
            try await client.call(
                "CreateIdentityProvider",
                ["UserPoolId": poolId, "ProviderName": "Bad_Name", "ProviderType": "OIDC", "ProviderDetails": details]
            ).expectError("InvalidParameterException")
            try await client.call(
                "CreateIdentityProvider",
                ["UserPoolId": poolId, "ProviderName": "Saml", "ProviderType": "SAML", "ProviderDetails": details]
            ).expectError("InvalidParameterException")
            let updated = try await client.call(
                "UpdateIdentityProvider",
                ["UserPoolId": poolId, "ProviderName": "Corp", "AttributeMapping": ["name": "name"]])
            let provider = try #require(try updated.jsonObject["IdentityProvider"] as? [String: Any])
            #expect(provider["AttributeMapping"] as? [String: String] == ["name": "name"])
            #expect((provider["ProviderDetails"] as? [String: String])?["client_id"] == "abc")
            let listed = try await client.call("ListIdentityProviders", ["UserPoolId": poolId, "MaxResults": 10])
            #expect(
                (try listed.jsonObject["Providers"] as? [[String: Any]])?.first?["ProviderName"] as? String == "Corp")
            #expect(try PoolConfiguration.load(from: fixture.dataDirectory).identityProvider(named: "Corp") != nil)
            let describedProvider = try await client.call(
                "DescribeIdentityProvider", ["UserPoolId": poolId, "ProviderName": "Corp"])
            #expect(describedProvider.status == .ok)
            #expect(
                try await client.call("DeleteIdentityProvider", ["UserPoolId": poolId, "ProviderName": "Corp"]).status
                    == .ok)
            try await client.call("DescribeIdentityProvider", ["UserPoolId": poolId, "ProviderName": "Corp"])
                .expectError("ResourceNotFoundException")

            let pool = try await client.call("DescribeUserPool", ["UserPoolId": poolId])
            let wire = try #require(try pool.jsonObject["UserPool"] as? [String: Any])
            #expect(wire["Id"] as? String == poolId && wire["Domain"] as? String == "my-app")
            #expect((wire["Arn"] as? String)?.hasSuffix("userpool/\(poolId)") == true)
            let pools = try await client.call("ListUserPools", ["MaxResults": 10])
            #expect((try pools.jsonObject["UserPools"] as? [[String: Any]])?.first?["Id"] as? String == poolId)
            try await client.call("ListUserPools", [:]).expectError("InvalidParameterException")
        }
    }

    @Test(
        "UpdateUserPool sets DeviceConfiguration and the sign-in policy, DescribeUserPool shows them, they are stored",
        arguments: TestBackend.allCases)
    func deviceAndSignInPolicy(backend: TestBackend) async throws {
        try await withCloud(backend: backend, demo: false) { client, fixture in
            let poolId = fixture.pool.userPoolId
            func describe() async throws -> [String: Any] {
                let described = try await client.call("DescribeUserPool", ["UserPoolId": poolId])
                return try #require(try described.jsonObject["UserPool"] as? [String: Any])
            }
            let before = try await describe()
            #expect(before["DeviceConfiguration"] == nil, "a new pool tracks no devices")
            let beforePolicies = try #require(before["Policies"] as? [String: Any])
            #expect(
                (beforePolicies["SignInPolicy"] as? [String: Any])?["AllowedFirstAuthFactors"] as? [String]
                    == ["PASSWORD"])

            let updated = try await client.call(
                "UpdateUserPool",
                [
                    "UserPoolId": poolId,
                    "DeviceConfiguration": [
                        "ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": true,
                    ],
                    "Policies": ["SignInPolicy": ["AllowedFirstAuthFactors": ["EMAIL_OTP", "PASSWORD", "SMS_OTP"]]],
                ])
            #expect(updated.status == .ok, "\(updated.text)")
            let after = try await describe()
            let devices = try #require(after["DeviceConfiguration"] as? [String: Any])
            #expect(devices["ChallengeRequiredOnNewDevice"] as? Bool == true)
            #expect(devices["DeviceOnlyRememberedOnUserPrompt"] as? Bool == true)
            let policies = try #require(after["Policies"] as? [String: Any])
            #expect(
                (policies["SignInPolicy"] as? [String: Any])?["AllowedFirstAuthFactors"] as? [String]
                    == ["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
            // In the storage: what a restart (or another instance) reads.
            let stored = try PoolConfiguration.decode(try await fixture.storage.settings.document(.pool) { Data() })
            #expect(
                stored.deviceConfiguration
                    == DeviceConfiguration(challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true))
            #expect(stored.allowedFirstAuthFactors == ["PASSWORD", "EMAIL_OTP", "SMS_OTP"])

            // Left out, both go back to their defaults, as Cognito's UpdateUserPool does.
            #expect(try await client.call("UpdateUserPool", ["UserPoolId": poolId]).status == .ok)
            let reset = try await describe()
            #expect(reset["DeviceConfiguration"] == nil)
            #expect(
                ((reset["Policies"] as? [String: Any])?["SignInPolicy"] as? [String: Any])?["AllowedFirstAuthFactors"]
                    as? [String] == ["PASSWORD"])

            for factors in [["EMAIL_OTP"], ["PASSWORD", "WEB_AUTHN"], ["PASSWORD", "TOTP"], [String]()] {
                try await client.call(
                    "UpdateUserPool",
                    ["UserPoolId": poolId, "Policies": ["SignInPolicy": ["AllowedFirstAuthFactors": factors]]]
                ).expectError("InvalidParameterException")
            }
        }
    }

    @Test("a change made by hand to pool.json is seen by the running cloud at its next request")
    func handEdits() async throws {
        try await withCloud(demo: false) { client, fixture in
            var pool = try PoolConfiguration.load(from: fixture.dataDirectory)
            pool.name = "renamed by hand"
            try pool.fileContents().write(to: fixture.dataDirectory.poolConfiguration)
            let described = try await client.call("DescribeUserPool", ["UserPoolId": pool.userPoolId])
            #expect((try described.jsonObject["UserPool"] as? [String: Any])?["Name"] as? String == "renamed by hand")
        }
    }

    @Test("amplify outputs: auth.oauth as Amplify Gen 2 writes it, and the local endpoint and providers")
    func amplifyOutputs() throws {
        var pool = PoolConfiguration.generate()
        pool.identityProviders = [
            IdentityProviderConfiguration(providerName: "Google", providerType: "Google", providerDetails: [:]),
            IdentityProviderConfiguration(providerName: "Corp", providerDetails: [:]),
        ]
        pool.clients[0].supportedIdentityProviders = ["COGNITO", "Google", "Corp"]
        let endpoints = CloudEndpoints(
            baseURL: "http://127.0.0.1:8900", port: 8900, region: "us-east-1", userPoolId: pool.userPoolId,
            userPoolClientId: pool.defaultClient.clientId, issuer: "x", outputsFile: URL(fileURLWithPath: "/dev/null"),
            demoUsers: []
        ).withOAuth(of: pool)
        let data = try JSONEncoder().encode(endpoints.amplifyOutputs)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let oauth = try #require((json["auth"] as? [String: Any])?["oauth"] as? [String: Any])
        #expect(oauth["domain"] as? String == "127.0.0.1:8900")
        #expect(oauth["identity_providers"] as? [String] == ["GOOGLE"])
        #expect(oauth["response_type"] as? String == "code")
        #expect(oauth["redirect_sign_in_uri"] as? [String] == AppClient.localCallbackURLs)
        #expect(oauth["redirect_sign_out_uri"] as? [String] == AppClient.localLogoutURLs)
        #expect(oauth["scopes"] as? [String] == AppClient.standardScopes)
        let handset = try #require((json["custom"] as? [String: Any])?["handset"] as? [String: Any])
        #expect(handset["oauth_endpoint"] as? String == "http://127.0.0.1:8900")
        #expect(
            handset["device_authorization_endpoint"] as? String == "http://127.0.0.1:8900/oauth2/device_authorization")
        #expect(handset["identity_providers"] as? [String] == ["Google", "Corp"])
        #expect(handset["passwordless_factors"] as? [String] == [], "the password only, by default")
    }

    @Test("amplify outputs name the codes the first client can sign in with: the pool's factors, with USER_AUTH")
    func passwordlessFactors() throws {
        var pool = PoolConfiguration.generate()
        func factors() throws -> [String]? {
            let endpoints = CloudEndpoints(
                baseURL: "http://127.0.0.1:8900", port: 8900, region: "us-east-1", userPoolId: pool.userPoolId,
                userPoolClientId: pool.defaultClient.clientId, issuer: "x",
                outputsFile: URL(fileURLWithPath: "/dev/null"), demoUsers: []
            ).withOAuth(of: pool)
            let data = try JSONEncoder().encode(endpoints.amplifyOutputs)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return ((json["custom"] as? [String: Any])?["handset"] as? [String: Any])?["passwordless_factors"]
                as? [String]
        }
        pool.allowedFirstAuthFactors = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
        #expect(try factors() == [], "the client does not allow USER_AUTH")
        pool.clients[0].allowedFlows.append("USER_AUTH")
        #expect(try factors() == ["EMAIL_OTP", "SMS_OTP"])
        pool.allowedFirstAuthFactors = ["PASSWORD", "SMS_OTP"]
        #expect(try factors() == ["SMS_OTP"])
        pool.allowedFirstAuthFactors = ["PASSWORD"]
        #expect(try factors() == [])
    }
}
