import Foundation
import Testing

@testable import HandsetWire

@Suite struct JSONValueTests {
    @Test func wholeNumbersStayIntegers() throws {
        let value: JSONValue = ["version": 3, "ratio": 0.5, "title": "A", "done": false, "tags": ["x"], "none": nil]
        let text = String(decoding: value.encoded(), as: UTF8.self)
        #expect(text == #"{"done":false,"none":null,"ratio":0.5,"tags":["x"],"title":"A","version":3}"#)
        #expect(try JSONValue.parse(Data(text.utf8)) == value)
    }

    @Test func accessors() {
        let value: JSONValue = ["n": 7, "s": "x", "b": true]
        #expect(value["n"]?.intValue == 7)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.number(1.5).intValue == nil)
    }

    @Test func cognitoErrorsDecodeEitherSpelling() throws {
        let namespaced = #"{"__type":"com.amazonaws.cognito#NotAuthorizedException","Message":"Incorrect"}"#
        let error = try JSONDecoder().decode(CognitoErrorBody.self, from: Data(namespaced.utf8))
        #expect(error == CognitoErrorBody(type: "NotAuthorizedException", message: "Incorrect"))
        let plain = #"{"__type":"UserNotFoundException","message":"no"}"#
        #expect(try JSONDecoder().decode(CognitoErrorBody.self, from: Data(plain.utf8)).type == "UserNotFoundException")
    }

    @Test func authMessagesUseCognitoNames() throws {
        let request = InitiateAuthRequest(
            authFlow: CognitoAuthFlow.userPassword, clientId: "c", authParameters: ["USERNAME": "u"])
        let object = try JSONValue.parse(JSONEncoder().encode(request))
        #expect(object["AuthFlow"] == "USER_PASSWORD_AUTH")
        #expect(object["ClientId"] == "c")
        #expect(object["AuthParameters"]?["USERNAME"] == "u")
        let answer =
            #"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","RefreshToken":"r","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#
        let response = try JSONDecoder().decode(AuthResponse.self, from: Data(answer.utf8))
        #expect(response.authenticationResult?.idToken == "i")
        #expect(response.authenticationResult?.expiresIn == 3600)
    }

    @Test func amplifyOutputsRoundTrip() throws {
        let text = """
            {"version":"1.3","auth":{"aws_region":"eu-west-1","user_pool_id":"eu-west-1_abc","user_pool_client_id":"cid"},
             "custom":{"API":{"handset":{"endpoint":"https://x.execute-api.eu-west-1.amazonaws.com/prod/"}}}}
            """
        let outputs = try JSONDecoder().decode(AmplifyOutputs.self, from: Data(text.utf8))
        #expect(outputs.auth.userPoolId == "eu-west-1_abc")
        #expect(outputs.custom?.api?["handset"]?.endpoint.hasPrefix("https://x.execute-api") == true)
        #expect(outputs.custom?.handset == nil)
    }
}
