import Foundation
import HTTPTypes
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Hummingbird
import Testing

@testable import HandsetCloud

/// Issue 12's reproductions against the storage endpoint and the `_objects` API.
@Suite("Objects: hostile requests")
struct ObjectsHardeningTests {
    /// `١١١١T١١١Z`-style dates: Arabic-Indic digits are `Character.isNumber` but two bytes each in UTF-8.
    static let arabicIndicDate = "%D9%A1%D9%A1%D9%A1%D9%A1T%D9%A1%D9%A1%D9%A1Z"

    @Test("an X-Amz-Date of Arabic-Indic digits is a 403, not a crash (GET, HEAD and PUT)")
    func arabicIndicDigits() async throws {
        try await withStorageCloud { cloud in
            let query =
                "X-Amz-Algorithm=HANDSET-HMAC-SHA256&X-Amz-Credential=x&X-Amz-Date=\(Self.arabicIndicDate)"
                + "&X-Amz-Expires=1&X-Amz-Signature=00"
            let path = "/_s3/handset-objects/k?\(query)"
            for method in [HTTPRequest.Method.get, .head] {
                let response = try await cloud.client.execute(uri: path, method: method)
                #expect(response.status == .forbidden, "\(method): \(response.text)")
            }
            let put = try await cloud.client.execute(
                uri: path, method: .put, headers: [.contentLength: "1", .contentType: "text/plain"],
                body: ByteBuffer(string: "x"))
            #expect(put.status == .forbidden, "\(put.text)")
            // The server still answers afterwards.
            #expect(try await cloud.send(.get, "/api/tasks", as: "alice").status == .ok)
        }
    }

    @Test(
        "X-Amz-Date is parsed as ASCII bytes of a real date",
        arguments: [
            ("20261127T120000Z", true), ("١١١١١١١١T١١١١١١Z", false), ("2026112٧T120000Z", false),
            ("20261327T120000Z", false), ("20261127T250000Z", false), ("20261127T120000", false),
            ("2026-11-27T12:00Z", false), ("", false), ("20261127t120000z", false), ("07220115T080000Z", false),
        ])
    func amzDate(text: String, valid: Bool) {
        #expect((ObjectSigner.date(fromAmzDate: text) != nil) == valid)
    }

    @Test("downloads are attachments with the person's file name, never sniffed or rendered")
    func downloadHeaders() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let html = Array("<script>alert(document.domain)</script>".utf8)
            let presigned = try await cloud.presignUpload(
                as: "alice", recordId: task, size: html.count, contentType: "text/html",
                fileName: "Präsentation \"final\".html"
            ).decode(PresignedURL.self)
            #expect(try await cloud.upload(presigned, bytes: html).status == .ok)
            for method in [HTTPRequest.Method.get, .head] {
                let url = try await cloud.presignDownload(as: "alice", key: presigned.key).decode(PresignedURL.self)
                let response = try await cloud.storage(url.url, method: method)
                #expect(response.status == .ok)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("sandbox") == true)
                #expect(
                    response.headers[.contentDisposition]
                        == "attachment; filename=\"Pr_sentation _final_.html\"; "
                        + "filename*=UTF-8''Pr%C3%A4sentation%20%22final%22.html")
            }
        }
    }

    @Test("object info gives the person's file name, spaces and all, beside the key's safe form")
    func infoKeepsTheFileName() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let bytes = Array("notes".utf8)
            let presigned = try await cloud.presignUpload(
                as: "alice", recordId: task, size: bytes.count, contentType: "text/plain",
                fileName: "file with spaces ü.txt"
            ).decode(PresignedURL.self)
            #expect(try await cloud.upload(presigned, bytes: bytes).status == .ok)
            #expect(presigned.key.hasSuffix("/file-with-spaces--.txt"))
            let response = try await cloud.send(.get, "/api/_objects/info?key=\(presigned.key)", as: "alice")
            #expect(response.status == .ok, "\(response.text)")
            #expect(try response.decode(ObjectInfo.self).fileName == "file with spaces ü.txt")
        }
    }

    @Test("Content-Disposition: control characters and paths are dropped, long names cut at 255 bytes")
    func contentDisposition() {
        #expect(ContentDisposition.cleaned("../../etc/passwd") == "passwd")
        #expect(ContentDisposition.cleaned("a\r\nSet-Cookie: x") == "aSet-Cookie: x")
        #expect(ContentDisposition.cleaned("") == "object")
        #expect(ContentDisposition.cleaned(String(repeating: "é", count: 200)).utf8.count == 254)
        let header = ContentDisposition.attachment(fileName: "x\u{0}y;z.txt")
        #expect(header == "attachment; filename=\"xy;z.txt\"; filename*=UTF-8''xy%3Bz.txt")
    }

    @Test("signed URLs are built from the server's own address, never from the request's Host")
    func presignIgnoresHost() async throws {
        try await withStorageCloud { cloud in
            let task = try await cloud.createTask(as: "alice")
            let body = String(
                decoding: try JSONEncoder().encode(
                    PresignRequest(
                        operation: .upload, collection: "tasks", recordId: task, field: "attachment",
                        fileName: "a.txt", contentType: "text/plain", size: 1)), as: UTF8.self)
            let response = try await cloud.client.execute(
                uri: "/api/_objects/presign", method: .post,
                headers: [
                    .authorization: try #require(cloud.token("alice")), .contentType: "application/json",
                    hostField: "attacker.example",
                ],
                body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(response.text)")
            let url = try response.decode(PresignedURL.self).url
            #expect(!url.contains("attacker.example"))
            #expect(url.hasPrefix("http://127.0.0.1:"))
        }
    }

    @Test("a quota bounds each user's uploads that no record refers to, by count and by bytes")
    func unattachedQuota() async throws {
        let settings = ObjectStorageSettings(unattachedQuotaCount: 2, unattachedQuotaBytes: 100)
        try await withStorageCloud(storage: settings) { cloud in
            let task = try await cloud.createTask(as: "alice")
            let bytes = Array("0123456789".utf8)
            _ = try await cloud.uploadObject(as: "alice", recordId: task, bytes: bytes)
            // Signed before the quota was reached, used after: the storage endpoint checks it too.
            let early = try await cloud.presignUpload(as: "alice", recordId: task, size: bytes.count)
                .decode(PresignedURL.self)
            let second = try await cloud.uploadObject(as: "alice", recordId: task, bytes: bytes)
            let refused = try await cloud.presignUpload(as: "alice", recordId: task, size: bytes.count)
            #expect(refused.status == .tooManyRequests, "\(refused.text)")
            let late = try await cloud.upload(early, bytes: bytes)
            #expect(late.status == .forbidden && late.s3Code == "QuotaExceeded", "\(late.text)")
            // Another user has a quota of their own.
            let bobs = try await cloud.createTask(as: "bob")
            #expect(try await cloud.presignUpload(as: "bob", recordId: bobs, size: 10).status == .ok)
            // Attaching one frees its place.
            let version = try #require(
                try await cloud.send(.get, "/api/tasks/\(task)", as: "alice").json()["version"]?.intValue)
            let patched = try await cloud.send(
                .patch, "/api/tasks/\(task)", as: "alice", headers: ["If-Match": "\"\(version)\""],
                body: #"{"attachment": "\#(second)"}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 10).status == .ok)
            // Bytes: one upload of 91 bytes would pass 100 with the 10 still unattached.
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 91).status == .tooManyRequests)
            #expect(try await cloud.presignUpload(as: "alice", recordId: task, size: 90).status == .ok)
        }
    }
}
