import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudSQLite
import HandsetCloudStorage

/// Where the cloud's state is: the options `serve` and every admin command share.
struct StorageOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "The data directory: the database (unless --database), keys, settings, object bytes, logs, outputs.")
    var dataDirectory = CloudConfiguration.defaultDataDirectory

    var dataDirectoryURL: URL { URL(fileURLWithPath: dataDirectory) }

    /// The storage for `serve`: created when missing.
    func openForServing() async throws -> CloudStorage {
        try SQLiteCloudStorage.open(directory: dataDirectoryURL)
    }

    /// The storage for an admin command: it must exist already.
    func openExisting() throws -> CloudStorage {
        try SQLiteCloudStorage.openExisting(directory: dataDirectoryURL)
    }

    /// Runs `body` with the existing storage, closed afterwards.
    func withExisting<Value>(_ body: (CloudStorage) async throws -> Value) async throws -> Value {
        let storage = try openExisting()
        do {
            let value = try await body(storage)
            await storage.close()
            return value
        } catch {
            await storage.close()
            throw error
        }
    }
}
