import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Cognito admin operations")
struct CognitoAdminTests {
    func admin(
        _ client: any TestClientProtocol, _ fixture: CloudFixture, _ operation: String, _ body: [String: Any]
    )
        async throws -> TestResponse
    {
        var body = body
        body["UserPoolId"] = fixture.pool.userPoolId
        return try await client.call(operation, body)
    }

    @Test("AdminCreateUser with a temporary password leads to NEW_PASSWORD_REQUIRED")
    func createUser() async throws {
        try await withCloud(demo: false) { client, fixture in
            let created = try await admin(
                client, fixture, "AdminCreateUser",
                [
                    "Username": "dave", "TemporaryPassword": "Temporary-Pass-1",
                    "UserAttributes": [
                        ["Name": "email", "Value": "dave@example.com"], ["Name": "email_verified", "Value": "true"],
                    ],
                ]
            ).jsonObject
            let user = try #require(created["User"] as? [String: Any])
            #expect(user["UserStatus"] as? String == "FORCE_CHANGE_PASSWORD")
            #expect(user["Enabled"] as? Bool == true)
            #expect(fixture.mailbox.last?.code == "Temporary-Pass-1")
            #expect(fixture.mailbox.last?.purpose == "AdminCreateUser")

            let challenge = try await client.srpSignIn("dave", "Temporary-Pass-1", fixture: fixture)
                .challenge("NEW_PASSWORD_REQUIRED")
            _ = try await client.respond(
                "NEW_PASSWORD_REQUIRED", session: challenge.session,
                responses: ["USERNAME": "dave", "NEW_PASSWORD": "Dave-Chose-This-1"], fixture: fixture
            ).tokens()
            let fetched = try await admin(client, fixture, "AdminGetUser", ["Username": "dave"]).jsonObject
            #expect(fetched["UserStatus"] as? String == "CONFIRMED")

            try await admin(client, fixture, "AdminCreateUser", ["Username": "DAVE"]).expectError(
                "UsernameExistsException")
        }
    }

    @Test("a generated temporary password is delivered to the mailbox; the temporary password expires after 7 days")
    func generatedPassword() async throws {
        try await withCloud(demo: false) { client, fixture in
            _ = try await admin(
                client, fixture, "AdminCreateUser",
                ["Username": "erin", "UserAttributes": [["Name": "email", "Value": "erin@example.com"]]])
            let password = try fixture.lastCode(for: "erin")
            _ = try await client.srpSignIn("erin", password, fixture: fixture).challenge("NEW_PASSWORD_REQUIRED")
            fixture.clock.advance(by: 7 * 86400)
            try await client.srpSignIn("erin", password, fixture: fixture).expectError(
                "NotAuthorizedException", "Temporary password has expired")
            let reset = try await admin(
                client, fixture, "AdminSetUserPassword",
                ["Username": "erin", "Password": "Erin-Permanent-1", "Permanent": true])
            #expect(reset.status == .ok)
            _ = try await client.srpSignIn("erin", "Erin-Permanent-1", fixture: fixture).tokens()
        }
    }

    @Test("groups appear as cognito:groups; membership can be listed and removed")
    func groups() async throws {
        try await withCloud { client, fixture in
            let group = try await admin(
                client, fixture, "CreateGroup", ["GroupName": "editors", "Description": "Can edit", "Precedence": 2]
            ).jsonObject
            #expect((group["Group"] as? [String: Any])?["GroupName"] as? String == "editors")
            try await admin(client, fixture, "CreateGroup", ["GroupName": "editors"]).expectError(
                "GroupExistsException")
            try await admin(client, fixture, "AdminAddUserToGroup", ["Username": "bob", "GroupName": "nope"])
                .expectError("ResourceNotFoundException")
            for name in ["editors", "admins"] {
                if name == "admins" { _ = try await admin(client, fixture, "CreateGroup", ["GroupName": "admins"]) }
                let added = try await admin(
                    client, fixture, "AdminAddUserToGroup", ["Username": "bob", "GroupName": name])
                #expect(added.status == .ok, "\(added.text)")
            }
            let tokens = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()
            #expect(try await idClaims(tokens.idToken).cognitoGroups == ["admins", "editors"])
            let listed = try await admin(client, fixture, "AdminListGroupsForUser", ["Username": "bob"]).jsonObject
            #expect(
                (listed["Groups"] as? [[String: Any]])?.compactMap { $0["GroupName"] as? String } == [
                    "admins", "editors",
                ])
            _ = try await admin(
                client, fixture, "AdminRemoveUserFromGroup", ["Username": "bob", "GroupName": "admins"])
            let again = try await client.signIn("bob", "Builder-42!", fixture: fixture)
            #expect(try await idClaims(again.idToken).cognitoGroups == ["editors"])
        }
    }

    @Test("ListUsers filters and pages; disable, enable and delete")
    func userLifecycle() async throws {
        try await withCloud { client, fixture in
            let all = try await admin(client, fixture, "ListUsers", [:]).jsonObject
            #expect((all["Users"] as? [Any])?.count == DemoData.accounts.count)
            let filtered = try await admin(client, fixture, "ListUsers", ["Filter": "email = \"bob@example.com\""])
                .jsonObject
            #expect((filtered["Users"] as? [[String: Any]])?.map { $0["Username"] as? String } == ["bob"])
            let prefixed = try await admin(client, fixture, "ListUsers", ["Filter": "username ^= \"t\""]).jsonObject
            #expect((prefixed["Users"] as? [[String: Any]])?.map { $0["Username"] as? String } == ["tina"])
            let page = try await admin(client, fixture, "ListUsers", ["Limit": 2]).jsonObject
            #expect((page["Users"] as? [Any])?.count == 2)
            let token = try #require(page["PaginationToken"] as? String)
            let next = try await admin(client, fixture, "ListUsers", ["Limit": 2, "PaginationToken": token]).jsonObject
            #expect((next["Users"] as? [[String: Any]])?.first?["Username"] as? String == "emma")
            try await admin(client, fixture, "ListUsers", ["Filter": "email ="]).expectError(
                "InvalidParameterException")

            let signIn = try await client.signIn("bob", "Builder-42!", fixture: fixture)
            _ = try await admin(client, fixture, "AdminDisableUser", ["Username": "bob"])
            try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).expectError(
                "NotAuthorizedException", "disabled")
            try await client.initiateAuth(
                clientId: fixture.clientId, flow: CognitoAuthFlow.refreshToken,
                parameters: ["REFRESH_TOKEN": signIn.refreshToken!]
            ).expectError("NotAuthorizedException")
            _ = try await admin(client, fixture, "AdminEnableUser", ["Username": "bob"])
            _ = try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).tokens()

            _ = try await admin(client, fixture, "AdminDeleteUser", ["Username": "bob"])
            try await admin(client, fixture, "AdminGetUser", ["Username": "bob"]).expectError("UserNotFoundException")
            try await client.srpSignIn("bob", "Builder-42!", fixture: fixture).expectError("NotAuthorizedException")
            try await client.call("AdminGetUser", ["UserPoolId": "us-east-1_other", "Username": "alice"])
                .expectError("ResourceNotFoundException")
        }
    }

    @Test("the mailbox endpoint lists messages, filtered by user")
    func mailboxEndpoint() async throws {
        try await withCloud { client, fixture in
            _ = try await client.srpSignIn("emma", "Envelope-42!", fixture: fixture)
            _ = try await client.call("ForgotPassword", ["ClientId": fixture.clientId, "Username": "bob"])
            let all = try await client.get("/_loopback/mailbox").jsonObject
            #expect((all["messages"] as? [Any])?.count == 2)
            #expect(all["next"] as? Int == 2)
            let emma = try await client.get("/_loopback/mailbox?username=emma").jsonObject
            let messages = try #require(emma["messages"] as? [[String: Any]])
            #expect(messages.count == 1 && messages[0]["purpose"] as? String == "EMAIL_OTP")
            let newer = try await client.get("/_loopback/mailbox?after=2").jsonObject
            #expect((newer["messages"] as? [Any])?.isEmpty == true)
            let attributes = try FileManager.default.attributesOfItem(atPath: fixture.dataDirectory.mailbox.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test("a data directory from before the rename keeps its sent messages (outbox.jsonl becomes mailbox.jsonl)")
    func formerMailboxFileIsKept() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let line =
            #"{"code":"123456","destination":"emma@example.com","medium":"EMAIL","message":"Your code","#
            + #""purpose":"EMAIL_OTP","time":"2026-11-30T12:00:00Z","username":"emma"}"# + "\n"
        try Data(line.utf8).write(to: root.appendingPathComponent("outbox.jsonl"))
        let storage = try SQLiteCloudStorage.open(directory: root)
        let messages = try await storage.mailbox.messages()
        await storage.close()
        #expect(messages.map(\.code) == ["123456"])
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("outbox.jsonl").path))
    }

    @Test("bound to a non-loopback interface, admin operations and the mailbox are refused")
    func gate() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await buildApplication(
            configuration: CloudConfiguration(
                host: "0.0.0.0", port: 0, dataDirectory: directory, demo: true, logLevel: .critical))
        let pool = try PoolConfiguration.load(from: DataDirectory(root: directory))
        try await app.test(.router) { client in
            let response = try await client.call(
                "AdminGetUser", ["UserPoolId": pool.userPoolId, "Username": "alice"])
            try response.expectError("AccessDeniedException", "loopback")
            #expect(try await client.get("/_loopback/mailbox").status == .forbidden)
            let signIn = try await client.initiateAuth(
                clientId: pool.defaultClient.clientId, flow: CognitoAuthFlow.userPassword,
                parameters: ["USERNAME": "alice", "PASSWORD": "Wonderland-42!"])
            #expect(signIn.status == .ok, "public operations still work")
        }
    }
}
