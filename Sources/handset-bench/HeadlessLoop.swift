import Foundation
import HandsetApp
import HandsetTUI

/// The app's interactive loop as `handset`'s `UILoop` runs it, without a terminal: keys come down a pipe, effects
/// run as detached tasks that post their results to an inbox, and each key is followed by a rendered frame.
///
/// Times keystroke to frame in-process: from the moment a key is written to the pipe until the frame that follows
/// its dispatch is rendered, so the figure holds the loop thread's wake-up, the reducer and the renderer, and leaves
/// out the terminal's escape codes and any VT parser reading them.
final class HeadlessLoop: @unchecked Sendable {
    private var state: AppState
    private let environment: AppEnvironment
    private let size: (width: Int, height: Int)
    private let lock = NSLock()
    private var events: [AppEvent] = []
    private var sentAt: [UInt64] = []
    private var latencies: [Double] = []
    private var syncing = false
    private var syncedSpan: (start: UInt64, end: UInt64?)?
    private var stopped = false
    private let keyPipe: [Int32]
    private let eventPipe: [Int32]

    init(environment: AppEnvironment, state: AppState, width: Int = 100, height: Int = 30) {
        self.environment = environment
        self.state = state
        size = (width, height)
        keyPipe = Self.makePipe()
        eventPipe = Self.makePipe()
    }

    deinit {
        for end in keyPipe + eventPipe { close(end) }
    }

    private static func makePipe() -> [Int32] {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("pipe: \(errno)") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        return ends
    }

    /// Whether the app says a sync runs (read from other threads).
    var isSyncing: Bool { lock.withLock { syncing } }

    /// Seconds from the first frame that showed a sync to the first that no longer did; nil while it runs.
    var syncSeconds: Double? {
        lock.withLock {
            guard let span = syncedSpan, let end = span.end else { return nil }
            return Double(end - span.start) / 1e9
        }
    }

    /// Keystroke-to-frame latencies so far, in seconds.
    var keyLatencies: [Double] { lock.withLock { latencies } }

    /// Sends a key as a terminal would: the loop reads it from its input.
    func press() {
        lock.withLock { sentAt.append(DispatchTime.now().uptimeNanoseconds) }
        var byte: UInt8 = 1
        _ = write(keyPipe[1], &byte, 1)
    }

    func stop() {
        lock.withLock { stopped = true }
        var byte: UInt8 = 0
        _ = write(eventPipe[1], &byte, 1)
    }

    /// Runs the loop on its own thread (the app's main thread in `handset`) until `stop`.
    func start(first event: AppEvent) {
        let thread = Thread { [self] in run(first: event) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func post(_ event: AppEvent) {
        lock.withLock { events.append(event) }
        var byte: UInt8 = 1
        _ = write(eventPipe[1], &byte, 1)
    }

    private func run(first event: AppEvent) {
        dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
        dispatch(event)
        var lastTick = Date.distantPast
        var buffer = [UInt8](repeating: 0, count: 256)
        while !lock.withLock({ stopped }) {
            let now = Date()
            if now.timeIntervalSince(lastTick) >= 1 {
                lastTick = now
                dispatch(.tick(now))
            }
            frame()
            var fds = [
                pollfd(fd: keyPipe[0], events: Int16(POLLIN), revents: 0),
                pollfd(fd: eventPipe[0], events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, Int32(max(0, 1 - Date().timeIntervalSince(lastTick)) * 1000))
            var pressed = 0
            while true {
                let count = read(keyPipe[0], &buffer, buffer.count)
                guard count > 0 else { break }
                pressed += count
            }
            // `?` opens the help overlay and Esc closes it, as scripts/bench_tui.py does through a terminal.
            for _ in 0..<pressed {
                dispatch(.key(state.help != nil ? .escape : .character("?")))
                frame()
                let done = DispatchTime.now().uptimeNanoseconds
                lock.withLock {
                    if !sentAt.isEmpty { latencies.append(Double(done - sentAt.removeFirst()) / 1e9) }
                }
            }
            while read(eventPipe[0], &buffer, buffer.count) > 0 {}
            for event in lock.withLock({ () -> [AppEvent] in
                defer { events.removeAll() }
                return events
            }) {
                dispatch(event)
            }
        }
    }

    private var needsDraw = true

    private func frame() {
        guard needsDraw else { return }
        _ = Renderer.render(state, width: size.width, height: size.height)
        needsDraw = false
        let syncingNow = state.sync.isSyncing
        let stamp = DispatchTime.now().uptimeNanoseconds
        lock.withLock {
            if syncingNow, syncedSpan == nil { syncedSpan = (stamp, nil) }
            if !syncingNow, let span = syncedSpan, span.end == nil { syncedSpan = (span.start, stamp) }
            syncing = syncingNow
        }
    }

    private func dispatch(_ event: AppEvent) {
        let before = state
        let effects = AppCore.update(&state, event)
        if state != before { needsDraw = true }
        for effect in effects {
            switch effect {
            case .alert, .editExternally, .suspend: continue
            default:
                let environment = self.environment
                Task.detached { [self] in post(await environment.perform(effect)) }
            }
        }
    }
}
