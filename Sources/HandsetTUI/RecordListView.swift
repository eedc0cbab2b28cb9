import Foundation
import HandsetApp
import HandsetModel

/// The home screen: collection tabs, the record list with schema-driven columns, status bar and key hints.
public enum RecordListView {
    /// Rows above and below the list body (header, tabs, column headers; status bar, hints).
    public static let chromeRows = 5

    /// Header, tabs and status bar: the frame every signed-in screen shares.
    public static func renderChrome(_ state: AppState, timeZone: TimeZone, now: Date, into grid: inout CellGrid) {
        renderHeader(state, into: &grid)
        renderTabs(state, into: &grid)
        StatusBarView.render(state, timeZone: timeZone, now: now, row: grid.height - 2, into: &grid)
    }

    public static func render(_ state: AppState, timeZone: TimeZone, now: Date, into grid: inout CellGrid) {
        renderHeader(state, into: &grid)
        renderTabs(state, into: &grid)
        var right = grid.width - 1
        if let list = state.list, let filter = list.filter {
            // The filter on the tabs' row, right-aligned; while typing, the cursor is in it.
            let room = grid.width / 2 - 2
            let width = min(TextWidth.width(of: filter) + 2, room)
            let x = grid.width - width - 1
            let role: StyleRole = list.isEditingFilter ? .fieldFocused : .title
            grid.put("/", x: x, y: 1, role: role)
            InputView.render(
                filter, cursor: list.filterCursor, x: x + 1, y: 1, width: width - 1, role: role,
                focused: list.isEditingFilter, into: &grid)
            right = x - 2
        }
        if let collection = state.currentCollection, let sort = state.sorts[collection.name],
            let field = sort.field, !visibleColumns(collection, width: grid.width).contains(field)
        {
            // A sort by a field that is no column (or no longer fits) says which, beside the tabs.
            let mark = "by \(FieldFormatter.label(for: field)) \(sort.descending ? "▼" : "▲")"
            let x = right - TextWidth.width(of: mark)
            if x > grid.width / 2 { grid.put(mark, x: x, y: 1, role: .dim) }
        }
        if let list = state.list, let collection = state.currentCollection {
            if grid.width >= sidebarMinimumWidth, let schema = state.schema {
                // Wide terminals: the collections in a sidebar, the table beside it.
                renderSidebar(state, schema: schema, into: &grid)
                var body = CellGrid(width: grid.width - sidebarWidth, height: grid.height)
                renderTable(
                    list, collection: collection, filter: state.list?.filter, sort: state.sorts[collection.name],
                    mayCreate: mayCreate(state), timeZone: timeZone, into: &body)
                grid.paste(body, rows: 2..<(grid.height - 2), x: sidebarWidth)
            } else {
                renderTable(
                    list, collection: collection, filter: state.list?.filter, sort: state.sorts[collection.name],
                    mayCreate: mayCreate(state), timeZone: timeZone, into: &grid)
            }
        } else {
            let text = state.schema == nil ? "Loading the API description…" : "No collection selected"
            grid.put(text, x: 2, y: 3, role: .dim)
        }
        StatusBarView.render(state, timeZone: timeZone, now: now, row: grid.height - 2, into: &grid)
        var hints: [(String, String)]
        if state.list?.isEditingFilter ?? false {
            hints = [("type", "to filter"), ("Enter", "done"), ("Esc", "clear")]
        } else {
            hints = [("↑↓", "move"), ("Enter", "open")]
            if mayCreate(state) { hints.append(("n", "new")) }
            hints += [("/", "filter"), ("Tab", "collection"), ("r", "sync")]
            if state.sync.conflictCount > 0 { hints.append(("c", "conflicts")) }
            if !state.sync.refusals.isEmpty { hints.append(("!", "refused")) }
            hints += [("i", "inbox"), ("?", "help"), ("q", "quit")]
        }
        KeyHints.render(hints, row: grid.height - 1, into: &grid)
    }

    /// Whether the API's rules let the signed-in user create records in the collection showing.
    static func mayCreate(_ state: AppState) -> Bool {
        state.currentCollection?.creators.allow(memberOf: state.user?.groups ?? []) ?? true
    }

    /// The list columns that get any room at this terminal width.
    static func visibleColumns(_ collection: CollectionSchema, width: Int) -> [String] {
        let columns = collection.listColumns.compactMap { name in
            collection.field(named: name) ?? (name == "updatedAt" ? FieldSchema(name: name, kind: .dateTime) : nil)
        }
        let tableWidth = width >= sidebarMinimumWidth ? width - sidebarWidth : width
        let widths = layout(columns, available: tableWidth - 3)
        return zip(columns, widths).filter { $0.1 > 0 }.map(\.0.name)
    }

    /// Terminals at least this wide get a sidebar of collections beside the list.
    public static let sidebarMinimumWidth = 120
    public static let sidebarWidth = 22

    /// The collections of the API, the current one marked, with its record count.
    static func renderSidebar(_ state: AppState, schema: APISchema, into grid: inout CellGrid) {
        grid.put("Collections", x: 1, y: 2, role: .columnHeader, maxWidth: sidebarWidth - 2)
        for (index, collection) in schema.collections.enumerated() {
            let y = 3 + index
            guard y < grid.height - 2 else { break }
            let isCurrent = collection.name == state.list?.collection
            let count = isCurrent ? state.list.map { " \($0.total)" } ?? "" : ""
            let label = TextWidth.truncate(collection.name, to: sidebarWidth - 3 - count.count)
            // Marked, not reverse video: the list's selection stays the only one on screen.
            grid.put((isCurrent ? "›" : " ") + label, x: 0, y: y, role: isCurrent ? .title : .normal)
            if !count.isEmpty {
                grid.put(count, x: sidebarWidth - 1 - count.count, y: y, role: .dim)
            }
        }
        for y in 2..<(grid.height - 2) { grid.put("│", x: sidebarWidth - 1, y: y, role: .dim) }
    }

    static func renderHeader(_ state: AppState, into grid: inout CellGrid) {
        grid.fill(x: 0, y: 0, width: grid.width, height: 1, role: .header)
        var x = 1
        x += grid.put("Handset", x: x, y: 0, role: .header)
        // Whose data this is comes first: the API's title gets what is left between them, cut with an ellipsis.
        let who = [state.user?.username, state.profile].compactMap { $0 }.joined(separator: " · ")
        let whoWidth = TextWidth.width(of: who)
        let whoShown = whoWidth + 2 < grid.width / 2
        if whoShown { grid.put(who, x: grid.width - whoWidth - 1, y: 0, role: .header) }
        if let title = state.schema?.title {
            x += grid.put(" │ ", x: x, y: 0, role: .header)
            let room = (whoShown ? grid.width - whoWidth - 2 : grid.width - 1) - x
            if room > 0 { grid.put(TextWidth.truncate(title, to: room), x: x, y: 0, role: .header) }
        }
    }

    static func renderTabs(_ state: AppState, into grid: inout CellGrid) {
        guard let schema = state.schema else { return }
        var x = 1
        for collection in schema.collections {
            let isCurrent = collection.name == state.list?.collection
            let label = " \(collection.name) "
            if x + TextWidth.width(of: label) > grid.width { break }
            x += grid.put(label, x: x, y: 1, role: isCurrent ? .title : .dim)
            x += 1
        }
    }

    /// Column widths for `columns` in `available` columns: fixed kinds get their preferred width, the rest share.
    static func layout(_ columns: [FieldSchema], available: Int) -> [Int] {
        let gaps = max(columns.count - 1, 0)
        var widths = columns.map { FieldFormatter.preferredWidth(for: $0) }
        let fixed = widths.compactMap { $0 }.reduce(0, +)
        let flexibleCount = widths.filter { $0 == nil }.count
        var remaining = available - gaps - fixed
        if flexibleCount == 0 {
            // Give spare room to the first column.
            if remaining > 0, !widths.isEmpty { widths[0] = (widths[0] ?? 0) + remaining }
            remaining = 0
        }
        let share = flexibleCount > 0 ? max(remaining / flexibleCount, 6) : 0
        var result = widths.map { $0 ?? share }
        // Too narrow: shrink from the right until it fits, dropping columns that reach 0.
        var total = result.reduce(0, +) + gaps
        var index = result.count - 1
        while total > available, index >= 0 {
            let cut = min(result[index], total - available)
            result[index] -= cut
            total -= cut
            if result[index] == 0 { total -= 1 }
            index -= 1
        }
        return result
    }

    static func renderTable(
        _ list: RecordListState, collection: CollectionSchema, filter: String? = nil, sort: RecordSort? = nil,
        mayCreate: Bool = true, timeZone: TimeZone = .current, into grid: inout CellGrid
    ) {
        let columns = collection.listColumns.compactMap { name in
            collection.field(named: name) ?? (name == "updatedAt" ? FieldSchema(name: name, kind: .dateTime) : nil)
        }
        let badgeWidth = 2
        let widths = layout(columns, available: grid.width - badgeWidth - 1)
        let headerRow = 2
        var x = badgeWidth
        grid.fill(x: 0, y: headerRow, width: grid.width, height: 1, role: .columnHeader)
        for (column, width) in zip(columns, widths) where width > 0 {
            var label = TextWidth.truncate(FieldFormatter.label(for: column.name), to: width)
            if let sort, sort.field == column.name {
                // The arrow always shows: the name gives way to it.
                let arrow = sort.descending ? "▼" : "▲"
                label = TextWidth.truncate(FieldFormatter.label(for: column.name), to: max(width - 2, 1)) + " " + arrow
            }
            grid.put(
                TextWidth.pad(TextWidth.truncate(label, to: width), to: width), x: x, y: headerRow, role: .columnHeader)
            x += width + 1
        }
        let firstRow = headerRow + 1
        let rows = max(grid.height - RecordListView.chromeRows, 0)
        if list.total == 0 {
            if let filter, !filter.isEmpty {
                grid.put(
                    TextWidth.truncate("Nothing matches “\(filter)” · Esc clears the filter", to: grid.width - 4), x: 2,
                    y: firstRow, role: .dim)
            } else {
                // Invite n only where the API's rules let this user create (issue 11 item 6).
                let invitation = mayCreate ? " · press n to add one" : ""
                grid.put("No \(collection.name) yet\(invitation)", x: 2, y: firstRow, role: .dim)
            }
            return
        }
        for offset in 0..<rows {
            let index = list.scrollTop + offset
            guard index < list.total else { break }
            let y = firstRow + offset
            let isSelected = index == list.selected
            let role: StyleRole = isSelected ? .selection : .normal
            if isSelected { grid.fill(x: 0, y: y, width: grid.width, height: 1, role: .selection) }
            guard let record = list.record(at: index) else {
                grid.put("…", x: badgeWidth, y: y, role: .dim)
                continue
            }
            switch record.syncState {
            case .synced: break
            case .pending: grid.put("↑", x: 0, y: y, role: isSelected ? .selection : .badgePending)
            case .conflicted, .rejected: grid.put("!", x: 0, y: y, role: isSelected ? .selection : .badgeConflict)
            }
            var x = badgeWidth
            for (column, width) in zip(columns, widths) where width > 0 {
                let text = FieldFormatter.format(record.value(of: column.name), kind: column.kind, timeZone: timeZone)
                grid.put(TextWidth.truncate(text, to: width), x: x, y: y, role: role, maxWidth: width)
                x += width + 1
            }
        }
        // At the right of the headers: the order when it is by a field that is no column, and where the selection
        // is when the list is longer than the screen.
        var marks: [String] = []
        if list.total > rows, rows > 0 { marks.append("\(list.selected + 1)/\(list.total)") }
        if !marks.isEmpty {
            let label = " " + marks.joined(separator: " · ")
            grid.put(label, x: grid.width - TextWidth.width(of: label) - 1, y: headerRow, role: .columnHeader)
        }
    }
}
