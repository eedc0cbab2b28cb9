import Foundation
import HandsetCloudStorage
import Logging

/// `<data dir>/amplify_outputs.json`, written when the server listens and again whenever a configuration
/// operation changes what it says (the first app client, its managed-login settings, its providers).
final class AmplifyOutputsFile: @unchecked Sendable {
    private let file: URL
    private let logger: Logger
    private let lock = NSLock()
    private var endpoints: CloudEndpoints?

    init(file: URL, logger: Logger) {
        self.file = file
        self.logger = logger
    }

    /// Writes the file for a server that now listens; returns the endpoints as written.
    /// (Each write is made under the lock, so that of two changes told at once the later one is the file's: a
    /// slow write of an older configuration cannot land after a newer one.)
    @discardableResult
    func listening(_ endpoints: CloudEndpoints, configuration: PoolConfiguration) -> CloudEndpoints {
        let complete = endpoints.withOAuth(of: configuration)
        lock.withLock {
            self.endpoints = complete
            write(complete)
        }
        return complete
    }

    /// Writes the file again after a configuration change (nothing before the server listens).
    func poolChanged(_ configuration: PoolConfiguration) {
        lock.withLock {
            guard let endpoints else { return }
            let updated = endpoints.withOAuth(of: configuration)
            self.endpoints = updated
            write(updated)
        }
    }

    private func write(_ endpoints: CloudEndpoints) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(endpoints.amplifyOutputs)
            data.append(UInt8(ascii: "\n"))
            try AtomicFile.write(data, to: file, permissions: 0o644)
        } catch {
            logger.error("Cannot write \(file.path): \(error)")
        }
    }
}
