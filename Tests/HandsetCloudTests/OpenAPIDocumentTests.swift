import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("API: the OpenAPI document")
struct OpenAPIDocumentTests {
    @Test("the served demo document has every route of the sync contract for every collection")
    func everyRoute() async throws {
        try await withAPICloud(demo: false) { cloud in
            let response = try await cloud.send(.get, "/api/openapi.json", as: nil)
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(
                document["tags"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == [
                    "tasks", "projects", "announcements",
                ])
            let expected: [(String, [String])] = [
                ("", ["get", "post"]), ("/{id}", ["get", "put", "patch", "delete"]), ("/_changes", ["get"]),
                ("/_batch", ["post"]),
            ]
            for collection in ["tasks", "projects", "announcements"] {
                for (suffix, methods) in expected {
                    let item = document["paths"]?["/\(collection)\(suffix)"]
                    for method in methods {
                        let operation = try #require(item?[method], "\(method) /\(collection)\(suffix)")
                        #expect(operation["x-amazon-apigateway-integration"]?["type"] == "aws_proxy")
                        #expect(operation["security"] == [["CognitoUserPool": []]])
                        #expect(operation["responses"]?["401"] != nil)
                        #expect(operation["responses"]?["429"] != nil)
                    }
                }
            }
            let tasks = document["paths"]?["/tasks"]?["get"]?["parameters"]?.arrayValue ?? []
            let sort = tasks.first { $0["name"] == "sort" }
            #expect(sort?["schema"]?["enum"] == ["title", "status", "priority", "due", "id", "updatedAt"])
            #expect(tasks.contains { $0["name"] == "status" && $0["schema"]?["enum"] == ["todo", "doing", "done"] })
            #expect(document["paths"]?["/tasks/{id}"]?["put"]?["responses"]?["412"] != nil)
            let schemas = document["components"]?["schemas"]
            #expect(schemas?["Task"]?["additionalProperties"] == false)
            #expect(schemas?["TaskPatch"]?["properties"]?["priority"]?["nullable"] == true)
            #expect(schemas?["TaskPatch"]?["required"] == nil)
            #expect(schemas?["TaskChangeFeedPage"]?["required"] == ["items", "cursor", "hasMore"])
            let scheme = document["components"]?["securitySchemes"]?["CognitoUserPool"]
            #expect(scheme?["x-amazon-apigateway-authtype"] == "cognito_user_pools")
            #expect(
                scheme?["x-amazon-apigateway-authorizer"]?["providerARNs"]
                    == [.string("arn:aws:cognito-idp:us-east-1:000000000000:userpool/\(cloud.fixture.pool.userPoolId)")]
            )
            #expect(document["x-amazon-apigateway-gateway-responses"]?["THROTTLED"]?["statusCode"] == "429")
            #expect(document["paths"]?["/openapi.json"]?["get"]?["security"] == [])
        }
    }

    @Test(
        "documents the cloud cannot serve are refused at start, with the reason",
        arguments: [
            (#"{"components":{"schemas":{"A":{"x-handset-collection":"a"}}}}"#, "no x-handset-auth"),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"a","x-handset-auth":[{"allow":"public"}]}}}}"#,
                "allow: public"
            ),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"_a","x-handset-auth":[{"allow":"owner"}]}}}}"#,
                "'_a'"
            ),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"a","x-handset-auth":[{"allow":"groups"}]}}}}"#,
                "needs \"groups\""
            ),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"a","x-handset-auth":[{"allow":"owner","operations":["fly"]}]}}}}"#,
                "unknown operation"
            ),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"a","x-handset-auth":[{"allow":"owner"}],"properties":{"n":{"type":"decimal"}}}}}}"#,
                "A.n: unknown type decimal"
            ),
            (
                #"{"components":{"schemas":{"A":{"x-handset-collection":"a","x-handset-auth":[{"allow":"owner"}]},"B":{"x-handset-collection":"a","x-handset-auth":[{"allow":"owner"}]}}}}"#,
                "two schemas"
            ),
            ("[1]", "no components.schemas"),
            ("not json", "not JSON"),
        ])
    func invalidDocuments(json: String, reason: String) throws {
        do {
            _ = try APIDocument(json: json)
            Issue.record("accepted \(json)")
        } catch let error as CloudStartupError {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test("--api with a missing file is a clear start-up error")
    func missingFile() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nope.json")
        do {
            _ = try await buildApplication(
                configuration: CloudConfiguration(port: 0, dataDirectory: directory, logLevel: .critical),
                api: APIConfiguration(documentFile: missing))
            Issue.record("started without its API document")
        } catch CloudStartupError.unreadableFile(let path, _) {
            #expect(path == missing.path)
        }
    }

    @Test("the field-notes example is a valid document with three collections")
    func example() throws {
        let document = try APIDocument.load(file: repositoryRoot.appendingPathComponent("Examples/field-notes.json"))
        #expect(document.orderedCollections.map(\.name) == ["observations", "species", "sites"])
    }
}
