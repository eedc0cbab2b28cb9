import Foundation
import HandsetMySQL
import Testing

@Suite("Database URLs")
struct MySQLConfigurationTests {
    @Test("host, port, user, password and database come from the URL, percent-decoded")
    func tcpURL() throws {
        let configuration = try MySQLConfiguration(
            url: "mysql://app%40web:p%3Ass%2Fw0rd@db.example.com:3307/handset%2Dprod", environment: [:])
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 3307)
        #expect(configuration.user == "app@web")
        #expect(configuration.password?.revealed == "p:ss/w0rd")
        #expect(configuration.database == "handset-prod")
        #expect(configuration.socketPath == nil)
    }

    @Test("a socket path, the default port, no password and no database")
    func socketURL() throws {
        let configuration = try MySQLConfiguration(
            url: "mysql://root@localhost/?socket=/run/mysqld/mysqld.sock", environment: [:])
        #expect(configuration.socketPath == "/run/mysqld/mysqld.sock")
        #expect(configuration.port == 3306)
        #expect(configuration.password == nil)
        #expect(configuration.database == nil)
        #expect(configuration.redactedURL == "mysql://root@localhost/?socket=/run/mysqld/mysqld.sock")
    }

    @Test("HANDSET_DATABASE_PASSWORD supplies a password the URL leaves out, and never overrides one it gives")
    func passwordFromEnvironment() throws {
        let environment = ["HANDSET_DATABASE_PASSWORD": "from-env-secret"]
        let fromEnvironment = try MySQLConfiguration(url: "mysql://handset@db/handset", environment: environment)
        #expect(fromEnvironment.password?.revealed == "from-env-secret")
        let fromURL = try MySQLConfiguration(url: "mysql://handset:in-url@db/handset", environment: environment)
        #expect(fromURL.password?.revealed == "in-url")
    }

    @Test("timeouts and the mariadb:// scheme; IPv6 hosts")
    func options() throws {
        let configuration = try MySQLConfiguration(
            url: "mariadb://u@[::1]:3310/d?connect_timeout=2&read_timeout=0&write_timeout=9", environment: [:])
        #expect(configuration.host == "::1")
        #expect(configuration.port == 3310)
        #expect(configuration.connectTimeout == 2)
        #expect(configuration.readTimeout == 0)
        #expect(configuration.writeTimeout == 9)
        #expect(configuration.redactedURL == "mysql://u@[::1]:3310/d")
    }

    @Test(
        "bad URLs are refused with a reason that never repeats the URL's password",
        arguments: [
            "postgres://u:hunter2secret@h/d",
            "mysql://:hunter2secret@h/d",
            "mysql://u:hunter2secret@h:99999/d",
            "mysql://u:hunter2secret@h/d/e",
            "mysql://u:hunter2secret@h/d?socket=relative.sock",
            "mysql://u:hunter2secret@h/d?read_timeout=soon",
            "mysql://u:hunter2secret@h/d?ssl_mode=off",
            "mysql://u:hunter2secret@/d",
            "not a url at all hunter2secret",
        ])
    func refused(url: String) throws {
        let error = try #require(throws: MySQLError.self) { try MySQLConfiguration(url: url, environment: [:]) }
        #expect(error.kind == .invalidURL)
        #expect(!error.description.contains("hunter2secret"))
    }

    @Test("an international host name is kept in its ASCII (IDNA) form, and every URL prints back to itself")
    func redactedURLRoundTrips() throws {
        let international = try MySQLConfiguration(url: "mysql://u@db.exabéple.com:307/d", environment: [:])
        #expect(international.host == "db.xn--exabple-eya.com")
        let socket = try MySQLConfiguration(url: "mysql://u@h/d?socket=/run/a%26b%3Dc.sock", environment: [:])
        #expect(socket.socketPath == "/run/a&b=c.sock")
        for configuration in [international, socket] {
            let again = try MySQLConfiguration(url: configuration.redactedURL, environment: [:])
            #expect(again.host == configuration.host && again.socketPath == configuration.socketPath)
        }
        // Found by the database-url fuzz target: a port beside a socket was left out of the printed URL, which then
        // named port 3306.
        let socketAndPort = try MySQLConfiguration(url: "mysql://T@odbxa.com:7/c?socket=/r", environment: [:])
        #expect(socketAndPort.redactedURL == "mysql://T@odbxa.com:7/c?socket=/r")
        // Found by the database-url fuzz target: a percent-encoded space made a host that printed unparseable.
        #expect(throws: MySQLError.self) { try MySQLConfiguration(url: "mysql://u@d%20b/x", environment: [:]) }
    }

    @Test("the password shows nowhere: description, debug description, dump, string interpolation")
    func passwordHidden() throws {
        let configuration = try MySQLConfiguration(url: "mysql://u:hunter2secret@h:3306/d", environment: [:])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [
            configuration.description, configuration.debugDescription, dumped, "\(configuration)",
            String(reflecting: configuration), "\(configuration.password!)", configuration.redactedURL,
        ] {
            #expect(!text.contains("hunter2secret"), "\(text)")
        }
        #expect(configuration.redactedURL == "mysql://u:***@h/d")
    }

    @Test("random mutations of database URLs never crash the parser and never put the password in an error")
    func mutatedURLs() {
        var random = SplitMix64(seed: 0x5EED_13)
        let seeds = [
            "mysql://user:Pa55-secret-word@db.example.com:3307/handset?socket=/run/x.sock&read_timeout=5",
            "mariadb://user:Pa55-secret-word@[::1]/d%20b?connect_timeout=2",
        ]
        let alphabet = Array("mysql:/@?&=#%[]:.-_ 0123456789abcdefXYZ\u{0}\u{7F}é😀".unicodeScalars)
        for _ in 0..<5_000 {
            var scalars = Array(seeds[Int(random.next() % 2)].unicodeScalars)
            for _ in 0...(random.next() % 4) {
                let position = Int(random.next() % UInt64(scalars.count + 1))
                switch random.next() % 3 {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1: scalars.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                default:
                    if position < scalars.count {
                        scalars[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    }
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            do {
                let configuration = try MySQLConfiguration(url: text, environment: [:])
                // Whatever the mutation left as the password (a dropped ':' makes it part of the user name).
                if let password = configuration.password?.revealed, password.count >= 6 {
                    #expect(!configuration.description.contains(password), "\(text)")
                    #expect(!"\(configuration)".contains(password), "\(text)")
                }
            } catch let error as MySQLError {
                #expect(error.kind == .invalidURL)
                #expect(!error.description.contains("secret"), "\(text)")
            } catch {
                Issue.record("unexpected error \(error) for \(text)")
            }
        }
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
