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

    func register(_ sub: String, after: Int64 = 0) -> InboxTicket {
        let ticket = InboxTicket(sub: sub, after: after)
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

    /// Every waiting user with the smallest cursor their polls wait after.
    var waitingCursors: [String: Int64] {
        lock.withLock {
            tickets.compactMapValues { polls in polls.values.map(\.after).min() }
        }
    }
}
