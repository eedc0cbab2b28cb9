import Foundation

/// One waiting poll: signalled once (by a delivery, its timeout or cancellation), then done.
final class InboxTicket: @unchecked Sendable {
    private enum State {
        case armed
        case signalled
        case waiting(CheckedContinuation<Void, Never>)
        case finished
    }

    let sub: String
    /// The cursor the poll waits after: a delivery with a larger cursor is news to it.
    let after: Int64
    private let lock = NSLock()
    private var state = State.armed

    init(sub: String, after: Int64 = 0) {
        self.sub = sub
        self.after = after
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
