import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Request logs")
struct RequestLogTests {
    @Test("one JSON line per request, with the request id returned to the caller, and no secrets")
    func oneLinePerRequest() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (secrets, requestIds, sub) = try await withCloud(directory: directory) { client, fixture in
            var requestIds: [String] = []
            let signInResponse = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "Wonderland-42!"])
            requestIds.append(signInResponse.headers[HTTPField.Name("x-amzn-RequestId")!] ?? "")
            let signIn = try #require(try signInResponse.decode(AuthResponse.self).authenticationResult)
            let list = try await client.get("/api/tasks?limit=5&cursor=", token: signIn.idToken)
            requestIds.append(list.headers[HTTPField.Name("x-amzn-RequestId")!] ?? "")
            let denied = try await client.get("/api/tasks", token: "Bearer garbage")
            requestIds.append(denied.headers[HTTPField.Name("x-amzn-RequestId")!] ?? "")
            let jwks = try await client.get("/\(fixture.pool.userPoolId)/.well-known/jwks.json")
            requestIds.append(jwks.headers[HTTPField.Name("x-amzn-RequestId")!] ?? "")
            let refresh = try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": signIn.refreshToken!])
            requestIds.append(refresh.headers[HTTPField.Name("x-amzn-RequestId")!] ?? "")
            let sub = try JSONValue.parse(Base64URL.decode(signIn.idToken.split(separator: ".")[1])!)["sub"]
            return (
                [signIn.idToken, signIn.accessToken, signIn.refreshToken!, "Wonderland-42!", "limit=5", "garbage"],
                requestIds, sub?.stringValue
            )
        }

        let text = try String(contentsOf: DataDirectory(root: directory).requestLog, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 5)
        let entries = try lines.map { try JSONValue.parse(Data($0.utf8)) }
        #expect(entries.map { $0["requestId"]?.stringValue ?? "" } == requestIds)
        #expect(Set(requestIds).count == 5)
        #expect(
            entries.map { $0["function"]?.stringValue ?? "" }
                == ["cognito.InitiateAuth", "api.list", "api.authorizer", "jwks", "cognito.InitiateAuth"])
        #expect(entries.map { $0["status"]?.intValue ?? 0 } == [200, 200, 401, 200, 200])
        #expect(entries.map { $0["route"]?.stringValue ?? "" }[1] == "/api/tasks")
        #expect(entries[1]["sub"]?.stringValue == sub)
        #expect(entries[2]["sub"] == .null)
        #expect(entries[0]["method"] == "POST")
        for entry in entries {
            #expect(
                Set(entry.objectValue?.keys.map { $0 } ?? [])
                    == ["time", "requestId", "instance", "sub", "function", "method", "route", "status", "latencyMs"])
            #expect(entry["latencyMs"]?.doubleValue.map { $0 >= 0 } == true)
            #expect(entry["time"]?.stringValue.flatMap(Timestamp.date(from:)) != nil)
        }
        #expect(lines.allSatisfy { $0.hasPrefix(#"{"time":""#) }, "fields come in a fixed order, time first")
        for secret in secrets {
            #expect(!text.contains(secret), "the log contains \(secret.prefix(12))…")
        }
    }
}
