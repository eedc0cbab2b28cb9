import Foundation
import HandsetMySQL

/// A MariaDB server of its own in a directory, started and stopped through `scripts/mariadb-test-server` (the
/// script CI uses, so both start servers the same way).
public final class TestMariaDBServerProcess: Sendable {
    public let directory: String
    private let stopWhenProcessEnds: Bool

    /// Whether this machine has a server binary.
    public static var isPossible: Bool { serverBinary != nil }

    static var serverBinary: String? {
        for path in ["/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld", "/usr/local/bin/mariadbd"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return nil
    }

    /// `directory` nil: a new one, memory-backed where possible (the server's files then cost no disk flushes).
    /// `stopWhenProcessEnds`: the script's watcher stops the server once this test process has gone, however it
    /// ends.
    public init(directory: URL?, stopWhenProcessEnds: Bool = true) throws {
        if let directory {
            self.directory = directory.path
        } else {
            let parent = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
            self.directory =
                URL(fileURLWithPath: parent)
                .appendingPathComponent("handset-mariadb-\(getpid())-\(UUID().uuidString.prefix(6))").path
        }
        self.stopWhenProcessEnds = stopWhenProcessEnds
    }

    /// Starts the server (or finds it answering) and returns its configuration (no default database).
    public func start() async throws -> MySQLConfiguration {
        var arguments = ["start", "--dir", directory]
        if stopWhenProcessEnds { arguments += ["--watch-pid", String(getpid())] }
        let url = try await Self.runScript(arguments)
        return try MySQLConfiguration(url: url, environment: [:])
    }

    /// Stops the server and removes its directory.
    public func stop() async {
        _ = try? await Self.runScript(["stop", "--dir", directory])
    }

    /// Runs the script on a thread of its own (it waits for the server, which takes a second or more, and must not
    /// hold a cooperative thread meanwhile) and returns what it printed.
    private static func runScript(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runScriptBlocking(arguments) }) }.start()
        }
    }

    private static func runScriptBlocking(_ arguments: [String]) throws -> String {
        // Sources/HandsetMySQLTesting/<this file> → the repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/mariadb-test-server").path
        let scratch = NSTemporaryDirectory() + "mariadb-script-\(UUID().uuidString)"
        let outputPath = scratch + ".out"
        let errorPath = scratch + ".err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        // posix_spawn and waitpid rather than Foundation's Process, whose waitUntilExit was seen to hang here
        // after the script had exited.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw MySQLError(.connectionFailed, message: "cannot run \(script): error \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { break }
        }
        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitedNormally = status & 0x7f == 0
        let exitCode = (status >> 8) & 0xff
        guard exitedNormally, exitCode == 0 else {
            let reason = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw MySQLError(
                .connectionFailed, message: "scripts/mariadb-test-server \(arguments[0]) failed: \(reason)")
        }
        return printed.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
