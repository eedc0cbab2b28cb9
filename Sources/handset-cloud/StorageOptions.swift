import ArgumentParser
import Foundation
import HandsetCloud
import HandsetCloudMySQL
import HandsetCloudSQLite
import HandsetCloudStorage
import HandsetMySQL

/// Where the cloud's state is: the options `serve` and every admin command share.
struct StorageOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "The data directory: the database (unless --database), keys, settings, object bytes, logs, outputs.")
    var dataDirectory = CloudConfiguration.defaultDataDirectory

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "A MariaDB/MySQL database shared by every instance, instead of SQLite in the data directory: "
                + "mysql://USER:PASSWORD@HOST:PORT/DB or mysql://USER@localhost/DB?socket=PATH (without a password "
                + "in the URL, \(MySQLConfiguration.passwordEnvironmentVariable) gives it).",
            valueName: "url"))
    var database: String?

    var dataDirectoryURL: URL { URL(fileURLWithPath: dataDirectory) }

    func validate() throws {
        if let database { _ = try Self.configuration(database) }
    }

    /// The database URL read, with errors worded for the command line (the password never shown).
    static func configuration(_ url: String) throws -> MySQLConfiguration {
        let configuration: MySQLConfiguration
        do {
            configuration = try MySQLConfiguration(url: url)
        } catch {
            throw ValidationError("--database: \(error)")
        }
        guard configuration.database != nil else {
            throw ValidationError("--database must name a database: mysql://USER@HOST:PORT/DB")
        }
        return configuration
    }

    /// The storage for `serve`: the data directory is created when missing, the database's tables migrated.
    func openForServing() async throws -> CloudStorage {
        guard let database else { return try SQLiteCloudStorage.open(directory: dataDirectoryURL) }
        return try await MySQLCloudStorage.open(Self.configuration(database))
    }

    /// The storage for an admin command: it must exist already (a served data directory, or a migrated database).
    func openExisting() async throws -> CloudStorage {
        guard let database else { return try SQLiteCloudStorage.openExisting(directory: dataDirectoryURL) }
        return try await MySQLCloudStorage.openExisting(
            Self.configuration(database), options: MySQLPoolOptions(maximumConnections: 2))
    }

    /// Runs `body` with the existing storage, closed afterwards.
    func withExisting<Value>(_ body: (CloudStorage) async throws -> Value) async throws -> Value {
        let storage = try await openExisting()
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
