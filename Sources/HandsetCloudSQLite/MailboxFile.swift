import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The mailbox: a JSON-lines file in the data directory (0600), appended with one `write(2)` per message on an
/// `O_APPEND` descriptor, so that concurrent deliveries never interleave and `tail -f` works.
///
/// It holds live codes and temporary passwords on purpose: it is the developer's mailbox and phone. The request
/// log never does.
package struct MailboxFile: MailboxRepository {
    package let url: URL

    package init(url: URL) {
        self.url = url
    }

    package func append(_ message: SentMessage) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line = try encoder.encode(message)
        line.append(UInt8(ascii: "\n"))
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "open", path: url.path) }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let written = line.withUnsafeBytes { buffer in appendBytes(descriptor, buffer.baseAddress!, buffer.count) }
        guard written == line.count else { throw POSIXFailure(operation: "write", path: url.path) }
    }

    /// Every message so far, oldest first; lines that do not parse (a torn last line) are skipped.
    package func messages() async throws -> [SentMessage] {
        allMessages()
    }

    package func allMessages() -> [SentMessage] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap {
            try? decoder.decode(SentMessage.self, from: $0)
        }
    }
}

private func appendBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
