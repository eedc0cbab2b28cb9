import Foundation
import HandsetFuzzing
import HandsetMySQL

/// `--database mysql://…` URLs: a URL that parses prints as its redacted form, which parses back to the same
/// place (host, port, user, database, socket) with the password shown only as `***`; one that does not parse is
/// refused as an invalid URL, never with anything else.
enum DatabaseURLFuzzing {
    static let target = FuzzTarget("database-url") { data in
        let text = String(decoding: data, as: UTF8.self)
        let configuration: MySQLConfiguration
        do {
            configuration = try MySQLConfiguration(url: text, environment: [:])
        } catch let error as MySQLError {
            FuzzCheck.that(error.kind == .invalidURL, "refused as \(error.kind), not invalidURL: \(error)")
            return
        } catch {
            FuzzCheck.that(false, "refused with \(error)")
            return
        }
        FuzzCheck.that(configuration.description == configuration.redactedURL, "description is not the redacted URL")
        let again: MySQLConfiguration
        do {
            again = try MySQLConfiguration(url: configuration.redactedURL, environment: [:])
        } catch {
            FuzzCheck.that(false, "the redacted URL \(configuration.redactedURL) does not parse: \(error)")
            return
        }
        FuzzCheck.that(
            again.host == configuration.host && again.port == configuration.port && again.user == configuration.user
                && again.database == configuration.database && again.socketPath == configuration.socketPath,
            "the redacted URL \(configuration.redactedURL) names another place")
        FuzzCheck.that(
            (again.password == nil) == (configuration.password == nil)
                && (again.password == nil || again.password?.revealed == "***"),
            "the redacted URL shows the password")
    }
}
