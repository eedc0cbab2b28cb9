import Foundation
import HandsetApp
import HandsetStore
import HandsetTUI

/// The interactive loop: keys and effect results in, redraws out.
///
/// Runs on one thread and never awaits: effects run as tasks elsewhere and post their result events to the
/// inbox, which the loop drains between keys, so typing never waits on the network. Two effects belong to the
/// terminal itself and run here: alerts (bell, desktop notification) and handing the screen to `$EDITOR`.
final class UILoop {
    private var state: AppState
    private let environment: AppEnvironment
    private let themes: ThemeCatalog
    private let paths: HandsetPaths
    private let inbox = EventInbox()
    private let terminal = CursesTerminal()
    private var needsDraw = true
    private var size = (width: 80, height: 24)

    init(environment: AppEnvironment, state: AppState, themes: ThemeCatalog, paths: HandsetPaths) {
        self.environment = environment
        self.state = state
        self.themes = themes
        self.paths = paths
    }

    func run(first event: AppEvent) {
        let inbox = self.inbox
        environment.progress.listen { inbox.post($0) }
        terminal.start(theme: currentTheme, mouse: state.settings.mouse)
        defer { terminal.stop() }
        size = terminal.size
        dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
        dispatch(event)
        if let problem = themes.problems.first { state.message = StatusMessage(problem, kind: .error) }
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
                // How far the screen drawn can scroll depends on the size: the state learns it from the drawing.
                let limit = Renderer.scrollLimit(state, width: size.width, height: size.height)
                if limit != state.scroll.limit { dispatch(.measured(scrollLimit: limit)) }
            }
            // Sleep until a key, an effect's result or the next tick, whichever comes first: results are drawn
            // the moment they arrive, not on the next poll of the keyboard.
            let untilTick = max(0, 1 - Date().timeIntervalSince(lastTick))
            inbox.waitForInputOrEvent(timeout: untilTick)
            while let input = terminal.readKey() {
                switch input {
                case .key(let key):
                    dispatch(.key(key))
                case .mouse(let action, let x, let y):
                    let target = Renderer.hitTest(state, x: x, y: y, width: size.width, height: size.height)
                    dispatch(.mouse(target, action))
                case .resize:
                    size = terminal.size
                    needsDraw = true
                    dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
                }
                if state.shouldQuit { break }
            }
            for event in inbox.drain() { dispatch(event) }
        }
    }

    private var currentTheme: Theme {
        themes.theme(named: state.themeName) ?? .dark
    }

    private func dispatch(_ event: AppEvent) {
        let before = state
        let effects = AppCore.update(&state, event)
        if state != before { needsDraw = true }
        if state.themeName != before.themeName {
            terminal.apply(theme: currentTheme)
            ThemePreference.save(state.themeName, paths: paths)
        }
        for effect in effects {
            switch effect {
            case .alert(let title, let body):
                terminal.send(
                    TerminalAlert.sequence(
                        title: title, body: body, bell: state.settings.bell,
                        desktop: state.settings.desktopNotifications))
            case .suspend:
                terminal.stopForJobControl()
                size = terminal.size
                needsDraw = true
                dispatch(.resized(listRows: Renderer.listRows(forHeight: size.height)))
            case .editExternally(let field, let text):
                let outcome = ExternalEditor.edit(text, suspending: terminal)
                needsDraw = true
                dispatch(.form(.externalEditFinished(field: field, text: outcome.text, message: outcome.message)))
            default:
                let environment = self.environment
                let inbox = self.inbox
                Task.detached {
                    inbox.post(await environment.perform(effect))
                }
            }
        }
    }
}

/// The theme picked in the app, kept for the next start (`$XDG_STATE_HOME/handset/theme`).
enum ThemePreference {
    static func file(_ paths: HandsetPaths) -> URL { paths.state.appendingPathComponent("theme") }

    static func load(paths: HandsetPaths) -> String? {
        (try? String(contentsOf: file(paths), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func save(_ name: String, paths: HandsetPaths) {
        try? SecureFiles.writePrivate(Data((name + "\n").utf8), to: file(paths))
    }
}

/// Runs `$VISUAL` or `$EDITOR` (else `vi`) on a private temporary file holding `text`.
enum ExternalEditor {
    static func edit(_ text: String, suspending terminal: CursesTerminal) -> (text: String?, message: String?) {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("handset-edit-\(UUID().uuidString)", isDirectory: true)
        let file = directory.appendingPathComponent("field.txt")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            // The text may be private: a 0700 directory and a 0600 file.
            try SecureFiles.writePrivate(Data(text.utf8), to: file)
        } catch {
            return (nil, "Could not write a temporary file for the editor: \(error)")
        }
        let before = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]) as? Date
        // The editor command may carry flags ("code --wait"); the file name is passed as an argument, never spliced
        // into the command line.
        let status = terminal.run(script: "\(editor) \"$1\"", name: "handset-editor", argument: file.path)
        guard status == 0 else {
            let how = status < 0 ? "could not run or was stopped" : "exited with status \(status)"
            return (nil, "Field unchanged: the editor \(how) (\(editor))")
        }
        guard let edited = try? String(contentsOf: file, encoding: .utf8) else {
            return (nil, "The editor's file could not be read; the field is unchanged")
        }
        let after = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]) as? Date
        return (edited, before == after && edited == text ? "Not changed in the editor" : "Text from the editor")
    }
}

/// Events posted by effect tasks, drained by the UI loop. Posting also wakes the loop (a byte down a pipe), which
/// sleeps in `poll` on the terminal and that pipe.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [AppEvent] = []
    private var pipeEnds: [Int32] = [-1, -1]

    init() {
        var ends: [Int32] = [0, 0]
        if pipe(&ends) == 0 {
            pipeEnds = ends
            for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        }
    }

    deinit {
        for end in pipeEnds where end >= 0 { close(end) }
    }

    func post(_ event: AppEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
        var byte: UInt8 = 1
        _ = write(pipeEnds[1], &byte, 1)
    }

    func drain() -> [AppEvent] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(pipeEnds[0], &buffer, buffer.count) > 0 {}
        lock.lock()
        defer { lock.unlock() }
        let drained = events
        events.removeAll()
        return drained
    }

    /// Returns when the terminal has input, an event was posted, a signal came (a resize), or `timeout` passed.
    func waitForInputOrEvent(timeout: TimeInterval) {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, nfds_t(fds.count), Int32(timeout * 1000))
    }
}
