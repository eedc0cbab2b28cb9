import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Notifications raised by record writes")
struct NotificationEventsTests {
    @Test("assigning a record to a reader's email notifies them once; self-assignment does not")
    func assigned() async throws {
        try await withStorageCloud { cloud in
            // Tasks are readable by their owner and by managers: bob must be one to be assigned alice's task.
            try await cloud.cognitoAdmin("CreateGroup", ["GroupName": "managers"])
            try await cloud.cognitoAdmin("AdminAddUserToGroup", ["Username": "bob", "GroupName": "managers"])
            // A poll held open across the write answers with its notification (that a delivery wakes a waiting
            // poll is NotificationInboxTests.wakeOnDelivery's to show).
            async let bobPoll = NotificationInboxTests.timedPoll(cloud, "bob", "?wait=15")
            let task = try await cloud.createTask(
                as: "alice", title: "Review", extra: #", "assignee": "bob@example.com""#)
            let (page, _) = try await bobPoll
            let item = try #require(page.items.first)
            #expect(item.kind == "record.assigned" && item.title == "Assigned to you: Review")
            #expect(item.link == RecordLink(collection: "tasks", id: task))
            #expect(item.body.contains("alice"))

            // Another write keeping the same assignee raises nothing new.
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"priority": 3}"#)
            #expect(try await cloud.inbox(as: "bob").items.count == 1)
            // Assigning to herself raises nothing; assigning back to bob while he has not read the first notice
            // raises nothing either (repeats coalesce); once he has read it, it is raised again.
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"2\""],
                body: #"{"assignee": "alice@example.com"}"#)
            #expect(try await cloud.inbox(as: "alice").items.isEmpty)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"3\""],
                body: #"{"assignee": "bob@example.com"}"#)
            #expect(try await cloud.inbox(as: "bob").items.count == 1)
            try await cloud.send(.post, "/api/_inbox/read-all", as: "bob")
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"4\""],
                body: #"{"assignee": "alice@example.com"}"#)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"5\""],
                body: #"{"assignee": "bob@example.com"}"#)
            #expect(try await cloud.inbox(as: "bob").items.count == 2)
            // An address nobody has raises nothing.
            _ = try await cloud.createTask(as: "alice", extra: #", "assignee": "nobody@example.com""#)
            #expect(try await cloud.inbox(as: "bob").items.count == 2)
        }
    }

    @Test("nobody is notified of a record they may not read: the assignee field cannot reach any inbox")
    func assignedWithoutAccess() async throws {
        try await withStorageCloud { cloud in
            // bob is no manager: alice's task is not his to read.
            for index in 0..<3 {
                _ = try await cloud.createTask(
                    as: "alice", title: "Your password expired: visit evil.example \(index)",
                    extra: #", "assignee": "bob@example.com""#)
            }
            #expect(try await cloud.inbox(as: "bob").items.isEmpty)
        }
    }

    @Test("assignees match only confirmed users' verified emails")
    func assigneeMatching() async throws {
        try await withStorageCloud { cloud in
            let client = cloud.client
            let fixture = cloud.fixture
            try await cloud.cognitoAdmin("CreateGroup", ["GroupName": "managers"])
            try await cloud.cognitoAdmin("AdminAddUserToGroup", ["Username": "bob", "GroupName": "managers"])
            // An unconfirmed sign-up with bob's address does not silence him (two matches used to mean none).
            let signUp = try await client.call(
                "SignUp",
                [
                    "ClientId": fixture.clientId, "Username": "mallory", "Password": "Mallory-Pass-1",
                    "UserAttributes": [["Name": "email", "Value": "bob@example.com"]],
                ])
            #expect(signUp.status == .ok, "\(signUp.text)")
            _ = try await cloud.createTask(as: "alice", title: "First", extra: #", "assignee": "bob@example.com""#)
            #expect(try await cloud.inbox(as: "bob").items.map(\.title) == ["Assigned to you: First"])

            // A confirmed manager who changes their email to alice's neither receives her assignments nor silences
            // them: an address stays unverified (and matches nobody) until its code is confirmed.
            try await cloud.cognitoAdmin(
                "AdminCreateUser",
                ["Username": "trent", "TemporaryPassword": "Temporary-Pass-1", "MessageAction": "SUPPRESS"])
            try await client.call(
                "AdminSetUserPassword",
                [
                    "UserPoolId": fixture.pool.userPoolId, "Username": "trent", "Password": "Trent-Pass-12",
                    "Permanent": true,
                ]
            ).expectStatus(.ok)
            for name in ["trent", "alice"] {
                try await cloud.cognitoAdmin("AdminAddUserToGroup", ["Username": name, "GroupName": "managers"])
            }
            let trent = try await client.signIn("trent", "Trent-Pass-12", fixture: fixture)
            try await client.call(
                "UpdateUserAttributes",
                [
                    "AccessToken": trent.accessToken,
                    "UserAttributes": [["Name": "email", "Value": "alice@example.com"]],
                ]
            ).expectStatus(.ok)
            _ = try await cloud.createTask(as: "bob", title: "For alice", extra: #", "assignee": "alice@example.com""#)
            let trentInbox = try await client.get("/api/_inbox", token: trent.idToken).decode(InboxPage.self)
            #expect(trentInbox.items.isEmpty, "an unverified address matches nobody")
            #expect(try await cloud.inbox(as: "alice").items.map(\.title) == ["Assigned to you: For alice"])
        }
    }

    @Test("a record changed from another device of its owner raises record.changed; the same device does not")
    func changedOnAnotherDevice() async throws {
        try await withStorageCloud { cloud in
            let created = try await cloud.send(
                .post, "/api/tasks", as: "alice", headers: ["X-Handset-Device": "laptop"],
                body: #"{"title": "Pack", "status": "todo"}"#)
            let task = try #require(try created.json()["id"]?.stringValue)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice",
                headers: ["If-Match": "\"1\"", "X-Handset-Device": "laptop"],
                body: #"{"priority": 1}"#)
            #expect(try await cloud.inbox(as: "alice").items.isEmpty)

            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"2\"", "X-Handset-Device": "phone"],
                body: #"{"priority": 2}"#)
            let page = try await cloud.inbox(as: "alice")
            #expect(page.items.map(\.kind) == ["record.changed"])
            #expect(page.items.first?.title == "Pack was changed on another device")
            #expect(page.items.first?.link == RecordLink(collection: "tasks", id: task))
            // The laptop is told; the phone, which made the change, is not.
            func inbox(on device: String) async throws -> InboxPage {
                try await cloud.send(.get, "/api/_inbox", as: "alice", headers: ["X-Handset-Device": device])
                    .decode(InboxPage.self)
            }
            let laptop = try await inbox(on: "laptop")
            #expect(laptop.items.map(\.title) == ["Pack was changed on another device"] && laptop.unread == 1)
            let phone = try await inbox(on: "phone")
            #expect(phone.items.isEmpty && phone.unread == 0)

            // Back on the laptop while that one is unread: not repeated.
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice",
                headers: ["If-Match": "\"3\"", "X-Handset-Device": "laptop"],
                body: #"{"priority": 3}"#)
            #expect(try await cloud.inbox(as: "alice").items.count == 1)
            // Once read, the next one (a delete from the phone) is new.
            try await cloud.send(.post, "/api/_inbox/read-all", as: "alice")
            try await cloud.send(
                .delete, "/api/tasks/\(task)", as: "alice",
                headers: ["If-Match": "\"4\"", "X-Handset-Device": "phone"])
            let afterDelete = try await cloud.inbox(as: "alice")
            #expect(afterDelete.items.map(\.title).last == "Pack was deleted on another device")
            #expect(afterDelete.unread == 1)
        }
    }

    @Test("another user changing your record raises record.changed to you")
    func changedByAnotherUser() async throws {
        try await withStorageCloud(users: [
            TestUser(name: "admin", groups: ["admins"]), TestUser(name: "admin2", groups: ["admins"]),
        ]) {
            cloud in
            let created = try await cloud.send(
                .post, "/api/announcements", as: "admin",
                body: #"{"title": "Maintenance", "publishedAt": "2026-12-01T09:00:00Z"}"#)
            let id = try #require(try created.json()["id"]?.stringValue)
            try await cloud.send(
                .patch, "/api/announcements/\(id)", as: "admin2", headers: ["If-Match": "\"1\""],
                body: #"{"severity": "outage"}"#)
            let page = try await cloud.inbox(as: "admin")
            #expect(page.items.map(\.title) == ["Maintenance was changed"])
            #expect(page.items.first?.body.contains("admin2") == true)
            #expect(try await cloud.inbox(as: "admin2").items.isEmpty)
        }
    }

    @Test("a 412 conflict notifies the writer")
    func conflict() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice", title: "Budget")
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"priority": 1}"#)
            let stale = try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""], body: #"{"priority": 5}"#)
            #expect(stale.status == .preconditionFailed)
            let page = try await cloud.inbox(as: "alice")
            #expect(page.items.map(\.kind) == ["conflict"])
            #expect(page.items.first?.title == "Conflict: Budget")
            #expect(page.items.first?.link == RecordLink(collection: "tasks", id: task))
            // Batch writes raise the same events (once the first is read: an unread one is not repeated).
            try await cloud.send(.post, "/api/_inbox/read-all", as: "alice")
            let batch = try await cloud.send(
                .post, "/api/tasks/_batch", as: "alice",
                body: #"{"operations": [{"op": "patch", "id": "\#(task)", "ifMatch": 1, "body": {"priority": 4}}]}"#)
            #expect(batch.status == .ok)
            #expect(try await cloud.inbox(as: "alice").items.count == 2)
        }
    }
}
