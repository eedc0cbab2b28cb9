import Foundation
import HandsetModel
import HandsetWire

/// The record list: moving through a window of a large collection, filtering, sorting, switching collections.
enum ListReducer {
    static func reduce(_ event: ListEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .schemaLoaded(let schema, let sorts):
            // The saved orders of whoever is signed in now (after a switch of user, theirs, not the last one's); an
            // order changed during this session stays (it was saved, and this answer may have been read before).
            state.sorts.merge(sorts) { current, _ in current }
            state.sync.connectivity = .online
            _ = state.sync.schedule.handle(.reachable)
            var effects = show(schema: schema, in: &state)
            if let collection = state.list?.collection {
                _ = state.sync.schedule.handle(.forced)
                effects.append(.sync(collection: collection))
            }
            return effects

        case .relatedLoaded(let titles):
            state.related.merge(titles) { _, new in new }
            return []

        case .searched(let collection, let text, let records):
            // Searches answer in any order: only the one for the filter as it reads now is shown.
            guard var list = state.list, list.collection == collection, list.filter == text else { return [] }
            install(records, offset: 0, total: records.count, kept: nil, in: &list, viewportRows: state.viewportRows)
            state.list = list
            return []

        case .recordsLoaded(let collection, let offset, let records, let total, let kept):
            // A window of the whole list that arrives while a filter shows its matches is stale.
            guard var list = state.list, list.collection == collection, !list.isFiltered else { return [] }
            install(records, offset: offset, total: total, kept: kept, in: &list, viewportRows: state.viewportRows)
            state.list = list
            return []
        }
    }

    /// Shows a loaded window. The selection stays on its record wherever the load moved it, on the same screen
    /// row; a record no longer listed leaves the selection on its row (the next record).
    static func install(
        _ records: [Record], offset: Int, total: Int, kept: KeptRecord?, in list: inout RecordListState,
        viewportRows: Int
    ) {
        let screenRow = list.selected - list.scrollTop
        list.window = records
        list.windowOffset = offset
        list.total = total
        var target: Int?
        if let kept, kept.id == list.selectedId {
            target = kept.index
        } else if let id = list.selectedId, let index = records.firstIndex(where: { $0.id == id }) {
            target = offset + index
        }
        if let target {
            list.selected = target
            list.scrollTop = max(target - screenRow, 0)
        }
        if list.selected >= total { list.selected = max(total - 1, 0) }
        _ = list.moveSelection(by: 0, viewportRows: viewportRows)
        if let record = list.selectedRecord { list.selectedId = record.id }
    }

    // MARK: Loading

    /// Loads a window of `collection` in its kept order (moved to hold the record `keeping`, if given).
    static func load(
        _ collection: String, offset: Int = 0, limit: Int = RecordListState.windowSize, keeping: String? = nil,
        in state: AppState
    ) -> AppEffect {
        .loadRecords(
            collection: collection, offset: offset, limit: limit, sort: state.sort(of: collection), keeping: keeping)
    }

    /// The load that refreshes the visible list (the filtered matches when filtering), keeping the selection on
    /// its record.
    static func reload(_ list: RecordListState, in state: AppState) -> AppEffect {
        if let filter = list.filter, !filter.isEmpty {
            return .searchRecords(collection: list.collection, text: filter)
        }
        return load(list.collection, offset: list.windowOffset, keeping: list.selectedId, in: state)
    }

    /// Installs a schema and makes sure a valid collection is selected and loaded.
    static func show(schema: APISchema, in state: inout AppState) -> [AppEffect] {
        state.schema = schema
        let current = state.list?.collection
        let name = current.flatMap { schema.collection(named: $0)?.name } ?? schema.collections.first?.name
        guard let name else {
            state.list = nil
            state.message = StatusMessage("The API has no collections", kind: .error)
            return []
        }
        if state.list?.collection != name { state.list = RecordListState(collection: name) }
        return [load(name, offset: state.list?.windowOffset ?? 0, in: state)]
    }

    /// Shows another collection from its start (no filter), loading it.
    static func open(collection name: String, in state: inout AppState) -> AppEffect {
        state.list = RecordListState(collection: name)
        return load(name, in: state)
    }

    /// Moves the selection, loading another window when it nears the edge of the loaded one.
    static func moveSelection(by delta: Int, in state: inout AppState) -> [AppEffect] {
        guard var list = state.list else { return [] }
        let window = list.moveSelection(by: delta, viewportRows: state.viewportRows)
        state.list = list
        guard let window else { return [] }
        return [load(list.collection, offset: window.offset, limit: window.limit, in: state)]
    }

    // MARK: Keys

    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        state.detail.returnsToInbox = nil
        if state.list?.isEditingFilter == true { return handleFilterKey(key, in: &state) }
        let page = max(state.viewportRows - 1, 1)
        let delta: Int?
        switch key {
        case .down, .character("j"): delta = 1
        case .up, .character("k"): delta = -1
        case .pageDown, .control("f"): delta = page
        case .pageUp, .control("b"): delta = -page
        case .home, .character("g"): delta = Int.min / 2
        case .end, .character("G"): delta = Int.max / 2
        default: delta = nil
        }
        if let delta { return moveSelection(by: delta, in: &state) }
        switch key {
        case .character("q"):
            ConfirmationReducer.quit(in: &state)
            return []
        case .character("/"):
            guard var list = state.list else { return [] }
            list.isEditingFilter = true
            list.filter = list.filter ?? ""
            list.filterCursor = list.filter?.count ?? 0
            state.list = list
            return []
        case .escape where state.list?.filter != nil:
            return handleFilterKey(.escape, in: &state)
        case .enter, .right, .character("l"):
            if let id = state.list?.selectedRecord?.id { return DetailReducer.open(id, in: &state) }
            return []
        case .character("n"):
            // Offered only where the API's rules let this user create: anything else would be refused later.
            if let collection = state.currentCollection,
                !collection.creators.allow(memberOf: state.user?.groups ?? [])
            {
                state.message = StatusMessage(collection.whoMayCreate, kind: .error)
                return []
            }
            FormReducer.openEditor(recordId: nil, in: &state)
            return []
        case .character("e"):
            if let id = state.list?.selectedRecord?.id { return FormReducer.openEditor(recordId: id, in: &state) }
            return []
        case .character("d"):
            if let id = state.list?.selectedRecord?.id { state.screen = .confirmDelete(recordId: id) }
            return []
        case .character("c"):
            // Conflicts first; with none, the refused writes beside them.
            if state.sync.conflictCount == 0, !state.sync.refusals.isEmpty {
                RefusedReducer.open(in: &state)
                return []
            }
            return [.loadConflicts]
        case .character("!"):
            RefusedReducer.open(in: &state)
            return []
        case .character("o"), .character("O"):
            return changeSort(reverse: key == .character("O"), in: &state)
        case .character("i"):
            state.screen = .inbox(selected: 0)
            return [.loadInbox]
        case .character("A"):
            state.screen = .account
            return [.loadMFA, .loadDevices]
        case .character("r"):
            guard state.list != nil else { return [] }
            guard !state.sync.isSyncing else {
                state.message = StatusMessage("Already syncing…")
                return []
            }
            state.message = nil
            return SyncReducer.start(.requested, in: &state)
        case .tab, .character("]"), .backTab, .character("["):
            guard let schema = state.schema, !schema.collections.isEmpty else { return [] }
            let names = schema.collections.map(\.name)
            let index = names.firstIndex(of: state.list?.collection ?? "") ?? 0
            let step = (key == .tab || key == .character("]")) ? 1 : names.count - 1
            let name = names[(index + step) % names.count]
            return [open(collection: name, in: &state)] + SyncReducer.start(.forced, in: &state)
        default:
            return []
        }
    }

    static func handleFilterKey(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard var list = state.list else { return [] }
        var text = list.filter ?? ""
        switch key {
        case .escape:
            list.filter = nil
            list.isEditingFilter = false
            list.selected = 0
            list.scrollTop = 0
            state.list = list
            return [load(list.collection, keeping: list.selectedId, in: state)]
        case .enter, .down, .up:
            state.list?.isEditingFilter = false
            return []
        default:
            var killed = ""
            guard TextInput.edit(&text, cursor: &list.filterCursor, killed: &killed, with: key) else { return [] }
            guard text != list.filter else {
                state.list = list
                return []
            }
        }
        list.filter = text
        list.selected = 0
        list.scrollTop = 0
        state.list = list
        return [
            text.isEmpty
                ? load(list.collection, keeping: list.selectedId, in: state)
                : .searchRecords(collection: list.collection, text: text)
        ]
    }

    /// `o` sorts by the next list column (id order, then each column, then last change), `O` flips the direction.
    static func changeSort(reverse: Bool, in state: inout AppState) -> [AppEffect] {
        guard let collection = state.currentCollection, var list = state.list else { return [] }
        var sort = state.sort(of: collection.name)
        if reverse {
            sort.descending.toggle()
        } else {
            let choices: [String?] =
                [nil] + collection.listColumns.filter(RecordSort.isSortable).map { $0 }
                + (collection.listColumns.contains(RecordField.updatedAt) ? [] : [RecordField.updatedAt])
            let index = choices.firstIndex(of: sort.field) ?? 0
            sort = RecordSort(field: choices[(index + 1) % choices.count], descending: false)
        }
        state.sorts[collection.name] = sort
        sort = state.sort(of: collection.name)
        state.sorts[collection.name] = sort
        if list.selectedId == nil {
            list.selected = 0
            list.scrollTop = 0
        }
        list.windowOffset = 0
        state.list = list
        let label = sort.field.map(FieldNames.label(for:)) ?? "id"
        // A field that is no column says so: nothing on screen would show the order otherwise.
        let hidden = sort.field.map { !collection.listColumns.contains($0) } ?? false
        state.message = StatusMessage(
            "Sorted by \(label)\(hidden ? " (not a column)" : ""), \(sort.descending ? "descending" : "ascending")")
        // The selection stays on its record in the new order.
        return [
            load(collection.name, keeping: list.selectedId, in: state), .saveSort(collection: collection.name, sort),
        ]
    }
}
