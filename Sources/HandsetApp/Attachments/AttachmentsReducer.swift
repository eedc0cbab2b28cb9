import Foundation
import HandsetModel
import HandsetWire

/// Attachments (fields of format `x-object-key`) on the detail screen and in the form.
enum AttachmentsReducer {
    static func reduce(_ event: AttachmentEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .progress(let done, let total):
            state.attachments.transfer?.done = done
            state.attachments.transfer?.total = total
            return []
        case .uploaded(let collection, _, let field, let key):
            state.attachments.transfer = nil
            state.message = StatusMessage(
                "Attached \(AppCore.fileName(ofKey: key)) to \(field); it syncs in the background")
            return SyncReducer.afterLocalWrite(collection: collection, in: &state) + [.loadAttachmentInfo(key: key)]
        case .downloaded(let path):
            state.attachments.transfer = nil
            state.message = StatusMessage("Saved to \(path)")
            return []
        case .downloadWouldReplace(let key, let path):
            state.attachments.transfer = nil
            state.attachments.prompt = PromptState(purpose: .replaceFile(key: key, path: path))
            return []
        case .infoLoaded(let info):
            state.attachments.info[info.key] = info
            if info.restore == .inProgress {
                state.message = StatusMessage("Restoring from the archive; it takes a while")
            }
            return []
        case .failed(let message):
            state.attachments.transfer = nil
            if let message { state.message = StatusMessage(message, kind: .error) }
            return []
        }
    }

    /// A stored file's name as the person gave it (spaces, accents), else as the key has it; never a path.
    static func displayName(of key: String, in state: AppState) -> String {
        let given = state.attachments.info[key]?.fileName.map { ($0 as NSString).lastPathComponent }
        let safe = given?.filter { !$0.isNewline && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }
        return safe.flatMap { $0.isEmpty || $0 == "." || $0 == ".." ? nil : $0 } ?? AppCore.fileName(ofKey: key)
    }

    /// The attachment fields of the collection showing.
    static func attachmentFields(_ state: AppState) -> [FieldSchema] {
        state.currentCollection?.fields.filter { $0.kind == .objectKey } ?? []
    }

    /// `u` upload, `s` save, `R` restore from the archive, on the detail screen; nil for other keys.
    static func handleDetailKey(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect]? {
        let fields = attachmentFields(state)
        guard let collection = state.list?.collection, !fields.isEmpty else { return nil }
        let record = DetailReducer.record(recordId, in: state)
        let keys: [(field: String, key: String)] = fields.compactMap { field in
            guard case .string(let key)? = record?.fields[field.name], !key.isEmpty else { return nil }
            return (field.name, key)
        }
        switch key {
        case .character("u"):
            let field = fields.first { record?.fields[$0.name] == nil } ?? fields[0]
            if case .string(let existing)? = record?.fields[field.name], !existing.isEmpty {
                // Every attachment field holds a file already: replacing one is asked first.
                let name = displayName(of: existing, in: state)
                state.confirmation = Confirmation(
                    "Replace \(name) in \(FieldNames.label(for: field.name))? y chooses a new file, any other key keeps it",
                    .replaceAttachment(collection: collection, recordId: recordId, field: field.name))
                return []
            }
            state.attachments.prompt = PromptState(
                purpose: .upload(collection: collection, recordId: recordId, field: field.name))
            return []
        case .character("s"):
            guard let first = keys.first else {
                state.message = StatusMessage("No attachment to save", kind: .error)
                return []
            }
            let directory = state.attachments.downloadDirectory
            let folder = directory.hasSuffix("/") ? directory : directory + "/"
            state.attachments.prompt = PromptState(
                purpose: .download(key: first.key), text: folder + displayName(of: first.key, in: state))
            return []
        case .character("R"):
            guard let first = keys.first else { return [] }
            return [.restoreAttachment(key: first.key)]
        default:
            return nil
        }
    }

    static func handlePromptKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard var prompt = state.attachments.prompt else { return [] }
        if case .replaceFile(let objectKey, let path) = prompt.purpose {
            // A yes/no question: only `y` replaces the file; anything else keeps it as it is.
            state.attachments.prompt = nil
            guard key == .character("y") || key == .character("Y") else {
                state.message = StatusMessage("Not saved; \(path) is unchanged")
                return []
            }
            state.attachments.transfer = TransferState(title: "Downloading \(AppCore.fileName(ofKey: objectKey))")
            return [.downloadAttachment(key: objectKey, path: path, overwrite: true)]
        }
        switch key {
        case .escape:
            state.attachments.prompt = nil
            return []
        case .enter:
            state.attachments.prompt = nil
            let path = prompt.text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { return [] }
            switch prompt.purpose {
            case .upload(let collection, let recordId, let field):
                state.attachments.transfer = TransferState(title: "Uploading \((path as NSString).lastPathComponent)")
                return [.uploadAttachment(collection: collection, recordId: recordId, field: field, path: path)]
            case .download(let key):
                state.attachments.transfer = TransferState(title: "Downloading \(AppCore.fileName(ofKey: key))")
                return [.downloadAttachment(key: key, path: path)]
            case .replaceFile:
                return []
            }
        default:
            prompt.input.handle(key)
        }
        state.attachments.prompt = prompt
        return []
    }

    /// On save, a changed attachment field holding a local path is not written as a key: the record is saved
    /// with its old value, and the file is uploaded once the save lands.
    static func splitUploads(
        _ fields: [String: JSONValue], form: EditFormState
    ) -> ([String: JSONValue], [String: String]) {
        var fields = fields
        var uploads: [String: String] = [:]
        for field in form.fields where field.kind == .objectKey {
            let typed = form.values[field.name] ?? ""
            guard !typed.isEmpty else { continue }
            uploads[field.name] = typed
            if let original = form.attachmentKeys[field.name] {
                fields[field.name] = .string(original)
            } else {
                fields[field.name] = nil
            }
        }
        return (fields, uploads)
    }
}

extension AppCore {
    /// The display name of an object key: its last segment.
    public static func fileName(ofKey key: String) -> String {
        key.split(separator: "/").last.map(String.init) ?? key
    }
}
