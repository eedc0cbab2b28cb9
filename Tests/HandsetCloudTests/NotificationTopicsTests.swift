import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Notifications: topics")
struct NotificationTopicsTests {
    @Test("two users in a group both receive a publish to the group's subscription; others do not")
    func groupSubscription() async throws {
        try await withStorageCloud { cloud in
            try await cloud.cognitoAdmin("CreateGroup", ["GroupName": "team"])
            for user in ["alice", "bob"] {
                try await cloud.cognitoAdmin("AdminAddUserToGroup", ["Username": user, "GroupName": "team"])
            }
            #expect(
                try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"standup"}"#).status
                    == .created)
            #expect(
                try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"standup"}"#).status
                    == .conflict)
            let subscribed = try await cloud.send(
                .post, "/api/_topics/standup/subscriptions", as: "admin", body: #"{"group":"team"}"#)
            #expect(subscribed.status == .created, "\(subscribed.text)")
            // alice is also subscribed directly: she still gets one copy.
            #expect(
                try await cloud.send(
                    .post, "/api/_topics/standup/subscriptions", as: "alice", body: #"{"user":"alice"}"#
                )
                .status == .created)

            // Polls held open across the publish answer with it (that a delivery wakes a waiting poll is
            // NotificationInboxTests.wakeOnDelivery's to show).
            async let alicePoll = NotificationInboxTests.timedPoll(cloud, "alice", "?wait=15")
            async let bobPoll = NotificationInboxTests.timedPoll(cloud, "bob", "?wait=15")
            let published = try await cloud.send(
                .post, "/api/_topics/standup/publish", as: "admin",
                json: NotificationDraft(
                    title: "Standup", body: "In 5 minutes", link: RecordLink(collection: "projects", id: "p1")))
            #expect(published.status == .ok)
            #expect(try published.json()["delivered"] == .number(2))
            let (alicePage, _) = try await alicePoll
            let (bobPage, _) = try await bobPoll
            for page in [alicePage, bobPage] {
                #expect(page.items.map(\.title) == ["Standup"])
                #expect(page.items.first?.link == RecordLink(collection: "projects", id: "p1"))
            }
            #expect(try await cloud.inbox(as: "admin").items.isEmpty)

            // Membership is read at publish time: bob leaves, the next publish reaches alice only.
            try await cloud.cognitoAdmin("AdminRemoveUserFromGroup", ["Username": "bob", "GroupName": "team"])
            let again = try await cloud.send(
                .post, "/api/_topics/standup/publish", as: "admin", body: #"{"title":"Again"}"#)
            #expect(try again.json()["delivered"] == .number(1))
            #expect(try await cloud.inbox(as: "bob").items.count == 1)
        }
    }

    @Test(
        "topic routes check names, bodies and the admin group",
        arguments: [
            ("admin", HTTPRequest.Method.post, "/api/_topics", #"{"name":"bad name"}"#, 400),
            ("admin", .post, "/api/_topics", #"{}"#, 400),
            ("admin", .post, "/api/_topics/missing/publish", #"{"title":"x"}"#, 404),
            ("admin", .post, "/api/_topics/missing/subscriptions", #"{"user":"alice"}"#, 404),
            ("admin", .post, "/api/_topics/news/subscriptions", #"{"user":"nobody"}"#, 404),
            ("admin", .post, "/api/_topics/news/subscriptions", #"{"user":"a","group":"b"}"#, 400),
            ("admin", .post, "/api/_topics/news/publish", #"{"body":"no title"}"#, 400),
            (
                "admin", .post, "/api/_topics/news/publish",
                #"{"title":"x","link":{"collection":"tasks","id":"../x"}}"#, 400
            ),
            ("alice", .post, "/api/_topics/news/subscriptions", #"{"user":"alice@example.com"}"#, 201),
            ("alice", .post, "/api/_topics/news/subscriptions", #"{"user":"nobody"}"#, 403),
            ("alice", .post, "/api/_topics/news/publish", #"{"title":"x"}"#, 403),
            ("admin", .post, "/api/_topics/news/publish", #"{"title":"x"}"#, 200),
        ])
    func validation(row: (String, HTTPRequest.Method, String, String, Int)) async throws {
        try await withStorageCloud { cloud in
            try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"news"}"#)
            let response = try await cloud.send(row.1, row.2, as: row.0, body: row.3)
            #expect(Int(response.status.code) == row.4, "\(response.text)")
        }
    }
}
