import HandsetModel

/// The record list of one collection: a window of cached records around the selection.
///
/// Only `window` is in memory (a few hundred rows); `total` comes from the store, so a 100k-record
/// collection scrolls without loading it all.
public struct RecordListState: Sendable, Equatable {
    public var collection: String
    public var window: [Record]
    public var windowOffset: Int
    public var total: Int
    public var selected: Int
    /// The record the selection is on: reloads (a sync, a new order, a filter, a delete) keep the selection on it
    /// rather than on its row number.
    public var selectedId: String?
    public var scrollTop: Int
    /// The filter being typed (`/`), `nil` when not filtering.
    public var filter: String?
    /// Where typing goes in the filter.
    public var filterCursor: Int
    public var isEditingFilter: Bool

    public init(collection: String) {
        self.collection = collection
        self.window = []
        self.windowOffset = 0
        self.total = 0
        self.selected = 0
        self.selectedId = nil
        self.scrollTop = 0
        self.filter = nil
        self.filterCursor = 0
        self.isEditingFilter = false
    }

    /// Whether the list shows the matches of a filter rather than the whole collection.
    public var isFiltered: Bool { !(filter ?? "").isEmpty }

    /// The record at an absolute row, if it is in the loaded window.
    public func record(at row: Int) -> Record? {
        let index = row - windowOffset
        return window.indices.contains(index) ? window[index] : nil
    }

    public var selectedRecord: Record? { record(at: selected) }

    /// How many rows a window load fetches.
    public static let windowSize = 400

    /// Moves the selection by `delta` rows (clamped) and keeps it visible in `viewportRows`.
    /// Returns the window to load when the selection nears the edge of the loaded one.
    public mutating func moveSelection(by delta: Int, viewportRows: Int) -> (offset: Int, limit: Int)? {
        guard total > 0 else { return nil }
        selected = min(max(selected + delta, 0), total - 1)
        if delta != 0 { selectedId = selectedRecord?.id }
        let rows = max(viewportRows, 1)
        if selected < scrollTop { scrollTop = selected }
        if selected >= scrollTop + rows { scrollTop = selected - rows + 1 }
        scrollTop = max(0, min(scrollTop, max(total - rows, 0)))
        let margin = rows
        let windowEnd = windowOffset + window.count
        let needsEarlier = scrollTop < windowOffset
        let needsLater = scrollTop + rows + margin > windowEnd && windowEnd < total
        guard needsEarlier || needsLater else { return nil }
        let offset = max(0, scrollTop - Self.windowSize / 4)
        return (offset, Self.windowSize)
    }
}
