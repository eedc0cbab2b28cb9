import Testing

@testable import HandsetMySQL

@Suite("Pool state machine")
struct PoolStateMachineTests {
    @Test("slots are created lazily up to the maximum, then borrowers wait")
    func createsUpToMaximum() {
        var machine = PoolStateMachine(maximumSize: 2)
        #expect(machine.lease(1) == .create(slot: 0))
        #expect(machine.lease(2) == .create(slot: 1))
        #expect(machine.lease(3) == .wait)
        #expect(machine.slotCount == 2)
        #expect(machine.leasedCount == 2)
        #expect(machine.waitingCount == 1)
    }

    @Test("a returned slot goes to the longest-waiting borrower, in arrival order")
    func handsOverInOrder() {
        var machine = PoolStateMachine(maximumSize: 1)
        #expect(machine.lease(1) == .create(slot: 0))
        #expect(machine.lease(2) == .wait)
        #expect(machine.lease(3) == .wait)
        #expect(machine.release(slot: 0) == .handOver(slot: 0, to: 2))
        #expect(machine.release(slot: 0) == .handOver(slot: 0, to: 3))
        #expect(machine.release(slot: 0) == .keepIdle)
        #expect(machine.leasedCount == 0)
        #expect(machine.idleCount == 1)
    }

    @Test("idle slots are reused most recently returned first")
    func reusesWarmestSlot() {
        var machine = PoolStateMachine(maximumSize: 3)
        _ = machine.lease(1)
        _ = machine.lease(2)
        _ = machine.lease(3)
        #expect(machine.release(slot: 0) == .keepIdle)
        #expect(machine.release(slot: 2) == .keepIdle)
        #expect(machine.lease(4) == .use(slot: 2))
        #expect(machine.lease(5) == .use(slot: 0))
        #expect(machine.peakLeased == 3)
    }

    @Test("a borrower that gives up leaves the queue; one already served is not failed")
    func abandon() {
        var machine = PoolStateMachine(maximumSize: 1)
        _ = machine.lease(1)
        #expect(machine.lease(2) == .wait)
        #expect(machine.lease(3) == .wait)
        let abandoned = machine.abandon(2)
        let abandonedAgain = machine.abandon(2)
        #expect(abandoned)
        #expect(!abandonedAgain)
        #expect(machine.release(slot: 0) == .handOver(slot: 0, to: 3))
        let abandonedAfterServed = machine.abandon(3)
        #expect(!abandonedAfterServed)
    }

    @Test("closing fails the waiters, retires idle slots now and lent ones when they come back")
    func close() {
        var machine = PoolStateMachine(maximumSize: 2)
        _ = machine.lease(1)
        _ = machine.lease(2)
        #expect(machine.release(slot: 1) == .keepIdle)
        _ = machine.lease(3)
        #expect(machine.lease(4) == .wait)
        let shutdown = machine.close()
        #expect(shutdown == PoolStateMachine.Shutdown(waiters: [4], idleSlots: [], leasedSlots: 2))
        #expect(machine.lease(5) == .closed)
        #expect(machine.release(slot: 0) == .retire(slot: 0))
        #expect(machine.release(slot: 1) == .retire(slot: 1))
        #expect(machine.leasedCount == 0)
        #expect(machine.close() == PoolStateMachine.Shutdown(waiters: [], idleSlots: [], leasedSlots: 0))
    }
}
