import Foundation
import HandsetModel
import HandsetWire

/// The edit and create form: keys edit it, saving writes locally (then syncs), `$EDITOR` edits one field.
enum FormReducer {
    static func reduce(_ event: FormEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .saved(let collection, let id):
            state.message = StatusMessage("Saved; it syncs in the background")
            if case .edit(let form) = state.screen, form.collection == collection {
                // A new record is shown selected on the list (the reload finds it, wherever it sorts), marked pending.
                state.screen = form.recordId == nil ? .list : .detail(recordId: id)
                if form.recordId == nil, state.list?.collection == collection { state.list?.selectedId = id }
            }
            var effects = SyncReducer.afterLocalWrite(collection: collection, in: &state)
            // Files typed into attachment fields go up now that the record exists on this device.
            for (field, path) in state.attachments.uploadsAfterSave.sorted(by: { $0.key < $1.key }) {
                state.attachments.transfer = TransferState(title: "Uploading \((path as NSString).lastPathComponent)")
                effects.append(.uploadAttachment(collection: collection, recordId: id, field: field, path: path))
            }
            state.attachments.uploadsAfterSave = [:]
            return effects

        case .deleted(let collection, _):
            state.message = StatusMessage("Deleted; it syncs in the background")
            state.screen = .list
            return SyncReducer.afterLocalWrite(collection: collection, in: &state)

        case .saveFailed(let message):
            if case .edit(var form) = state.screen {
                form.isSaving = false
                state.screen = .edit(form)
            }
            state.message = StatusMessage(message, kind: .error)
            return []

        case .externalEditFinished(let field, let text, let message):
            if case .edit(var form) = state.screen {
                if let text { form.setExternallyEdited(field: field, text: text) }
                state.screen = .edit(form)
            }
            if let message { state.message = StatusMessage(message, kind: text == nil ? .error : .info) }
            return []
        }
    }

    /// Opens the form on a record of the collection showing (nil: a new one).
    /// Opens the form on a record of the collection showing (nil: a new one), asking for what it shows by name
    /// (files, related records).
    @discardableResult
    static func openEditor(recordId: String?, in state: inout AppState) -> [AppEffect] {
        guard let collection = state.currentCollection else { return [] }
        let record = recordId.flatMap { DetailReducer.record($0, in: state) }
        if recordId != nil, record == nil { return [] }
        state.screen = .edit(EditFormState(collection: collection, record: record))
        guard let record else { return [] }
        return DetailReducer.namesToLoad(for: record, in: state)
    }

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard case .edit(var form) = state.screen else { return [] }
        guard let collection = state.schema?.collection(named: form.collection) else {
            state.screen = .list
            return []
        }
        switch form.handle(key, collection: collection) {
        case .none:
            state.screen = .edit(form)
            return []
        case .close:
            state.screen = form.recordId.map { .detail(recordId: $0) } ?? .list
            return []
        case .save(let fields):
            state.screen = .edit(form)
            let (saved, uploads) = AttachmentsReducer.splitUploads(fields, form: form)
            state.attachments.uploadsAfterSave = uploads
            return [.saveRecord(collection: form.collection, id: form.recordId, fields: saved)]
        case .editExternally(let field, let text):
            state.screen = .edit(form)
            return [.editExternally(field: field, text: text)]
        }
    }
}
