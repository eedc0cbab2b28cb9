import Foundation
import HandsetApp
import HandsetTUI

/// The interactive loop: keys and effect results in, redraws out.
///
/// Runs on one thread and never awaits: effects run as tasks elsewhere and post their result events to the
/// inbox, which the loop drains between keys, so typing never waits on the network.
final class UILoop {
    private var state: AppState
    private let environment: AppEnvironment
    private let theme: Theme
    private let inbox = EventInbox()
    private let terminal = CursesTerminal()
    private var needsDraw = true

    init(environment: AppEnvironment, state: AppState, theme: Theme) {
        self.environment = environment
        self.state = state
        self.theme = theme
    }

    func run(first event: AppEvent) {
        terminal.start(theme: theme, useColor: theme != .monochrome)
        defer { terminal.stop() }
        var size = terminal.size
        dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
        dispatch(event)
        var lastTick = Date.distantPast
        while !state.shouldQuit {
            let now = Date()
            if now.timeIntervalSince(lastTick) >= 1 {
                lastTick = now
                dispatch(.tick(now))
            }
            if needsDraw {
                terminal.draw(Renderer.render(state, width: size.width, height: size.height))
                needsDraw = false
            }
            switch terminal.readKey() {
            case .key(let key)?:
                dispatch(.key(key))
            case .resize?:
                size = terminal.size
                needsDraw = true
                dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
            case nil:
                break
            }
            for event in inbox.drain() { dispatch(event) }
        }
    }

    private func dispatch(_ event: AppEvent) {
        let before = state
        let effects = AppCore.update(&state, event)
        if state != before { needsDraw = true }
        for effect in effects {
            let environment = self.environment
            let inbox = self.inbox
            Task.detached {
                inbox.post(await environment.perform(effect))
            }
        }
    }
}

/// Events posted by effect tasks, drained by the UI loop.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AppEvent] = []

    func post(_ event: AppEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    func drain() -> [AppEvent] {
        lock.lock()
        defer { lock.unlock() }
        let drained = events
        events.removeAll()
        return drained
    }
}
