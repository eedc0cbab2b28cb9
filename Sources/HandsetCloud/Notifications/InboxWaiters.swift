import Foundation

/// Long-polls waiting for their user's next notification, keyed by the user's `sub`. A delivery signals the user's
/// tickets, which wakes their polls at once; nothing polls on a timer per waiter.
///
/// A poll registers its ticket before it looks at the database and waits only after, so a notification delivered in
/// between is never missed: the signal finds the ticket and the wait returns immediately.
final class InboxWaiters: @unchecked Sendable {
    private let lock = NSLock()
    private var tickets: [String: [ObjectIdentifier: InboxTicket]] = [:]
    private var total = 0

    func register(_ sub: String) -> InboxTicket {
        let ticket = InboxTicket(sub: sub)
        lock.withLock {
            tickets[sub, default: [:]][ObjectIdentifier(ticket)] = ticket
            total += 1
        }
        return ticket
    }

    func remove(_ ticket: InboxTicket) {
        lock.withLock {
            guard tickets[ticket.sub]?.removeValue(forKey: ObjectIdentifier(ticket)) != nil else { return }
            total -= 1
            if tickets[ticket.sub]?.isEmpty == true { tickets[ticket.sub] = nil }
        }
    }

    /// Wakes every poll of these users.
    func signal(_ subs: some Sequence<String>) {
        let woken = lock.withLock { subs.flatMap { tickets[$0].map { Array($0.values) } ?? [] } }
        for ticket in woken { ticket.signal() }
    }

    /// How many polls are waiting.
    var count: Int { lock.withLock { total } }
}

/// One waiting poll: signalled once (by a delivery, its timeout or cancellation), then done.
final class InboxTicket: @unchecked Sendable {
    private enum State {
        case armed
        case signalled
        case waiting(CheckedContinuation<Void, Never>)
        case finished
    }

    let sub: String
    private let lock = NSLock()
    private var state = State.armed

    init(sub: String) {
        self.sub = sub
    }

    func signal() {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            switch state {
            case .armed:
                state = .signalled
                return nil
            case .waiting(let continuation):
                state = .finished
                return continuation
            case .signalled, .finished:
                return nil
            }
        }
        continuation?.resume()
    }

    /// Returns when signalled (at once if that already happened) or after `timeout`.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.signal()
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow: Bool = lock.withLock {
                        switch state {
                        case .armed:
                            state = .waiting(continuation)
                            return false
                        default:
                            state = .finished
                            return true
                        }
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                self.signal()
            }
            group.cancelAll()
        }
    }
}
