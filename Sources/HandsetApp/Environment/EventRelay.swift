import Foundation

/// Passes progress events from running effects to whoever listens (the UI loop's inbox). Nobody listening: dropped.
public final class EventRelay: @unchecked Sendable {
    private let lock = NSLock()
    private var listener: (@Sendable (AppEvent) -> Void)?

    public init() {}

    public func listen(_ listener: @escaping @Sendable (AppEvent) -> Void) {
        lock.withLock { self.listener = listener }
    }

    public func send(_ event: AppEvent) {
        let listener = lock.withLock { self.listener }
        listener?(event)
    }
}
