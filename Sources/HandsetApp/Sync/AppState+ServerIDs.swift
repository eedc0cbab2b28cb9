import HandsetModel

extension AppState {
    /// Records made here under a temporary id go by the server's id now: every screen that names one follows it
    /// (the list's selection, the record open in the detail, the form and a question about deleting it), and a form
    /// field that links to it names the new id, so the next save neither loses the record nor breaks the link.
    mutating func adoptServerIDs(_ changes: [RecordIDChange]) {
        for change in changes {
            let (old, new) = (change.temporaryID, change.serverID)
            let listed = list?.collection == change.collection
            if listed, list?.selectedId == old { list?.selectedId = new }
            switch screen {
            case .detail(let id) where listed && id == old:
                screen = .detail(recordId: new)
            case .confirmDelete(let id) where listed && id == old:
                screen = .confirmDelete(recordId: new)
            case .edit(var form):
                if form.collection == change.collection, form.recordId == old { form.recordId = new }
                for field in form.fields where field.references == change.collection {
                    if form.values[field.name] == old { form.values[field.name] = new }
                    if form.original[field.name] == old { form.original[field.name] = new }
                }
                screen = .edit(form)
            default:
                break
            }
        }
    }
}
