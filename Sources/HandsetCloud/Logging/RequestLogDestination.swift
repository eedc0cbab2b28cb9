import Foundation

/// Where the request log goes (`serve --request-log`).
public enum RequestLogDestination: Sendable, Equatable {
    /// `<data dir>/logs/requests.log`, which `handset-cloud logs` reads (the default).
    case dataDirectory
    /// Another file, appended to (a log shipper's, or one shared by instances on one machine).
    case file(URL)
    /// Standard output, one JSON object a line, after the startup banner: what a container's log driver collects.
    case standardOutput

    /// `stdout`, or a path.
    public init(argument: String) {
        self = argument == "stdout" || argument == "-" ? .standardOutput : .file(URL(fileURLWithPath: argument))
    }
}
