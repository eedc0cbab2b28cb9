import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

@Suite("Objects: presigned uploads and downloads")
struct ObjectsTests {
    let hello = Array("hello, object".utf8)

    @Test("presign, upload and download round trip, with the metadata the client needs")
    func roundTrip() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let response = try await cloud.presignUpload(as: "alice", recordId: task, size: hello.count)
            #expect(response.status == .ok, "\(response.text)")
            let presigned = try response.decode(PresignedURL.self)
            #expect(presigned.method == "PUT")
            #expect(presigned.headers == ["Content-Type": "text/plain"])
            #expect(presigned.key.hasPrefix("tasks/\(task)/attachment/") && presigned.key.hasSuffix("/notes.txt"))
            #expect(presigned.url.contains("/_s3/handset-objects/\(presigned.key)?"))
            #expect(presigned.url.contains("X-Amz-Expires=900") && presigned.url.contains("X-Amz-Signature="))
            #expect(!presigned.url.contains(try #require(cloud.token("alice"))))

            let uploaded = try await cloud.upload(presigned, bytes: hello)
            #expect(uploaded.status == .ok, "\(uploaded.text)")
            #expect(uploaded.headers[.eTag]?.count == 34)

            let downloaded = try await cloud.download(as: "alice", key: presigned.key)
            #expect(downloaded.status == .ok)
            #expect(Array(buffer: downloaded.body) == hello)
            #expect(downloaded.headers[.contentType] == "text/plain")
            #expect(downloaded.headers[.eTag] == uploaded.headers[.eTag])

            let info = try await cloud.send(.get, "/api/_objects/info?key=\(presigned.key)", as: "alice")
                .decode(ObjectInfo.self)
            #expect(info.size == hello.count && info.tier == .standard && info.restore == nil)
            #expect(info.contentType == "text/plain")
            #expect(objectFiles(cloud.fixture, "incoming").isEmpty)
        }
    }

    @Test("the demo's attachment of task-0005 is there: alice downloads it, bob may not")
    func demoAttachment() async throws {
        try await withStorageCloud(keepDemoAttachment: true) { cloud in
            let task = try await cloud.send(.get, "/api/tasks/task-0005", as: "alice")
            let key = try #require(try JSONValue.parse(Data(buffer: task.body))["attachment"]?.stringValue)
            #expect(key == DemoData.screenshotChecklist.key)
            let downloaded = try await cloud.download(as: "alice", key: key)
            #expect(downloaded.status == .ok)
            #expect(downloaded.text.hasPrefix("App store screenshots for 2.0"))
            let info = try await cloud.send(.get, "/api/_objects/info?key=\(key)", as: "alice")
            #expect(info.status == .ok)
            #expect(try await cloud.presignDownload(as: "bob", key: key).status != .ok)
        }
    }

    @Test("an expired URL is refused with 403, upload and download alike")
    func expired() async throws {
        let clock = TestClock()
        try await withStorageCloud(clock: clock) { cloud in
            let task = try await cloud.createTask(as: "alice")
            let upload = try await cloud.presignUpload(as: "alice", recordId: task, size: hello.count)
                .decode(PresignedURL.self)
            clock.advance(by: 901)
            let late = try await cloud.upload(upload, bytes: hello)
            #expect(late.status == .forbidden)
            #expect(late.s3Code == "AccessDenied" && late.text.contains("Request has expired"))

            let fresh = try await cloud.presignUpload(as: "alice", recordId: task, size: hello.count)
                .decode(PresignedURL.self)
            #expect(try await cloud.upload(fresh, bytes: hello).status == .ok)
            let download = try await cloud.presignDownload(as: "alice", key: fresh.key).decode(PresignedURL.self)
            clock.advance(by: 899)
            #expect(try await cloud.storage(download.url, method: .get).status == .ok)
            clock.advance(by: 2)
            let expired = try await cloud.storage(download.url, method: .get)
            #expect(expired.status == .forbidden && expired.s3Code == "AccessDenied")
        }
    }

    @Test(
        "a tampered URL is refused with 403",
        arguments: [
            ("X-Amz-Expires=900", "X-Amz-Expires=90000"),
            ("X-Amz-Signature=", "X-Amz-Signature=0"),
            ("/notes.txt?", "/other.txt?"),
            ("X-Amz-Date=2026", "X-Amz-Date=2027"),
            ("X-Amz-Credential=", "X-Amz-Credential=x"),
        ])
    func tampered(change: (String, String)) async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: hello)
            let download = try await cloud.presignDownload(as: "alice", key: key).decode(PresignedURL.self)
            let tampered = download.url.replacingOccurrences(of: change.0, with: change.1)
            #expect(tampered != download.url)
            let response = try await cloud.storage(tampered, method: .get)
            #expect(response.status == .forbidden, "\(response.text)")

            let upload = try await cloud.presignUpload(as: "alice", recordId: task, size: hello.count)
                .decode(PresignedURL.self)
            var changed = upload
            changed.url = upload.url.replacingOccurrences(of: change.0, with: change.1)
            #expect(try await cloud.upload(changed, bytes: hello).status == .forbidden)
        }
    }

    @Test("a URL without its query, or for another bucket, is refused")
    func unsigned() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: hello)
            let download = try await cloud.presignDownload(as: "alice", key: key).decode(PresignedURL.self)
            let bare = String(download.url.prefix { $0 != "?" })
            #expect(try await cloud.storage(bare, method: .get).status == .forbidden)
            let otherBucket = download.url.replacingOccurrences(of: "/handset-objects/", with: "/other/")
            #expect(try await cloud.storage(otherBucket, method: .get).status == .notFound)
        }
    }

    @Test("the size and content type are bound into the signature")
    func boundHeaders() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let presigned = try await cloud.presignUpload(as: "alice", recordId: task, size: hello.count)
                .decode(PresignedURL.self)
            let tooShort = try await cloud.upload(presigned, bytes: Array(hello.dropLast()))
            #expect(tooShort.status == .forbidden && tooShort.s3Code == "SignatureDoesNotMatch")
            let tooLong = try await cloud.upload(presigned, bytes: hello + [0x21])
            #expect(tooLong.status == .forbidden)
            var otherType = presigned
            otherType.headers = ["Content-Type": "image/png"]
            let wrongType = try await cloud.upload(otherType, bytes: hello)
            #expect(wrongType.status == .forbidden && wrongType.s3Code == "SignatureDoesNotMatch")
            #expect(
                try await cloud.send(.get, "/api/_objects/info?key=\(presigned.key)", as: "alice").status == .forbidden)
        }
    }

    @Test("limits: size (413 at presign and at the endpoint), content types (415), bad requests (400)")
    func limits() async throws {
        let settings = ObjectStorageSettings(maximumSize: 1000, allowedContentTypes: ["image/*", "text/plain"])
        try await withStorageCloud(storage: settings) { cloud in
            let task = try await cloud.createTask(as: "alice")
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 1000).status == .ok)
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 1001).status == .contentTooLarge)
            #expect(
                try await cloud.presignUpload(as: "alice", recordId: task, size: 10, contentType: "image/png").status
                    == .ok)
            #expect(
                try await cloud.presignUpload(
                    as: "alice", recordId: task, size: 10, contentType: "text/plain; charset=utf-8"
                )
                .status == .ok)
            #expect(
                try await cloud.presignUpload(as: "alice", recordId: task, size: 10, contentType: "application/x-sh")
                    .status == .unsupportedMediaType)
            #expect(
                try await cloud.presignUpload(as: "alice", recordId: task, size: 10, field: "title").status
                    == .badRequest)
            #expect(
                try await cloud.presignUpload(as: "alice", recordId: task, size: 10, collection: "nope").status
                    == .notFound)
            #expect(try await cloud.presignUpload(as: "alice", recordId: "..", size: 10).status == .badRequest)
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: -1).status == .badRequest)
            let missing = try await cloud.send(
                .post, "/api/_objects/presign", as: "alice", body: #"{"operation":"upload"}"#)
            #expect(missing.status == .badRequest)
            #expect(try await cloud.send(.post, "/api/_objects/presign", as: nil, body: "{}").status == .unauthorized)

            // A signed URL for 1000 bytes, sent with a larger Content-Length: refused before any byte is read.
            let presigned = try await cloud.presignUpload(as: "alice", recordId: task, size: 1000)
                .decode(PresignedURL.self)
            var headers = presigned.headers
            headers["Content-Length"] = "5000"
            let oversize = try await cloud.storage(
                presigned.url, method: .put, body: ByteBuffer(bytes: [UInt8](repeating: 1, count: 5000)),
                headers: headers)
            #expect(oversize.status == .contentTooLarge && oversize.s3Code == "EntityTooLarge")
        }
    }

    @Test("an interrupted upload leaves nothing visible and no file behind; a body without a length is refused")
    func interrupted() async throws {
        try await withStorageCloud(live: true) { cloud in
            let port = try #require(cloud.client.port)
            let task = try await cloud.createTask(as: "alice")
            let presigned = try await cloud.presignUpload(as: "alice", recordId: task, size: 100_000)
                .decode(PresignedURL.self)
            let target = try #require(URLComponents(string: presigned.url))
            let path = target.percentEncodedPath + "?" + (target.percentEncodedQuery ?? "")
            // The signed Content-Length, but the connection breaks after 60 kB.
            let head =
                "PUT \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100000\r\n\r\n"
            try RawConnection.send(port: port, Array(head.utf8) + [UInt8](repeating: 7, count: 60_000))
            // Looked at only once the server has given up on the upload (it logs a request when it has answered
            // it): an empty folder before the server even began would prove nothing.
            try await waitUntil { loggedRequests(cloud.fixture, "s3.putObject").count == 1 }
            #expect(loggedRequests(cloud.fixture, "s3.putObject").count == 1, "the broken upload was handled")
            #expect(objectFiles(cloud.fixture, "incoming").isEmpty)
            #expect(
                try await cloud.send(.get, "/api/_objects/info?key=\(presigned.key)", as: "alice").status == .forbidden)
            #expect(objectFiles(cloud.fixture, "standard").isEmpty)
            #expect(try await ObjectAdmin.list(storage: cloud.fixture.storage).isEmpty)

            // No Content-Length (chunked): 411, as S3 answers.
            let chunked =
                "PUT \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            let answer = try RawConnection.send(port: port, Array(chunked.utf8), readAnswer: true)
            #expect(answer.hasPrefix("HTTP/1.1 411"), "\(answer)")

            // The same URL, complete this time, works.
            #expect(try await cloud.upload(presigned, bytes: [UInt8](repeating: 7, count: 100_000)).status == .ok)
            #expect(try await ObjectAdmin.list(storage: cloud.fixture.storage).count == 1)
        }
    }

    @Test("HEAD answers the metadata without the bytes")
    func head() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: hello)
            let presigned = try await cloud.presignDownload(as: "alice", key: key).decode(PresignedURL.self)
            let response = try await cloud.storage(presigned.url, method: .head)
            #expect(response.status == .ok)
            #expect(response.headers[.contentLength] == String(hello.count))
            #expect(response.body.readableBytes == 0)
        }
    }
}

@Suite("Objects follow their record")
struct ObjectsRecordTests {
    let bytes = Array("attached bytes".utf8)

    @Test("deleting the record removes its objects, after the delete commits")
    func deleteRecord() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let key = try await cloud.uploadObject(as: "alice", recordId: task, bytes: bytes)
            let patched = try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(key)"}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try await cloud.download(as: "alice", key: key).status == .ok)

            // A refused delete (stale If-Match) changes nothing.
            let stale = try await cloud.send(.delete, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(objectFiles(cloud.fixture, "standard").count == 1)

            let deleted = try await cloud.send(
                .delete, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"2\""])
            #expect(deleted.status == .noContent)
            #expect(try await cloud.send(.get, "/api/_objects/info?key=\(key)", as: "alice").status == .forbidden)
            #expect(objectFiles(cloud.fixture, "standard").isEmpty)
            #expect(try await ObjectAdmin.list(storage: cloud.fixture.storage).isEmpty)
            // And the deleted record takes no new attachment.
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 3).status == .forbidden)
        }
    }

    @Test("clearing or replacing the attachment removes the old object; other writes keep it")
    func clearAttachment() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let first = try await cloud.uploadObject(as: "alice", recordId: task, bytes: bytes)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(first)"}"#)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"2\""],
                body: #"{"title": "Renamed"}"#)
            #expect(try await cloud.download(as: "alice", key: first).status == .ok)

            // Uploaded but not attached yet: an unrelated write leaves it alone.
            let second = try await cloud.uploadObject(as: "alice", recordId: task, bytes: bytes)
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"3\""], body: #"{"priority": 2}"#)
            #expect(try await cloud.download(as: "alice", key: second).status == .ok)

            // Replaced: the first goes.
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"4\""],
                body: #"{"attachment": "\#(second)"}"#)
            #expect(try await cloud.send(.get, "/api/_objects/info?key=\(first)", as: "alice").status == .forbidden)
            #expect(try await cloud.download(as: "alice", key: second).status == .ok)

            // Cleared: the second goes.
            let cleared = try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"5\""],
                body: #"{"attachment": null}"#)
            #expect(cleared.status == .ok)
            #expect(try await cloud.send(.get, "/api/_objects/info?key=\(second)", as: "alice").status == .forbidden)
            #expect(objectFiles(cloud.fixture, "standard").isEmpty)
        }
    }

    @Test("an attachment may be uploaded before its record exists; then only the uploader reads it")
    func beforeTheRecord() async throws {
        try await withStorageCloud { cloud in
            let id = UUID().uuidString.lowercased()
            let key = try await cloud.uploadObject(as: "alice", recordId: id, bytes: bytes)
            #expect(try await cloud.download(as: "alice", key: key).status == .ok)
            #expect(try await cloud.presignDownload(as: "bob", key: key).status == .forbidden)
            let created = try await cloud.send(
                .put, "/api/tasks/\(id)", as: "alice", headers: ["If-None-Match": "*"],
                body: #"{"title": "Offline", "status": "todo", "attachment": "\#(key)"}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await cloud.download(as: "alice", key: key).status == .ok)
            let listing = try await ObjectAdmin.list(storage: cloud.fixture.storage)
            #expect(listing.map(\.attached) == [true])
        }
    }
}

@Suite("Objects: the archive tier")
struct ObjectsArchiveTests {
    @Test("the lifecycle rule archives old objects; a download needs a restore that completes after the delay")
    func archiveAndRestore() async throws {
        let clock = TestClock()
        let settings = ObjectStorageSettings(archiveAfterDays: 30, restoreDelaySeconds: 3600, restoredCopyDays: 2)
        try await withStorageCloud(storage: settings, clock: clock) { cloud in
            var cloud = cloud
            let task = try await cloud.createTask(as: "alice")
            let old = try await cloud.uploadObject(as: "alice", recordId: task, bytes: Array("old".utf8))
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(old)"}"#)

            clock.advance(by: 29 * 86_400)
            cloud = try await cloud.signedInAgain()
            var report = try await ObjectAdmin.runLifecycle(
                storage: cloud.fixture.storage, dataDirectory: cloud.fixture.directory, settings: settings,
                now: clock.now)
            #expect(report.archived == 0)
            // Restoring an object that is not archived is refused.
            #expect(try await cloud.send(.post, "/api/_objects/restore?key=\(old)", as: "alice").status == .conflict)

            clock.advance(by: 2 * 86_400)
            cloud = try await cloud.signedInAgain()
            report = try await ObjectAdmin.runLifecycle(
                storage: cloud.fixture.storage, dataDirectory: cloud.fixture.directory, settings: settings,
                now: clock.now)
            #expect(report.archived == 1)
            #expect(objectFiles(cloud.fixture, "standard").isEmpty && objectFiles(cloud.fixture, "archive").count == 1)
            let listing = try await ObjectAdmin.list(storage: cloud.fixture.storage, now: clock.now)
            #expect(listing.map(\.info.tier) == [.archive])

            let refused = try await cloud.download(as: "alice", key: old)
            #expect(refused.status == .forbidden && refused.s3Code == "InvalidObjectState")
            #expect(refused.text.contains("<StorageClass>GLACIER</StorageClass>"))

            let restore = try await cloud.send(.post, "/api/_objects/restore?key=\(old)", as: "alice")
            #expect(restore.status == .accepted)
            #expect(try restore.decode(ObjectInfo.self).restore == .inProgress)
            #expect(try await cloud.send(.post, "/api/_objects/restore?key=\(old)", as: "alice").status == .accepted)
            clock.advance(by: 3599)
            #expect(try await cloud.download(as: "alice", key: old).status == .forbidden)

            clock.advance(by: 1)
            cloud = try await cloud.signedInAgain()
            let restored = try await cloud.download(as: "alice", key: old)
            #expect(restored.status == .ok && String(buffer: restored.body) == "old")
            #expect(restored.headers[HTTPField.Name("x-amz-storage-class")!] == "GLACIER")
            let info = try await cloud.send(.get, "/api/_objects/info?key=\(old)", as: "alice").decode(ObjectInfo.self)
            #expect(info.tier == .archive && info.restore == .restored)

            // The restored copy expires; the object stays archived.
            clock.advance(by: 2 * 86_400)
            cloud = try await cloud.signedInAgain()
            report = try await ObjectAdmin.runLifecycle(
                storage: cloud.fixture.storage, dataDirectory: cloud.fixture.directory, settings: settings,
                now: clock.now)
            #expect(report.restoresExpired == 1)
            #expect(try await cloud.download(as: "alice", key: old).status == .forbidden)
        }
    }

    @Test("uploads no record ever referred to are removed after the grace period")
    func unattached() async throws {
        let clock = TestClock()
        let settings = ObjectStorageSettings(unattachedGraceHours: 24)
        try await withStorageCloud(storage: settings, clock: clock) { cloud in
            var cloud = cloud
            let task = try await cloud.createTask(as: "alice")
            let unused = try await cloud.uploadObject(as: "alice", recordId: task, bytes: [1, 2, 3])
            let used = try await cloud.uploadObject(as: "alice", recordId: task, bytes: [4, 5, 6])
            // Attached by a write: kept, however old.
            try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"1\""],
                body: #"{"attachment": "\#(used)"}"#)
            clock.advance(by: 25 * 3600)
            cloud = try await cloud.signedInAgain()
            let report = try await ObjectAdmin.runLifecycle(
                storage: cloud.fixture.storage, dataDirectory: cloud.fixture.directory, settings: settings,
                now: clock.now)
            #expect(report.unattachedRemoved == 1)
            #expect(try await cloud.send(.get, "/api/_objects/info?key=\(unused)", as: "alice").status == .forbidden)
            #expect(try await cloud.download(as: "alice", key: used).status == .ok)
        }
    }
}

/// Waits until `condition` holds, checking every 20 ms, for at most `timeout`.
/// The request log's lines (one per answered request) of a `function`, such as `s3.putObject`.
func loggedRequests(_ fixture: CloudFixture, _ function: String) -> [String] {
    let log = DataDirectory(root: fixture.directory).requestLog
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").filter { $0.contains("\"function\":\"\(function)\"") }.map(String.init)
}

func waitUntil(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for a condition")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}
