import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore
import HandsetSync
import HandsetWire

/// The notification inbox: long-polls, the cached list, marking read, opening the record a notification names.
extension LiveEffects {
    func pollInbox() async -> AppEvent {
        guard let data = scope.current else { return .inbox(.pollFailed(offline: false)) }
        do {
            let poller = InboxPoller(api: data.api, store: data.store)
            let (new, unread) = try await poller.poll(wait: AutoSync.inboxWait)
            // A poll that outlived its user's session says nothing about the current one.
            guard scope.isCurrent(data) else { return .effectDone }
            return .inbox(.polled(new: new, unread: unread))
        } catch let error as RemoteError {
            guard scope.isCurrent(data) else { return .effectDone }
            if case .sessionExpired = error { return .account(.sessionExpired) }
            return .inbox(.pollFailed(offline: error.isTransient))
        } catch {
            return .inbox(.pollFailed(offline: false))
        }
    }

    func loadInbox() -> AppEvent {
        guard let store = scope.current?.store else { return .inbox(.loaded([], unread: 0)) }
        return Self.inboxSnapshot(store)
    }

    func markRead(_ id: String?) async -> AppEvent {
        guard let data = scope.current else { return .inbox(.loaded([], unread: 0)) }
        do {
            try await InboxPoller(api: data.api, store: data.store).markRead(id)
        } catch {
            // Offline: mark it here; the server copy stays unread until next time.
            try? data.store.markNotificationsRead(id)
        }
        return Self.inboxSnapshot(data.store)
    }

    func openLinkedRecord(_ link: RecordLink) async -> AppEvent {
        guard let data = scope.current else { return .account(.sessionExpired) }
        if let record = try? data.store.record(collection: link.collection, id: link.id) {
            return .inbox(.linkedRecordLoaded(collection: link.collection, record: record))
        }
        // Not on this device: ask the cloud, which knows whether it is there for this person.
        do {
            guard let record = try await data.api.record(collection: link.collection, id: link.id) else {
                return .inbox(.linkedRecordUnavailable(link, .notThere))
            }
            return .inbox(.linkedRecordLoaded(collection: link.collection, record: record))
        } catch {
            let remote = RemoteError.from(error)
            if case .sessionExpired = remote { return .account(.sessionExpired) }
            if case .offline(let detail) = remote {
                return .inbox(.linkedRecordUnavailable(link, .offline(detail)))
            }
            return .inbox(.linkedRecordUnavailable(link, .failed(remote.message)))
        }
    }

    private static func inboxSnapshot(_ store: LocalStore) -> AppEvent {
        .inbox(.loaded((try? store.notifications()) ?? [], unread: (try? store.unreadNotificationCount()) ?? 0))
    }
}
