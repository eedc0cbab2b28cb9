import Foundation
import HandsetModel
import HandsetWire

/// The notification inbox: the long-poll that brings new items (a toast, an alert), the list, opening a link.
enum InboxReducer {
    static func reduce(_ event: InboxEvent, in state: inout AppState) -> [AppEffect] {
        switch event {
        case .polled(let new, let unread):
            _ = state.inbox.poll.handle(.polled)
            // The cloud answered: the status bar says so at once, and a sync waiting out its backoff may run.
            if case .offline = state.sync.connectivity {
                state.sync.connectivity = .online
                _ = state.sync.schedule.handle(.reachable)
            }
            state.inbox.unreadCount = unread
            guard let newest = new.first else { return [] }
            let more = new.count > 1 ? " (and \(new.count - 1) more)" : ""
            state.message = StatusMessage("🔔 \(newest.title)\(more)")
            var effects: [AppEffect] = []
            if state.settings.bell || state.settings.desktopNotifications {
                effects.append(.alert(title: newest.title + more, body: newest.body))
            }
            if case .inbox = state.screen { effects.append(.loadInbox) }
            return effects

        case .pollFailed(let offline):
            _ = state.inbox.poll.handle(.failed(at: state.now))
            // The long-poll is always open: when it gets no answer the cloud is gone now, not at the next sync.
            if offline { state.sync.connectivity = .offline("the cloud does not answer") }
            return []

        case .loaded(let items, let unread):
            state.inbox.items = items
            state.inbox.unreadCount = unread
            if case .inbox(let selected) = state.screen {
                state.screen = .inbox(selected: min(selected, max(items.count - 1, 0)))
            }
            return []

        case .linkedRecordUnavailable(let link, let problem):
            state.detail.returnsToInbox = nil
            let what = "That \(typeName(link.collection, in: state))"
            switch problem {
            case .notThere:
                state.message = StatusMessage(
                    "\(what) is not there for you: it was deleted, or it is not shared with you", kind: .error)
            case .offline(let detail):
                state.message = StatusMessage(
                    "\(what) is not on this device yet, and the cloud cannot be reached to fetch it (\(detail))",
                    kind: .error)
            case .failed(let detail):
                state.message = StatusMessage("\(what) could not be fetched: \(detail)", kind: .error)
            }
            return []

        case .linkedRecordLoaded(let collection, let record):
            guard let record else {
                state.detail.returnsToInbox = nil
                state.message = StatusMessage(
                    "That \(typeName(collection, in: state)) is not on this device", kind: .error)
                return []
            }
            state.detail.focusedRecord = record
            var effects: [AppEffect] = []
            if state.list?.collection != collection, state.schema?.collection(named: collection) != nil {
                effects.append(ListReducer.open(collection: collection, in: &state))
            }
            return effects + DetailReducer.open(record.id, in: &state)
        }
    }

    /// Starts the next long-poll when the schedule says so.
    static func tick(_ now: Date, in state: inout AppState) -> [AppEffect] {
        state.inbox.poll.handle(.tick(now)).map { action in
            switch action {
            case .poll: return .pollInbox
            }
        }
    }

    static func handle(_ key: Key, selected: Int, in state: inout AppState) -> [AppEffect] {
        let items = state.inbox.items
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            state.screen = .list
        case .down, .character("j"):
            state.screen = .inbox(selected: min(selected + 1, max(items.count - 1, 0)))
        case .up, .character("k"):
            state.screen = .inbox(selected: max(selected - 1, 0))
        case .character("m"):
            guard items.indices.contains(selected) else { return [] }
            return [.markRead(items[selected].id)]
        case .character("a"):
            return [.markRead(nil)]
        case .enter, .right, .character("l"):
            guard items.indices.contains(selected) else { return [] }
            let effects: [AppEffect] = items[selected].read ? [] : [.markRead(items[selected].id)]
            guard let link = items[selected].link else {
                state.screen = .notification(index: selected)
                return effects
            }
            return effects + follow(link, kind: items[selected].kind, from: selected, in: &state)
        case .character(" "), .character("v"):
            // The whole notification: every line of its text, scrolled.
            guard items.indices.contains(selected) else { return [] }
            state.screen = .notification(index: selected)
            return items[selected].read ? [] : [.markRead(items[selected].id)]
        default:
            break
        }
        return []
    }

    /// One notification in full: scroll it; Enter follows its link; Esc goes back to the inbox.
    static func handleFull(_ key: Key, index: Int, in state: inout AppState) -> [AppEffect] {
        if state.scroll.handle(key) { return [] }
        switch key {
        case .escape, .character("q"), .left, .character("h"):
            state.screen = .inbox(selected: index)
            return []
        case .enter, .right, .character("l"):
            guard state.inbox.items.indices.contains(index), let link = state.inbox.items[index].link else { return [] }
            return follow(link, kind: state.inbox.items[index].kind, from: index, in: &state)
        default:
            return []
        }
    }

    /// Opens what a notification points to: a conflict on the conflicts screen, a record on its detail; a
    /// collection the API does not have is said so at once.
    static func follow(_ link: RecordLink, kind: String, from row: Int, in state: inout AppState) -> [AppEffect] {
        guard state.schema?.collection(named: link.collection) != nil else {
            state.message = StatusMessage(
                "This notification is about “\(link.collection)”, which this app's API does not have", kind: .error)
            return []
        }
        if kind == "conflict" {
            // The conflict is settled where it happened: here if this device has it, else on the other device.
            state.inbox.conflictLink = link
            return [.loadConflicts]
        }
        state.detail.returnsToInbox = row
        return [.openLinkedRecord(link)]
    }

    /// `task` for `tasks`, as the schema names it.
    static func typeName(_ collection: String, in state: AppState) -> String {
        state.schema?.collection(named: collection)?.typeName.lowercased() ?? "record"
    }
}
