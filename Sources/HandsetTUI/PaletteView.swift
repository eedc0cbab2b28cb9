import HandsetApp

/// The command palette: a box near the top with what is typed and the matching commands.
public enum PaletteView {
    /// Where the box goes in a terminal of this size (shared by drawing and mouse hit tests).
    static func frame(width: Int, height: Int) -> (left: Int, top: Int, width: Int, rows: Int) {
        let boxWidth = min(64, width - 4)
        let rows = max(min(12, height - 6), 1)
        return ((width - boxWidth) / 2, 2, boxWidth, rows)
    }

    public static func render(_ state: AppState, palette: PaletteState, into grid: inout CellGrid) {
        let matches = Palette.matches(palette.text, in: Palette.commands(for: state))
        let frame = frame(width: grid.width, height: grid.height)
        grid.fill(x: frame.left, y: frame.top, width: frame.width, height: frame.rows + 3, role: .statusBar)
        grid.fill(x: frame.left + 1, y: frame.top, width: frame.width - 2, height: 1, role: .fieldFocused)
        grid.put(": ", x: frame.left + 1, y: frame.top, role: .fieldFocused)
        InputView.render(
            palette.text, cursor: palette.input.cursor, x: frame.left + 3, y: frame.top, width: frame.width - 4,
            role: .fieldFocused, focused: true, into: &grid)
        let first = max(0, palette.selected - frame.rows + 1)
        for (offset, command) in matches.dropFirst(first).prefix(frame.rows).enumerated() {
            let y = frame.top + 2 + offset
            let isSelected = first + offset == palette.selected
            let role: StyleRole = isSelected ? .selection : .statusBar
            grid.fill(x: frame.left + 1, y: y, width: frame.width - 2, height: 1, role: role)
            grid.put(TextWidth.truncate(command.title, to: frame.width - 12), x: frame.left + 2, y: y, role: role)
            if let shortcut = command.shortcut {
                grid.put(
                    shortcut, x: frame.left + frame.width - 2 - TextWidth.width(of: shortcut), y: y,
                    role: isSelected ? .selection : .statusOnline)
            }
        }
        if matches.isEmpty { grid.put("no command matches", x: frame.left + 2, y: frame.top + 2, role: .statusBar) }
        let hidden = matches.count - min(frame.rows, matches.count - first) - first
        if hidden > 0 || first > 0 {
            let note = "\(matches.count) commands · ↑↓ scroll · type to narrow"
            grid.put(
                TextWidth.truncate(note, to: frame.width - 4), x: frame.left + 2, y: frame.top + frame.rows + 2,
                role: .statusBar)
        }
    }
}

extension Renderer {
    /// What is under the pointer at (x, y) on the screen `render` draws for `state`.
    public static func hitTest(_ state: AppState, x: Int, y: Int, width: Int, height: Int) -> MouseTarget? {
        if let palette = state.palette {
            let frame = PaletteView.frame(width: width, height: height)
            let matches = Palette.matches(palette.text, in: Palette.commands(for: state))
            let first = max(0, palette.selected - frame.rows + 1)
            let row = y - frame.top - 2
            guard x >= frame.left, x < frame.left + frame.width, row >= 0, row < frame.rows,
                first + row < matches.count
            else { return nil }
            return .paletteRow(first + row)
        }
        if y == 1, let schema = state.schema {
            // The tabs, laid out as RecordListView.renderTabs draws them.
            var left = 1
            for collection in schema.collections {
                let label = TextWidth.width(of: " \(collection.name) ")
                if x >= left, x < left + label { return .tab(collection.name) }
                left += label + 1
            }
            return nil
        }
        switch state.screen {
        case .list:
            guard let list = state.list else { return nil }
            if width >= RecordListView.sidebarMinimumWidth, x < RecordListView.sidebarWidth, let schema = state.schema {
                let index = y - 3
                return schema.collections.indices.contains(index) ? .tab(schema.collections[index].name) : nil
            }
            let row = y - 3
            guard row >= 0, row < Renderer.listRows(forHeight: height) else { return nil }
            let index = list.scrollTop + row
            return index < list.total ? .listRow(index) : nil
        case .inbox(let selected):
            let rows = max(height - 8 - InboxView.bodyRows, 1)
            let top = max(0, selected - rows + 1)
            let row = y - 4
            guard row >= 0, row < rows, top + row < state.inbox.items.count else { return nil }
            return .inboxRow(top + row)
        default:
            return nil
        }
    }
}
