import Foundation

/// Where and how to connect, read from a URL:
///
///     mysql://USER:PASSWORD@HOST:PORT/DATABASE
///     mysql://USER@localhost/DATABASE?socket=/run/mysqld/mysqld.sock
///
/// `mariadb://` is accepted as well. The user name, password and database are percent-decoded. Without a
/// password in the URL, `HANDSET_DATABASE_PASSWORD` supplies it (so it need not appear in a process listing).
/// Query options: `socket`, `connect_timeout`, `read_timeout`, `write_timeout` (seconds).
///
/// The password never appears in `description`, in `dump`, or in any error: a `MySQLConfiguration` prints as its
/// redacted URL.
public struct MySQLConfiguration: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public static let passwordEnvironmentVariable = "HANDSET_DATABASE_PASSWORD"

    public var host: String
    public var port: Int
    public var user: String
    public var password: MySQLPassword?
    /// The default database (schema); nil connects without one.
    public var database: String?
    /// A unix socket path; when set, `host` and `port` are not used.
    public var socketPath: String?
    /// Seconds to wait for a TCP or socket connection.
    public var connectTimeout: Int = 5
    /// Seconds to wait for an answer before the connection counts as lost (0: wait as long as it takes). Keep it
    /// above the longest statement, including waits for locks (`innodb_lock_wait_timeout`, `GET_LOCK`).
    public var readTimeout: Int = 120
    public var writeTimeout: Int = 60
    /// The isolation level every transaction of a session runs at; `nil` keeps the server's default.
    public var sessionIsolation: MySQLIsolationLevel?

    public init(
        host: String = "localhost", port: Int = 3306, user: String, password: MySQLPassword? = nil,
        database: String? = nil, socketPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.socketPath = socketPath
    }

    /// Reads a `mysql://` URL; `environment` supplies `HANDSET_DATABASE_PASSWORD` when the URL has no password.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        // Never echo `text`: it may hold the password.
        func invalid(_ why: String) -> MySQLError {
            MySQLError(.invalidURL, message: "database URL: \(why) (expected mysql://USER[:PASSWORD]@HOST[:PORT]/DB)")
        }
        guard let components = URLComponents(string: text) else { throw invalid("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "mysql" || scheme == "mariadb" else {
            throw invalid("the scheme must be mysql:// or mariadb://")
        }
        guard let rawUser = components.percentEncodedUser, let user = rawUser.removingPercentEncoding,
            !user.isEmpty
        else { throw invalid("no user name") }
        self.user = user
        if let rawPassword = components.percentEncodedPassword {
            guard let decoded = rawPassword.removingPercentEncoding else {
                throw invalid("the password is not percent-encoded correctly")
            }
            self.password = MySQLPassword(decoded)
        } else if let fromEnvironment = environment[Self.passwordEnvironmentVariable] {
            self.password = MySQLPassword(fromEnvironment)
        }
        // The ASCII form (IDNA for international names): what the resolver takes, and what prints back the same.
        guard let rawHost = components.encodedHost, !rawHost.isEmpty else { throw invalid("no host") }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        // A DNS name, an IPv4 address or an IPv6 literal; anything else (spaces, '%'-decoded bytes) is no host.
        let hostCharacters = host.contains(":") ? Self.ipv6Characters : Self.hostNameCharacters
        guard !host.isEmpty, host.unicodeScalars.allSatisfy(hostCharacters.contains) else {
            throw invalid("the host is not valid")
        }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw invalid("the port must be 1-65535") }
            self.port = port
        } else {
            self.port = 3306
        }
        let path = components.percentEncodedPath
        let name = String(path.drop(while: { $0 == "/" }))
        guard let decodedName = name.removingPercentEncoding, !decodedName.contains("/") else {
            throw invalid("the path must be one database name")
        }
        self.database = decodedName.isEmpty ? nil : decodedName
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            func seconds() throws -> Int {
                guard let number = Int(value), number >= 0, number <= 86_400 else {
                    throw invalid("\(item.name) must be a number of seconds")
                }
                return number
            }
            switch item.name {
            case "socket":
                guard value.hasPrefix("/") else { throw invalid("socket must be an absolute path") }
                self.socketPath = value
            case "connect_timeout": self.connectTimeout = try seconds()
            case "read_timeout": self.readTimeout = try seconds()
            case "write_timeout": self.writeTimeout = try seconds()
            default: throw invalid("unknown option \(item.name)")
            }
        }
    }

    /// The URL without the password, for messages and logs.
    public var redactedURL: String {
        var text = "mysql://" + Self.encode(user, allowed: .urlUserAllowed)
        if password != nil { text += ":***" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        text += "@" + shownHost
        if port != 3306 { text += ":\(port)" }
        text += "/" + Self.encode(database ?? "", allowed: .urlPathAllowed)
        if let socketPath { text += "?socket=" + Self.encode(socketPath, allowed: .urlQueryAllowed) }
        return text
    }

    private static let hostNameCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
    private static let ipv6Characters = CharacterSet(charactersIn: "0123456789abcdefABCDEF:.")

    /// The same configuration with another default database.
    public func with(database: String?) -> MySQLConfiguration {
        var copy = self
        copy.database = database
        return copy
    }

    public var description: String { redactedURL }
    public var debugDescription: String { "MySQLConfiguration(\(redactedURL))" }
    public var customMirror: Mirror { Mirror(self, children: ["url": redactedURL]) }

    /// Percent-encodes a URL part so that it parses back to itself: besides what the part never allows, the
    /// delimiters of the other parts (and '&', '=', '+' inside a query value) are encoded too.
    private static func encode(_ text: String, allowed: CharacterSet) -> String {
        var set = allowed
        set.remove(charactersIn: ":@/?#[]&=+%")
        if allowed == .urlPathAllowed || allowed == .urlQueryAllowed { set.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: set) ?? text
    }
}

/// A password that prints as `***` wherever it ends up (string interpolation, `dump`, a debugger).
public struct MySQLPassword: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The password itself; read it only to hand it to Connector/C.
    public let revealed: String

    public init(_ password: String) { self.revealed = password }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
