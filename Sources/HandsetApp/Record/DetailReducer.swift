import Foundation
import HandsetModel
import HandsetWire

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
        return namesToLoad(for: record, in: state)
    }

    /// What a record's screens need to show its files and related records by name: the files' info, the related
    /// records' titles.
    static func namesToLoad(for record: Record, in state: AppState) -> [AppEffect] {
        var effects: [AppEffect] = AttachmentsReducer.attachmentFields(state).compactMap { field in
            guard case .string(let key)? = record.fields[field.name], !key.isEmpty else { return nil }
            return .loadAttachmentInfo(key: key)
        }
        // Relations show the related record's title.
        let links: [RecordLink] = (state.currentCollection?.fields ?? []).compactMap { field in
            guard let target = field.references, case .string(let id)? = record.fields[field.name], !id.isEmpty
            else { return nil }
            return RecordLink(collection: target, id: id)
        }
        if !links.isEmpty {
            var titleFields: [String: String] = [:]
            for link in links {
                titleFields[link.collection] = state.schema?.collection(named: link.collection)?.titleField
            }
            effects.append(.loadRelatedTitles(links, titleFields: titleFields))
        }
        return effects
    }

    static func handle(_ key: Key, recordId: String, in state: inout AppState) -> [AppEffect] {
        if let effects = AttachmentsReducer.handleDetailKey(key, recordId: recordId, in: &state) { return effects }
        if state.scroll.handle(key) { return [] }
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            if let row = state.detail.returnsToInbox {
                state.detail.returnsToInbox = nil
                state.screen = .inbox(selected: row)
                return [.loadInbox]
            }
            state.screen = .list
        case .character("e"):
            return FormReducer.openEditor(recordId: recordId, in: &state)
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
