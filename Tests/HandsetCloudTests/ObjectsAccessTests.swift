import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Object-level authorization: bob against every id-bearing route of alice's objects, records and inbox.
@Suite("Cross-user access to objects and notifications")
struct ObjectsAccessTests {
    @Test("bob cannot read, write, restore or presign anything of alice's; alice still can")
    func crossUser() async throws {
        let clock = TestClock()
        let settings = ObjectStorageSettings(archiveAfterDays: 1)
        try await withStorageCloud(storage: settings, clock: clock) { cloud in
            var cloud = cloud
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: [1, 2, 3])
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(key)"}"#)
            _ = try await NotificationAdmin.notify(
                storage: cloud.fixture.storage, user: "alice", title: "For alice", body: "", link: nil,
                now: clock.now)
            let aliceItem = try #require(try await cloud.inbox(as: "alice").items.first)

            let refusals: [(String, HTTPRequest.Method, String, String?, HTTPResponse.Status)] = [
                (
                    "presign download", .post, "/api/_objects/presign", #"{"operation":"download","key":"\#(key)"}"#,
                    .forbidden
                ),
                (
                    "presign upload to her record", .post, "/api/_objects/presign",
                    #"{"operation":"upload","collection":"tasks","recordId":"\#(task)","field":"attachment","contentType":"text/plain","size":3}"#,
                    .forbidden
                ),
                ("info", .get, "/api/_objects/info?key=\(key)", nil, .forbidden),
                ("restore", .post, "/api/_objects/restore?key=\(key)", nil, .forbidden),
                ("info of a made-up key", .get, "/api/_objects/info?key=tasks/x/attachment/y/z", nil, .forbidden),
                ("info of a path-like key", .get, "/api/_objects/info?key=../../handset-cloud.sqlite", nil, .forbidden),
                ("mark her notification read", .post, "/api/_inbox/\(aliceItem.id)/read", nil, .notFound),
                (
                    "subscribe her to a topic", .post, "/api/_topics/news/subscriptions", #"{"user":"alice"}"#,
                    .forbidden
                ),
                ("subscribe a group", .post, "/api/_topics/news/subscriptions", #"{"group":"admins"}"#, .forbidden),
                ("create a topic", .post, "/api/_topics", #"{"name":"bobs"}"#, .forbidden),
                ("publish", .post, "/api/_topics/news/publish", #"{"title":"spam"}"#, .forbidden),
            ]
            #expect(
                try await cloud.send(.post, "/api/_topics", as: "admin", body: #"{"name":"news"}"#).status == .created)
            for (name, method, path, body, status) in refusals {
                let response = try await cloud.send(method, path, as: "bob", body: body)
                #expect(response.status == status, "\(name): \(response.status) \(response.text)")
            }
            // Without a token, every route is 401.
            for path in ["/api/_objects/info?key=\(key)", "/api/_inbox"] {
                #expect(try await cloud.send(.get, path, as: nil).status == .unauthorized)
            }
            #expect(try await cloud.send(.get, "/api/_objects/info?key=\(key)", as: "nobody").status == .unauthorized)

            // Bob's inbox never shows alice's items; alice's item is still unread.
            #expect(try await cloud.inbox(as: "bob").items.isEmpty)
            #expect(try await cloud.inbox(as: "alice").items.map(\.read) == [false])
            // A download URL is bound to its key: alice's URL does not open another object.
            let other = try await cloud.createTask(as: "bob")
            let bobsKey = try await cloud.uploadObject(as: "bob", recordId: other, bytes: [9])
            let alicesURL = try await cloud.presignDownload(as: "alice", key: key).decode(PresignedURL.self)
            let swapped = alicesURL.url.replacingOccurrences(of: key, with: bobsKey)
            #expect(try await cloud.storage(swapped, method: .get).status == .forbidden)

            // Archive and restore stay alice's too.
            clock.advance(by: 2 * 86_400)
            cloud = try await cloud.signedInAgain()
            _ = try await ObjectAdmin.runLifecycle(
                storage: cloud.fixture.storage, dataDirectory: cloud.fixture.directory, settings: settings,
                now: clock.now)
            #expect(try await cloud.send(.post, "/api/_objects/restore?key=\(key)", as: "bob").status == .forbidden)
            let restore = try await cloud.send(.post, "/api/_objects/restore?key=\(key)", as: "alice")
            #expect(restore.status == .accepted, "\(restore.text)")
        }
    }

    @Test("a managers-group reader may download a task's attachment but not upload to it")
    func groupReader() async throws {
        try await withStorageCloud(users: [TestUser(name: "manager", groups: ["managers"])]) { cloud in
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: [1])
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(key)"}"#)
            #expect(try await cloud.download(as: "manager", key: key).status == .ok)
            #expect(try await cloud.presignUpload(as: "manager", recordId: task, size: 1).status == .forbidden)
        }
    }
}
