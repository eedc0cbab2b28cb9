import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudStorage

/// `handset-cloud logs`: shows the request log (one JSON line per request), filtered, optionally following it.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show the local cloud's request log, like CloudWatch Logs for the API.",
        discussion: """
            Each request is one JSON line in <data-dir>/logs/requests.log (time, requestId, sub, function, method, \
            route, status, latencyMs); no token, password or body is ever logged. Filters match a field's text; \
            `*` matches anything and `x` any digit of a number: --filter status=4xx --filter route=/api/tasks*.
            """)

    @OptionGroup(title: "Storage")
    var storage: StorageOptions

    @Flag(name: [.short, .long], help: "Keep printing new lines as requests arrive (Ctrl-C to stop).")
    var follow = false

    @Option(
        name: .long, parsing: .singleValue,
        help: ArgumentHelp("Show only lines where key matches value.", valueName: "key=value"))
    var filter: [String] = []

    @Option(name: .long, help: "Only lines from this long ago (90s, 15m, 2h, 7d) or since an RFC 3339 time.")
    var since: String?

    @Flag(name: .long, help: "Print the JSON lines as they are.")
    var json = false

    func validate() throws {
        for text in filter where RequestLogQuery.Filter(text) == nil {
            throw ValidationError("--filter takes key=value, not \(text)")
        }
        if let since, RequestLogQuery.since(since, now: Date()) == nil {
            throw ValidationError("--since takes a duration like 15m or an RFC 3339 time, not \(since)")
        }
    }

    func run() async throws {
        let query = RequestLogQuery(
            filters: filter.compactMap(RequestLogQuery.Filter.init),
            since: since.flatMap { RequestLogQuery.since($0, now: Date()) })
        let file = DataDirectory(root: storage.dataDirectoryURL).requestLog
        guard follow || FileManager.default.fileExists(atPath: file.path) else {
            FileHandle.standardError.write(Data("handset-cloud: no request log at \(file.path)\n".utf8))
            throw ExitCode.failure
        }
        var tail = RequestLogTail(file: file)
        while true {
            var output = ""
            for line in try tail.newLines() {
                guard let entry = query.entry(ifMatching: line) else { continue }
                output += json ? String(line) : RequestLogFormat.line(entry)
                output += "\n"
            }
            if !output.isEmpty { FileHandle.standardOutput.write(Data(output.utf8)) }
            guard follow else { return }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
