import Foundation
import HandsetModel
import HandsetSync
import HandsetWire

/// A file on its way to or from storage.
public struct TransferState: Sendable, Equatable {
    public var title: String
    public var done: Int64
    public var total: Int64

    public init(title: String, done: Int64 = 0, total: Int64 = 0) {
        self.title = title
        self.done = done
        self.total = total
    }

    /// 0...1, or nil while the size is unknown.
    public var fraction: Double? { total > 0 ? min(Double(done) / Double(total), 1) : nil }
}

/// A one-line question at the bottom of the screen (a file path).
public struct PromptState: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        /// Upload the file at the typed path into `collection/recordId.field`.
        case upload(collection: String, recordId: String, field: String)
        /// Save the object `key` to the typed path.
        case download(key: String)
    }

    public var purpose: Purpose
    public var text: String

    public init(purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.text = text
    }

    public var title: String {
        switch purpose {
        case .upload(_, _, let field): return "Upload a file to \(field) (path)"
        case .download: return "Save the attachment to"
        }
    }
}

/// Attachments (fields of format `x-object-key`) on the detail screen and in the form.
extension AppCore {
    /// The display name of an object key: its last segment.
    public static func fileName(ofKey key: String) -> String {
        key.split(separator: "/").last.map(String.init) ?? key
    }

    /// The attachment fields of the collection showing.
    static func attachmentFields(_ state: AppState) -> [FieldSchema] {
        state.currentCollection?.fields.filter { $0.kind == .objectKey } ?? []
    }

    static func record(_ id: String, in state: AppState) -> Record? {
        state.list?.window.first { $0.id == id } ?? (state.focusedRecord?.id == id ? state.focusedRecord : nil)
    }

    /// Shows a record and asks for its attachments' size and tier.
    static func openDetail(_ id: String, in state: inout AppState) -> [AppEffect] {
        state.screen = .detail(recordId: id)
        guard let record = record(id, in: state) else { return [] }
        return attachmentFields(state).compactMap { field in
            guard case .string(let key)? = record.fields[field.name], !key.isEmpty else { return nil }
            return .loadAttachmentInfo(key: key)
        }
    }

    /// `u` upload, `s` save, `R` restore from the archive, on the detail screen.
    static func handleAttachmentKey(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect]? {
        let fields = attachmentFields(state)
        guard let collection = state.list?.collection, !fields.isEmpty else { return nil }
        let record = record(recordId, in: state)
        let keys: [(field: String, key: String)] = fields.compactMap { field in
            guard case .string(let key)? = record?.fields[field.name], !key.isEmpty else { return nil }
            return (field.name, key)
        }
        switch key {
        case .character("u"):
            let field = fields.first { record?.fields[$0.name] == nil } ?? fields[0]
            state.prompt = PromptState(purpose: .upload(collection: collection, recordId: recordId, field: field.name))
            return []
        case .character("s"):
            guard let first = keys.first else {
                state.message = StatusMessage("No attachment to save", kind: .error)
                return []
            }
            let directory = state.downloadDirectory.hasSuffix("/") ? state.downloadDirectory : state.downloadDirectory + "/"
            state.prompt = PromptState(purpose: .download(key: first.key), text: directory + fileName(ofKey: first.key))
            return []
        case .character("R"):
            guard let first = keys.first else { return [] }
            return [.restoreAttachment(key: first.key)]
        default:
            return nil
        }
    }

    static func handlePromptKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard var prompt = state.prompt else { return [] }
        switch key {
        case .escape:
            state.prompt = nil
            return []
        case .enter:
            state.prompt = nil
            let path = prompt.text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { return [] }
            switch prompt.purpose {
            case .upload(let collection, let recordId, let field):
                state.transfer = TransferState(title: "Uploading \((path as NSString).lastPathComponent)")
                return [.uploadAttachment(collection: collection, recordId: recordId, field: field, path: path)]
            case .download(let key):
                state.transfer = TransferState(title: "Downloading \(fileName(ofKey: key))")
                return [.downloadAttachment(key: key, path: path)]
            }
        case .backspace:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
        case .control("u"):
            prompt.text = ""
        case .character(let character):
            prompt.text.append(character)
        default:
            break
        }
        state.prompt = prompt
        return []
    }

    /// Results of attachment effects.
    static func handleAttachmentEvent(_ event: AppEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .transferProgress(let done, let total):
            state.transfer?.done = done
            state.transfer?.total = total
            return []
        case .attachmentUploaded(let collection, _, let field, let key):
            state.transfer = nil
            state.message = StatusMessage("Attached \(fileName(ofKey: key)) to \(field); it syncs in the background")
            return afterLocalWrite(collection: collection, in: &state) + [.loadAttachmentInfo(key: key)]
        case .attachmentDownloaded(let path):
            state.transfer = nil
            state.message = StatusMessage("Saved to \(path)")
            return []
        case .attachmentInfoLoaded(let info):
            state.attachmentInfo[info.key] = info
            if info.restore == .inProgress { state.message = StatusMessage("Restoring from the archive; it takes a while") }
            return []
        case .attachmentFailed(let message):
            state.transfer = nil
            if let message { state.message = StatusMessage(message, kind: .error) }
            return []
        case .syncProgress(let progress):
            guard state.isSyncing else { return [] }
            state.syncProgress = progress
            // Records appear while a long first sync runs: the visible window is reloaded as pages land, while it
            // is not yet full (a full window stays put under the person's cursor until the sync ends).
            if case .pulling(let collection, _) = progress, let list = state.list, list.collection == collection,
                list.total < state.viewportRows, state.filter == nil
            {
                return [reload(list, in: state), .loadCounts]
            }
            return []
        default:
            return []
        }
    }

    /// On save, a changed attachment field holding a local path is not written as a key: the record is saved
    /// with its old value, and the file is uploaded once the save lands.
    static func splitUploads(_ fields: [String: JSONValue], form: EditFormState) -> ([String: JSONValue], [String: String]) {
        var fields = fields
        var uploads: [String: String] = [:]
        for field in form.fields where field.kind == .objectKey {
            let typed = form.values[field.name] ?? ""
            guard !typed.isEmpty, typed != form.original[field.name] else { continue }
            uploads[field.name] = typed
            if let original = form.original[field.name], !original.isEmpty {
                fields[field.name] = .string(original)
            } else {
                fields[field.name] = nil
            }
        }
        return (fields, uploads)
    }
}
