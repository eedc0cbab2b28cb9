import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `serve --ready-file PATH`: a machine-readable "listening" signal for scripts and tests, instead of reading the
/// banner. Written once the server listens, atomically (a temporary file in the same directory renamed into
/// place), so that whoever waits for the file reads it whole or not at all.
public enum ReadyFile {
    /// What the file holds: where the server answers and which process it is.
    public struct Document: Codable, Sendable, Equatable {
        public var url: String
        public var port: Int
        public var pid: Int32
        public var outputsFile: String
        public var userPoolId: String
        public var userPoolClientId: String
    }

    public static func document(
        for endpoints: CloudEndpoints, pid: Int32 = ProcessInfo.processInfo.processIdentifier
    )
        -> Document
    {
        Document(
            url: endpoints.baseURL, port: endpoints.port, pid: pid, outputsFile: endpoints.outputsFile.path,
            userPoolId: endpoints.userPoolId, userPoolClientId: endpoints.userPoolClientId)
    }

    /// Writes `document` to `url`, replacing what was there.
    public static func write(_ document: Document, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(document)
        data.append(UInt8(ascii: "\n"))
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temporary)
        // rename(2) replaces the target in one step: a reader sees the old file or the new one, never a part.
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
    }
}
