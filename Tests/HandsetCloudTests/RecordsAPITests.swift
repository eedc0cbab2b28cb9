import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import JWTKit
import Testing

@testable import HandsetCloud

@Suite("API: listing records")
struct RecordsAPITests {
    @Test("a user lists only their own records, with server fields")
    func ownRecordsOnly() async throws {
        try await withCloud { client, fixture in
            let alice = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let aliceSub = try await JWTKeyCollection().unverified(alice.idToken, as: IDTokenClaims.self).sub
            let tasks = try await client.get("/api/tasks?limit=500", token: alice.idToken).decode(RecordPage.self)
            #expect(tasks.items.count == 12)
            #expect(tasks.nextCursor == nil)
            #expect(tasks.items.first?["title"] == "Draft release notes")
            #expect(tasks.items.allSatisfy { !($0["title"]?.stringValue ?? "").hasPrefix("Bob:") })
            for item in tasks.items {
                #expect(item["owner"]?.stringValue == aliceSub)
                #expect(item["version"] == 1)
                #expect(item["id"]?.stringValue?.hasPrefix("task-") == true)
                let updatedAt = try #require(item["updatedAt"]?.stringValue)
                #expect(updatedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(updatedAt)")
            }
            let projects = try await client.get("/api/projects", token: alice.idToken).decode(RecordPage.self)
            #expect(projects.items.compactMap { $0["name"]?.stringValue }.count == 3)

            let bob = try await client.signIn("bob", "Builder-42!", fixture: fixture)
            let bobTasks = try await client.get("/api/tasks", token: bob.idToken).decode(RecordPage.self)
            #expect(bobTasks.items.count == 4)
            #expect(bobTasks.items.allSatisfy { $0["title"]?.stringValue?.hasPrefix("Bob:") == true })
            let bobProjects = try await client.get("/api/projects", token: bob.idToken).decode(RecordPage.self)
            #expect(bobProjects.items.count == 1)
        }
    }

    @Test("limit=5 walks all 12 tasks in id order without duplicates")
    func pagination() async throws {
        try await withCloud { client, fixture in
            let alice = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            var ids: [String] = []
            var pageSizes: [Int] = []
            var cursor: String?
            repeat {
                let query = cursor.map { "&cursor=\($0)" } ?? ""
                let response = try await client.get("/api/tasks?limit=5\(query)", token: alice.idToken)
                #expect(response.status == .ok)
                let page = try response.decode(RecordPage.self)
                pageSizes.append(page.items.count)
                ids += page.items.compactMap { $0["id"]?.stringValue }
                cursor = page.nextCursor
            } while cursor != nil && pageSizes.count < 10
            #expect(pageSizes == [5, 5, 2])
            #expect(ids.count == 12)
            #expect(Set(ids).count == 12)
            #expect(ids == ids.sorted())
        }
    }

    @Test(
        "bad paging parameters are 400s",
        arguments: ["limit=0", "limit=501", "limit=ten", "limit=-1", "cursor=%25%25%25", "cursor=a"])
    func badParameters(query: String) async throws {
        try await withCloud { client, fixture in
            let alice = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let response = try await client.get("/api/tasks?\(query)", token: alice.idToken)
            #expect(response.status == .badRequest)
            #expect(try response.decode(APIErrorBody.self).message.isEmpty == false)
        }
    }

    @Test("an unknown collection is a 404 naming it")
    func unknownCollection() async throws {
        try await withCloud { client, fixture in
            let alice = try await client.signIn("alice", "Wonderland-42!", fixture: fixture)
            let response = try await client.get("/api/tasks2", token: alice.idToken)
            #expect(response.status == .notFound)
            #expect(response.text == #"{"message":"Collection tasks2 not found"}"#)
            let anonymous = try await client.get("/api/tasks2")
            #expect(anonymous.status == .unauthorized, "the authorizer runs before the route is resolved")
        }
    }

    @Test("the OpenAPI document is served without a token and declares both collections")
    func openAPIDocument() async throws {
        try await withCloud(demo: false) { client, _ in
            let response = try await client.get("/api/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = try response.json()
            #expect(document["openapi"] == "3.0.3")
            let schemas = try #require(document["components"]?["schemas"]?.objectValue)
            let collections = Set(schemas.values.compactMap { $0[APIDocumentKeys.collection]?.stringValue })
            #expect(collections == ["projects", "tasks", "announcements"])
            #expect(document["paths"]?["/tasks"]?["get"] != nil)
            #expect(document["paths"]?["/projects"]?["get"] != nil)
            #expect(schemas["Task"]?["properties"]?["title"]?["maxLength"] == 120)
            #expect(schemas["Task"]?[APIDocumentKeys.listColumns] == ["title", "status", "priority", "due"])
            #expect(
                document["components"]?["securitySchemes"]?["CognitoUserPool"]?["x-amazon-apigateway-authtype"]
                    == "cognito_user_pools")
        }
    }

    @Test("the collections come from the document's schemas")
    func collectionsFromDocument() throws {
        let document = try APIDocument(json: DemoAPI.document)
        #expect(Set(document.collections.keys) == ["projects", "tasks", "announcements"])
        #expect(document.collections["tasks"]?.schemaName == "Task")
        #expect(
            document.collections["tasks"]?.authRules
                == [["allow": "owner"], ["allow": "groups", "groups": ["managers"], "operations": ["read"]]])
        #expect(document.orderedCollections.map(\.name) == ["tasks", "projects", "announcements"])

        let extended = try APIDocument(
            json: #"""
                {"components":{"schemas":{"Note":{"x-handset-collection":"notes","x-handset-auth":[{"allow":"owner"}]},
                 "Other":{"type":"object"}}}}
                """#)
        #expect(Set(extended.collections.keys) == ["notes"])
        #expect(throws: CloudStartupError.self) { try APIDocument(json: "{}") }
    }

    @Test("unknown routes answer JSON, not HTML")
    func unknownRoute() async throws {
        try await withCloud(demo: false) { client, _ in
            let response = try await client.get("/nothing/here")
            #expect(response.status == .notFound)
            #expect(try response.decode(APIErrorBody.self).message == "Not Found")
        }
    }
}
