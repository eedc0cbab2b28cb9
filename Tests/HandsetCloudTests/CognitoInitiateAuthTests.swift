import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

@Suite("Cognito InitiateAuth")
struct CognitoInitiateAuthTests {
    @Test("USER_PASSWORD_AUTH returns three tokens; the ID token verifies against the served JWKS")
    func passwordSignIn() async throws {
        try await withCloud { client, fixture in
            let result = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            #expect(result.tokenType == "Bearer")
            #expect(result.expiresIn == 3600)
            let refreshToken = try #require(result.refreshToken)
            #expect(Base64URL.decode(refreshToken)?.count == 32)

            let jwks = try await client.get("/\(fixture.pool.userPoolId)/.well-known/jwks.json")
            #expect(jwks.status == .ok)
            let keys = JWTKeyCollection()
            try await keys.add(jwksJSON: jwks.text)
            let idToken = try await keys.verify(result.idToken, as: IDTokenClaims.self)
            let issuer = try await client.get("/\(fixture.pool.userPoolId)/.well-known/openid-configuration")
                .decode(OpenIDConfiguration.self).issuer

            #expect(idToken.tokenUse == "id")
            #expect(idToken.aud == fixture.clientId)
            #expect(idToken.iss == issuer)
            #expect(idToken.iss.hasSuffix("/\(fixture.pool.userPoolId)"))
            #expect(UUID(uuidString: idToken.sub) != nil)
            #expect(idToken.cognitoUsername == "alice")
            #expect(idToken.email == "alice@example.com")
            #expect(idToken.emailVerified == true)
            #expect(idToken.cognitoGroups == nil, "no groups, no claim")
            let now = Int(fixture.clock.now.timeIntervalSince1970)
            #expect(idToken.iat == now && idToken.authTime == now && idToken.exp == now + 3600)
            #expect(!idToken.jti.isEmpty && !idToken.originJti.isEmpty && !idToken.eventId.isEmpty)

            let accessToken = try await keys.verify(result.accessToken, as: AccessTokenClaims.self)
            #expect(accessToken.tokenUse == "access")
            #expect(accessToken.clientId == fixture.clientId)
            #expect(accessToken.scope == "aws.cognito.signin.user.admin")
            #expect(accessToken.username == "alice")
            #expect(accessToken.sub == idToken.sub)
            #expect(accessToken.originJti == idToken.originJti)
            #expect(accessToken.jti != idToken.jti)

            let header = try #require(result.idToken.split(separator: ".").first.flatMap { Base64URL.decode($0) })
            let fields = try JSONValue.parse(header)
            #expect(fields["alg"] == "RS256")
            let keyID = try await fixture.signingKey().keyID
            #expect(fields["kid"]?.stringValue == keyID)
        }
    }

    @Test("usernames are matched case-insensitively")
    func caseInsensitiveUsername() async throws {
        try await withCloud { client, fixture in
            let result = try await client.signIn("ALICE", "Wonderland-42!", fixture: fixture)
            let claims = try await JWTKeyCollection().unverified(result.idToken, as: IDTokenClaims.self)
            #expect(claims.cognitoUsername == "alice")
        }
    }

    @Test("an unknown user and a wrong password get the same answer")
    func noUserEnumeration() async throws {
        try await withCloud { client, fixture in
            let wrongPassword = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "Wonderland-43!"])
            let unknownUser = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "mallory", "PASSWORD": "Wonderland-42!"])
            #expect(wrongPassword.status == .badRequest)
            #expect(wrongPassword.status == unknownUser.status)
            #expect(wrongPassword.text == unknownUser.text)
            #expect(
                wrongPassword.text
                    == #"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#)
            let errorType = HTTPField.Name(CognitoWire.errorTypeHeader)!
            #expect(wrongPassword.headers[errorType] == "NotAuthorizedException")
            #expect(unknownUser.headers[errorType] == "NotAuthorizedException")
        }
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var name: String
        var operation: String?
        var body: String
        var type: String
        var messageContains: String = ""

        var testDescription: String { name }
    }

    static let badRequests: [BadRequest] = [
        .init(name: "malformed JSON", operation: "InitiateAuth", body: "{not json", type: "SerializationException"),
        .init(name: "empty body", operation: "InitiateAuth", body: "", type: "SerializationException"),
        .init(
            name: "JSON that is not an object", operation: "InitiateAuth", body: "[]", type: "SerializationException"),
        .init(
            name: "parameters of the wrong type", operation: "InitiateAuth",
            body: #"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"x","AuthParameters":"alice"}"#,
            type: "SerializationException"),
        .init(
            name: "missing ClientId", operation: "InitiateAuth",
            body: #"{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{}}"#, type: "InvalidParameterException",
            messageContains: "clientId"),
        .init(name: "missing target", operation: nil, body: "{}", type: "UnknownOperationException"),
        .init(
            name: "unknown operation", operation: "MakeCoffee", body: "{}", type: "UnknownOperationException",
            messageContains: "MakeCoffee"),
        .init(
            name: "operation not served yet", operation: "ListWebAuthnCredentials", body: "{}",
            type: "UnknownOperationException", messageContains: "ListWebAuthnCredentials"),
        .init(
            name: "unknown client", operation: "InitiateAuth",
            body:
                #"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"nosuchclient","#
                + #""AuthParameters":{"USERNAME":"alice","PASSWORD":"x"}}"#,
            type: "ResourceNotFoundException", messageContains: "nosuchclient"),
    ]

    @Test("bad requests get Cognito-style 400s", arguments: badRequests)
    func badRequest(_ request: BadRequest) async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.cognito(request.operation, body: request.body)
            try Self.expectCognitoError(response, type: request.type, messageContains: request.messageContains)
        }
    }

    @Test("a target outside Cognito's service is an unknown operation")
    func foreignTarget() async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.execute(
                uri: "/", method: .post,
                headers: [
                    .contentType: CognitoWire.contentType, HTTPField.Name("X-Amz-Target")!: "DynamoDB_20120810.GetItem",
                ], body: ByteBuffer(string: "{}"))
            try Self.expectCognitoError(response, type: "UnknownOperationException")
        }
    }

    struct FlowCase: Sendable, CustomTestStringConvertible {
        var flow: String
        var parameters: [String: String]
        var type: String
        var messageContains: String
        var testDescription: String { "\(flow) \(parameters.keys.sorted())" }
    }

    @Test(
        "unsupported flows and missing parameters are named",
        arguments: [
            FlowCase(
                flow: "USER_SRP_AUTH", parameters: ["USERNAME": "alice"], type: "InvalidParameterException",
                messageContains: "SRP_A"),
            FlowCase(
                flow: "CUSTOM_AUTH", parameters: ["USERNAME": "alice"], type: "InvalidParameterException",
                messageContains: "Unsupported AuthFlow CUSTOM_AUTH"),
            FlowCase(flow: "MAGIC", parameters: [:], type: "InvalidParameterException", messageContains: "'MAGIC'"),
            FlowCase(
                flow: "USER_PASSWORD_AUTH", parameters: ["PASSWORD": "x"], type: "InvalidParameterException",
                messageContains: "USERNAME"),
            FlowCase(
                flow: "USER_PASSWORD_AUTH", parameters: ["USERNAME": "alice"], type: "InvalidParameterException",
                messageContains: "PASSWORD"),
            FlowCase(
                flow: "REFRESH_TOKEN_AUTH", parameters: [:], type: "InvalidParameterException",
                messageContains: "REFRESH_TOKEN"),
        ])
    func unsupportedFlows(_ flowCase: FlowCase) async throws {
        try await withCloud(demo: false) { client, fixture in
            let response = try await client.initiateAuth(
                clientId: fixture.clientId, flow: flowCase.flow, parameters: flowCase.parameters)
            try Self.expectCognitoError(response, type: flowCase.type, messageContains: flowCase.messageContains)
        }
    }

    @Test("REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN) returns new ID and access tokens only")
    func refresh() async throws {
        try await withCloud { client, fixture in
            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            fixture.clock.advance(by: 600)
            for flow in [CognitoAuthFlow.refreshToken, CognitoAuthFlow.refreshTokenAlias] {
                let response = try await client.initiateAuth(
                    clientId: fixture.clientId, flow: flow, parameters: ["REFRESH_TOKEN": signIn.refreshToken!])
                #expect(response.status == .ok, "\(response.text)")
                #expect(!response.text.contains("RefreshToken"))
                let result = try #require(try response.decode(AuthResponse.self).authenticationResult)
                #expect(result.refreshToken == nil)
                #expect(result.expiresIn == 3600)
                let parser = JWTKeyCollection()
                let original = try await parser.unverified(signIn.idToken, as: IDTokenClaims.self)
                let refreshed = try await parser.unverified(result.idToken, as: IDTokenClaims.self)
                #expect(refreshed.sub == original.sub)
                #expect(refreshed.iat == original.iat + 600)
                #expect(refreshed.authTime == original.authTime, "a refresh is not a new authentication")
                #expect(refreshed.originJti == original.originJti)
                #expect(refreshed.jti != original.jti)

                let list = try await client.get("/api/tasks", token: result.idToken)
                #expect(list.status == .ok)
            }
        }
    }

    @Test("a bogus, foreign-client or expired refresh token is refused")
    func refreshRefused() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let flows = [CognitoAuthFlow.userPassword, CognitoAuthFlow.refreshToken]
        let pool = PoolConfiguration(
            region: "eu-west-1", userPoolId: "eu-west-1_Test12345",
            clients: [
                AppClient(clientId: "mobileclient000000000000000", name: "mobile", secret: nil, allowedFlows: flows),
                AppClient(clientId: "otherclient0000000000000000", name: "other", secret: nil, allowedFlows: flows),
            ])
        try JSONEncoder().encode(pool).write(to: DataDirectory(root: directory).poolConfiguration)

        try await withCloud(directory: directory) { client, fixture in
            let bogus = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": "not-a-refresh-token"])
            try Self.expectCognitoError(bogus, type: "NotAuthorizedException", messageContains: "Invalid Refresh Token")

            let signIn = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            #expect(fixture.clientId == "mobileclient000000000000000")
            let refreshToken = try #require(signIn.refreshToken)
            // Issued to the mobile client: another client of the same pool cannot use it.
            let foreign = try await client.initiateAuth(
                clientId: "otherclient0000000000000000", flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": refreshToken])
            try Self.expectCognitoError(
                foreign, type: "NotAuthorizedException", messageContains: "Invalid Refresh Token")
            // Its own client still refreshes with it (the refusal was about the client, not the token).
            let own = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": refreshToken])
            #expect(own.status == .ok, "\(own.text)")

            fixture.clock.advance(by: 30 * 24 * 3600 + 1)
            let expired = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": refreshToken])
            try Self.expectCognitoError(expired, type: "NotAuthorizedException", messageContains: "expired")
        }
    }

    @Test("a client with a secret requires SECRET_HASH, and a client only allows its flows")
    func clientSettings() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = PoolConfiguration(
            region: "eu-west-1", userPoolId: "eu-west-1_Test12345",
            clients: [
                AppClient(
                    clientId: "secretclient00000000000000", name: "server", secret: "s3cr3t",
                    allowedFlows: ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]),
                AppClient(
                    clientId: "srponlyclient00000000000000", name: "srp", secret: nil, allowedFlows: ["USER_SRP_AUTH"]),
            ])
        try pool.fileContents().write(to: DataDirectory(root: directory).poolConfiguration)

        try await withCloud(directory: directory) { client, fixture in
            #expect(fixture.pool == pool)
            let password = ["USERNAME": "alice", "PASSWORD": "Wonderland-42!"]
            let missing = try await client.initiateAuth(
                clientId: "secretclient00000000000000", flow: "USER_PASSWORD_AUTH", parameters: password)
            try Self.expectCognitoError(missing, type: "NotAuthorizedException", messageContains: "secret hash")

            var withHash = password
            withHash["SECRET_HASH"] = SecretHash.compute(
                secret: "s3cr3t", username: "alice", clientId: "secretclient00000000000000")
            // Computed independently with Python's hmac module.
            #expect(withHash["SECRET_HASH"] == "i+91nk3rUwFoa4Zb0oMYj1bE0DqPVwEVCBXw32n4k4Q=")
            let signedIn = try await client.initiateAuth(
                clientId: "secretclient00000000000000", flow: "USER_PASSWORD_AUTH", parameters: withHash)
            #expect(signedIn.status == .ok)
            let claims = try await JWTKeyCollection().unverified(
                try #require(try signedIn.decode(AuthResponse.self).authenticationResult?.idToken),
                as: IDTokenClaims.self)
            #expect(claims.aud == "secretclient00000000000000")
            #expect(claims.iss.hasSuffix("/eu-west-1_Test12345"))

            let disabled = try await client.initiateAuth(
                clientId: "srponlyclient00000000000000", flow: "USER_PASSWORD_AUTH", parameters: password)
            try Self.expectCognitoError(disabled, type: "InvalidParameterException", messageContains: "not enabled")
        }
    }

    static func expectCognitoError(
        _ response: TestResponse, type: String, messageContains: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(response.status == .badRequest, "\(response.text)", sourceLocation: sourceLocation)
        #expect(
            response.headers[HTTPField.Name(CognitoWire.errorTypeHeader)!] == type, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == CognitoWire.contentType, sourceLocation: sourceLocation)
        let body = try response.decode(CognitoErrorBody.self)
        #expect(body.type == type, sourceLocation: sourceLocation)
        #expect(!body.message.isEmpty, sourceLocation: sourceLocation)
        if !messageContains.isEmpty {
            #expect(body.message.contains(messageContains), "\(body.message)", sourceLocation: sourceLocation)
        }
    }
}
