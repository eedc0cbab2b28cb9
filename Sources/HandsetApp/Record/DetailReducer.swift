import Foundation
import HandsetModel

/// The detail screen of one record, and the question before deleting it.
enum DetailReducer {
    /// The record with `id`, from the loaded window or the record opened from elsewhere.
    static func record(_ id: String, in state: AppState) -> Record? {
        state.list?.window.first { $0.id == id }
            ?? (state.detail.focusedRecord?.id == id ? state.detail.focusedRecord : nil)
    }

    /// Shows a record and asks for its attachments' size and tier.
    static func open(_ id: String, in state: inout AppState) -> [AppEffect] {
        state.screen = .detail(recordId: id)
        guard let record = record(id, in: state) else { return [] }
        // Kept beside the list's window: a reload that moves the window (a filter's answer, a sync) must not take
        // the record from the screen.
        state.detail.focusedRecord = record
        return AttachmentsReducer.attachmentFields(state).compactMap { field in
            guard case .string(let key)? = record.fields[field.name], !key.isEmpty else { return nil }
            return .loadAttachmentInfo(key: key)
        }
    }

    static func handle(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect] {
        if let effects = AttachmentsReducer.handleDetailKey(key, recordId: recordId, in: &state) { return effects }
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            if let row = state.detail.returnsToInbox {
                state.detail.returnsToInbox = nil
                state.screen = .inbox(selected: row)
                return [.loadInbox]
            }
            state.screen = .list
        case .character("e"):
            FormReducer.openEditor(recordId: recordId, in: &state)
        case .character("d"):
            state.screen = .confirmDelete(recordId: recordId)
        case .character("x"):
            // Discard the write the server refused (the record goes back to the server's version).
            if let refusal = state.sync.refusals.first(where: { $0.recordId == recordId }) {
                return [.discardRefusal(collection: refusal.collection, id: recordId)]
            }
        default:
            break
        }
        return []
    }

    /// `y` deletes; any other key keeps the record.
    static func handleDeleteConfirmation(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect] {
        guard key == .character("y") || key == .character("Y"), let collection = state.list?.collection else {
            state.screen = .detail(recordId: recordId)
            return []
        }
        state.screen = .list
        return [.deleteRecord(collection: collection, id: recordId)]
    }
}
