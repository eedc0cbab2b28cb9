import Foundation
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetApp

@Suite struct AttachmentFlowTests {
    static let schema = APISchema(
        title: "Team",
        collections: [
            CollectionSchema(
                name: "tasks", typeName: "Task", titleField: "title", listColumns: ["title"],
                fields: [
                    FieldSchema(name: "title", kind: .text, required: true),
                    FieldSchema(name: "attachment", kind: .objectKey),
                ])
        ])
    static let key = "tasks/t1/attachment/abc123/report.pdf"

    func state() -> AppState {
        var state = AppState(viewportRows: 10)
        _ = AppCore.update(&state, .launched(user: AppCoreTests.alice, cachedSchema: Self.schema, lastSyncedAt: nil))
        let records = [
            Record(id: "t0", version: 1, updatedAt: "", owner: "sub-a", fields: ["title": "No file"]),
            Record(
                id: "t1", version: 1, updatedAt: "", owner: "sub-a",
                fields: ["title": "With file", "attachment": .string(Self.key)]),
        ]
        _ = AppCore.update(&state, .list(.recordsLoaded(collection: "tasks", offset: 0, records: records, total: 2)))
        state.attachments.downloadDirectory = "/home/me/Downloads"
        return state
    }

    @Test func openingARecordAsksForItsAttachmentsInfo() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        #expect(AppCore.update(&state, .key(.enter)) == [.loadAttachmentInfo(key: Self.key)])
        let info = ObjectInfo(
            key: Self.key, size: 1_200_000, contentType: "application/pdf", tier: .archive, restore: nil, createdAt: "")
        _ = AppCore.update(&state, .attachments(.infoLoaded(info)))
        #expect(state.attachments.info[Self.key] == info)
    }

    @Test func uploadAsksForAPathShowsProgressAndSyncsTheNewKey() {
        var state = state()
        _ = AppCore.update(&state, .key(.enter))
        #expect(state.screen == .detail(recordId: "t0"))
        _ = AppCore.update(&state, .key(.character("u")))
        #expect(
            state.attachments.prompt
                == PromptState(purpose: .upload(collection: "tasks", recordId: "t0", field: "attachment")))
        for character in "~/notes.txt" { _ = AppCore.update(&state, .key(.character(character))) }
        #expect(state.attachments.prompt?.text == "~/notes.txt", "the prompt takes every character, even u and s")
        #expect(
            AppCore.update(&state, .key(.enter))
                == [.uploadAttachment(collection: "tasks", recordId: "t0", field: "attachment", path: "~/notes.txt")])
        #expect(state.attachments.transfer == TransferState(title: "Uploading notes.txt"))
        _ = AppCore.update(&state, .attachments(.progress(done: 512, total: 2048)))
        #expect(state.attachments.transfer?.fraction == 0.25)
        let newKey = "tasks/t0/attachment/xyz/notes.txt"
        let effects = AppCore.update(
            &state, .attachments(.uploaded(collection: "tasks", recordId: "t0", field: "attachment", key: newKey)))
        #expect(state.attachments.transfer == nil)
        #expect(effects.contains(.sync(collection: "tasks")))
        #expect(effects.contains(.loadAttachmentInfo(key: newKey)))
        #expect(state.message?.text == "Attached notes.txt to attachment; it syncs in the background")
    }

    @Test func saveOffersTheDownloadsFolderAndEscCancels() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .key(.character("s")))
        #expect(state.attachments.prompt?.text == "/home/me/Downloads/report.pdf")
        _ = AppCore.update(&state, .key(.escape))
        #expect(state.attachments.prompt == nil && state.screen == .detail(recordId: "t1"))
        _ = AppCore.update(&state, .key(.character("s")))
        #expect(
            AppCore.update(&state, .key(.enter)) == [
                .downloadAttachment(key: Self.key, path: "/home/me/Downloads/report.pdf")
            ])
        _ = AppCore.update(
            &state, .attachments(.failed("Download failed: The file is in the archive tier: restore it first (R)")))
        #expect(state.attachments.transfer == nil)
        #expect(state.message?.kind == .error)
        #expect(AppCore.update(&state, .key(.character("R"))) == [.restoreAttachment(key: Self.key)])
    }

    /// Issue 11 item 3: saving over an existing file asks first; only `y` replaces it.
    @Test func savingOverAnExistingFileAsksFirst() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.enter))
        _ = AppCore.update(&state, .key(.character("s")))
        _ = AppCore.update(&state, .key(.enter))
        let path = "/home/me/Downloads/report.pdf"
        _ = AppCore.update(&state, .attachments(.downloadWouldReplace(key: Self.key, path: path)))
        #expect(state.attachments.prompt?.purpose == .replaceFile(key: Self.key, path: path))
        #expect(state.attachments.prompt?.title == "\(path) exists: replace it? (y/n)")
        #expect(state.attachments.transfer == nil)
        #expect(AppCore.update(&state, .key(.character("n"))).isEmpty)
        #expect(state.attachments.prompt == nil)
        #expect(state.message?.text == "Not saved; \(path) is unchanged")

        _ = AppCore.update(&state, .attachments(.downloadWouldReplace(key: Self.key, path: path)))
        #expect(
            AppCore.update(&state, .key(.character("y")))
                == [.downloadAttachment(key: Self.key, path: path, overwrite: true)])
        #expect(state.attachments.transfer != nil)
    }

    @Test func aPathTypedIntoTheFormUploadsAfterTheSaveAndKeepsTheOldKeyMeanwhile() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.character("e")))
        _ = AppCore.update(&state, .key(.tab))
        _ = AppCore.update(&state, .key(.control("u")))
        for character in "/tmp/new.png" { _ = AppCore.update(&state, .key(.character(character))) }
        let effects = AppCore.update(&state, .key(.control("s")))
        #expect(
            effects == [
                .saveRecord(
                    collection: "tasks", id: "t1", fields: ["title": "With file", "attachment": .string(Self.key)])
            ])
        let after = AppCore.update(&state, .form(.saved(collection: "tasks", id: "t1")))
        #expect(
            after.last
                == .uploadAttachment(collection: "tasks", recordId: "t1", field: "attachment", path: "/tmp/new.png"))
        #expect(state.attachments.uploadsAfterSave.isEmpty)
        #expect(state.attachments.transfer?.title == "Uploading new.png")
    }

    @Test func theFormNeverEditsTheKeyItKeepsOrRemovesTheFile() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.character("e")))
        _ = AppCore.update(&state, .key(.tab))
        guard case .edit(var form) = state.screen else {
            Issue.record("no form")
            return
        }
        #expect(form.values["attachment"] == "", "the key is not text in the form")
        #expect(form.attachmentKeys["attachment"] == Self.key)
        #expect(!form.isDirty)
        #expect(form.typedFields["attachment"] == .string(Self.key), "left alone, the file stays")
        let tasks = Self.schema.collections[0]
        _ = form.handle(.backspace, collection: tasks)
        #expect(form.removedAttachments == ["attachment"] && form.isDirty)
        #expect(form.typedFields["attachment"] == nil, "Backspace on the empty field removes the file")
        _ = form.handle(.character("/"), collection: tasks)
        #expect(form.removedAttachments.isEmpty, "typing a path undoes the removal")
    }

    @Test func savingOffersThePersonsOwnFileName() {
        var state = state()
        _ = AppCore.update(&state, .key(.down))
        _ = AppCore.update(&state, .key(.enter))
        let info = ObjectInfo(
            key: Self.key, size: 10, contentType: "application/pdf", tier: .standard, restore: nil, createdAt: "",
            fileName: "Q4 report – final ü.pdf")
        _ = AppCore.update(&state, .attachments(.infoLoaded(info)))
        _ = AppCore.update(&state, .key(.character("s")))
        #expect(state.attachments.prompt?.text == "/home/me/Downloads/Q4 report – final ü.pdf")
        var hostile = info
        hostile.fileName = "../../etc/passwd"
        _ = AppCore.update(&state, .key(.escape))
        _ = AppCore.update(&state, .attachments(.infoLoaded(hostile)))
        _ = AppCore.update(&state, .key(.character("s")))
        #expect(state.attachments.prompt?.text == "/home/me/Downloads/passwd", "a name, never a path")
    }

    @Test func syncProgressShowsWhileSyncing() {
        var state = state()
        _ = state.sync.schedule.handle(.requested)
        _ = AppCore.update(&state, .sync(.progress(.pulling(collection: "tasks", done: 1500))))
        #expect(state.sync.progress == .pulling(collection: "tasks", done: 1500))
        _ = AppCore.update(&state, .sync(.finished(collection: "tasks", count: 2000, at: Date())))
        #expect(state.sync.progress == nil)
        _ = AppCore.update(&state, .sync(.progress(.pulling(collection: "tasks", done: 1))))
        #expect(state.sync.progress == nil, "a late page after the end is ignored")
    }

    @Test func aKeyShowsAsItsFileName() {
        #expect(AppCore.fileName(ofKey: Self.key) == "report.pdf")
    }
}
