import Foundation
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetWire
import Testing

@testable import HandsetCloud

@Suite("Objects and notifications: settings files and keys")
struct ObjectsSettingsTests {
    @Test("a first start writes storage.json and notifications.json with defaults and a private signing key")
    func defaults() async throws {
        try await withCloud(demo: false) { _, fixture in
            let directory = fixture.dataDirectory
            let storage = try JSONDecoder().decode(
                ObjectStorageSettings.self, from: Data(contentsOf: directory.storageSettings))
            #expect(storage == ObjectStorageSettings())
            let notifications = try JSONDecoder().decode(
                NotificationSettings.self, from: Data(contentsOf: directory.notificationSettings))
            #expect(notifications == NotificationSettings())
            let key = try FileManager.default.attributesOfItem(atPath: directory.objectSigningKey.path)
            #expect((key[.posixPermissions] as? Int) == 0o600)
            #expect((key[.size] as? Int) == 32)
        }
    }

    @Test("settings files may leave keys out; what they give wins")
    func partialFile() throws {
        let settings = try JSONDecoder().decode(
            ObjectStorageSettings.self, from: Data(#"{"maximumSize": 10, "archiveAfterDays": 1}"#.utf8))
        #expect(settings.maximumSize == 10 && settings.archiveAfterDays == 1)
        #expect(settings.allowedContentTypes == ObjectStorageSettings.defaultContentTypes)
        let notifications = try JSONDecoder().decode(
            NotificationSettings.self, from: Data(#"{"retentionDays": 2}"#.utf8))
        #expect(notifications.retentionDays == 2 && notifications.adminGroup == "admins")
    }

    @Test("content types: exact, families and parameters")
    func contentTypes() {
        let settings = ObjectStorageSettings(allowedContentTypes: ["image/*", "application/pdf"])
        #expect(settings.allows(contentType: "image/png"))
        #expect(settings.allows(contentType: "IMAGE/JPEG"))
        #expect(settings.allows(contentType: "application/pdf; x=y"))
        #expect(!settings.allows(contentType: "application/pdfx"))
        #expect(!settings.allows(contentType: "image"))
        #expect(!settings.allows(contentType: "image/"))
        #expect(ObjectStorageSettings(allowedContentTypes: ["*/*"]).allows(contentType: "x/y"))
    }

    @Test("keys are made of safe characters and parse back; anything else does not parse")
    func keys() {
        let key = ObjectKey.make(
            collection: "tasks", recordId: "a:b.c", field: "attachment", fileName: "../../é vil.txt")
        #expect(key.fileName == "--vil.txt")
        #expect(ObjectKey(key.description) == key)
        #expect(ObjectKey("tasks/../attachment/x/y") == nil)
        #expect(ObjectKey("tasks/a/attachment/x") == nil)
        #expect(ObjectKey("tasks/a/attachment/x/y%2f") == nil)
        #expect(ObjectKey.safeFileName("..") == "object")
        #expect(ObjectKey.safeFileName(nil) == "object")
    }

    @Test("the signing string binds method, key, signer, time, size and type")
    func signatures() {
        let signer = ObjectSigner(key: .init(size: .bits256))
        let grant = ObjectSigner.Grant(
            method: "PUT", bucket: "b", key: "tasks/1/attachment/x/f", credential: "sub-1",
            issuedAt: Date(timeIntervalSince1970: 1_795_000_000), lifetime: 900, size: 5, contentType: "text/plain")
        let signature = signer.signature(of: grant)
        var changes: [ObjectSigner.Grant] = []
        for change in 0..<7 {
            var other = grant
            switch change {
            case 0: other.method = "GET"
            case 1: other.key += "x"
            case 2: other.credential = "sub-2"
            case 3: other.issuedAt += 1
            case 4: other.lifetime += 1
            case 5: other.size = 6
            default: other.contentType = "text/html"
            }
            changes.append(other)
        }
        #expect(changes.allSatisfy { signer.signature(of: $0) != signature })
        #expect(ObjectSigner.amzDate(grant.issuedAt) == "20261118T110640Z")
        #expect(ObjectSigner.date(fromAmzDate: "20261118T110640Z") == grant.issuedAt)
    }
}
