/// The pool's bookkeeping, with no I/O and no locks (the shape of postgres-nio's pool state machine): the pool
/// tells it what happened and does what it answers. Connections ("slots": a thread and a session) are created
/// lazily up to `maximumSize`; idle ones are lent most recently used first, so a quiet pool keeps using the same
/// few warm sessions; borrowers that find none free wait in arrival order.
struct PoolStateMachine: Sendable {
    typealias WaiterID = UInt64

    enum LeaseDecision: Equatable {
        /// Lend this idle slot.
        case use(slot: Int)
        /// Create slot number `slot` and lend it.
        case create(slot: Int)
        /// Queue the borrower until a slot comes back.
        case wait
        /// The pool is closed.
        case closed
    }

    enum ReleaseDecision: Equatable {
        /// Lend the returned slot straight to the longest-waiting borrower.
        case handOver(slot: Int, to: WaiterID)
        case keepIdle
        /// The pool is closing: shut the slot down.
        case retire(slot: Int)
    }

    struct Shutdown: Equatable {
        var waiters: [WaiterID]
        var idleSlots: [Int]
        var leasedSlots: Int
    }

    let maximumSize: Int
    private(set) var slotCount = 0
    private(set) var leasedCount = 0
    private(set) var isClosed = false
    /// The most slots ever lent at once.
    private(set) var peakLeased = 0
    private var idle: [Int] = []
    private var waiters: [WaiterID] = []

    init(maximumSize: Int) {
        precondition(maximumSize >= 1, "a pool needs room for one connection")
        self.maximumSize = maximumSize
    }

    var idleCount: Int { idle.count }
    var waitingCount: Int { waiters.count }

    mutating func lease(_ waiter: WaiterID) -> LeaseDecision {
        if isClosed { return .closed }
        if let slot = idle.popLast() {
            noteLeased()
            return .use(slot: slot)
        }
        if slotCount < maximumSize {
            let slot = slotCount
            slotCount += 1
            noteLeased()
            return .create(slot: slot)
        }
        waiters.append(waiter)
        return .wait
    }

    mutating func release(slot: Int) -> ReleaseDecision {
        if isClosed {
            leasedCount -= 1
            return .retire(slot: slot)
        }
        if !waiters.isEmpty {
            return .handOver(slot: slot, to: waiters.removeFirst())
        }
        leasedCount -= 1
        idle.append(slot)
        return .keepIdle
    }

    /// A borrower gave up (cancelled, timed out). True when it was still waiting, so it must be failed.
    mutating func abandon(_ waiter: WaiterID) -> Bool {
        guard let position = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: position)
        return true
    }

    mutating func close() -> Shutdown {
        guard !isClosed else { return Shutdown(waiters: [], idleSlots: [], leasedSlots: leasedCount) }
        isClosed = true
        let shutdown = Shutdown(waiters: waiters, idleSlots: idle, leasedSlots: leasedCount)
        waiters.removeAll()
        idle.removeAll()
        return shutdown
    }

    private mutating func noteLeased() {
        leasedCount += 1
        peakLeased = max(peakLeased, leasedCount)
    }
}
