import Foundation
import HandsetMySQL
import HandsetMySQLTesting
import Testing

@Suite("MariaDB driver: values, statements, errors", needsMariaDB)
struct MySQLDriverTests {
    static let createTypesTable = """
        CREATE TABLE types (
            id INT AUTO_INCREMENT PRIMARY KEY,
            tiny TINYINT, small SMALLINT, medium MEDIUMINT, regular INT, big BIGINT,
            big_unsigned BIGINT UNSIGNED, int_unsigned INT UNSIGNED,
            real_number DOUBLE, float_number FLOAT, money DECIMAL(30,6),
            short_text VARCHAR(255), long_text LONGTEXT, latin_text VARCHAR(50) CHARACTER SET latin1,
            blob_value LONGBLOB, binary_value VARBINARY(16),
            moment DATETIME(6), day DATE, stamp TIMESTAMP(6) NULL, clock TIME(6),
            document JSON, state ENUM('todo','doing','done'), flags SET('a','b','c'), yes_no TINYINT(1)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
        """

    @Test("every kind of value round-trips through prepared statements and the text protocol")
    func typesRoundTrip() async throws {
        try await TestMariaDB.withDatabase("types") { database in
            let pool = database.makePool()
            let emoji = "4-byte: 😀 𝄞 🇫🇷, accents: naïve café, CJK: 漢字, NUL: \u{0}, quote: ' \" \\ %"
            let bigText = String(repeating: "Ünïcödé 🎉 text block. ", count: 60_000)  // about 1.6 MB
            let blob = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
            let moment = Date(timeIntervalSince1970: 1_715_000_000.123456)
            let values: [MySQLValue] = [
                .int(-128), .int(-32768), .int(8_388_607), .int(Int64(Int32.min)), .int(Int64.min),
                .uint(UInt64.max), .uint(UInt64(UInt32.max)),
                .double(-1.5e300), .double(0.5), .text("-12345678901234567890.123456"),
                .text(emoji), .text(bigText), .text("café déjà"),
                .bytes(blob), .bytes([0, 255, 0, 1]),
                .dateTime(moment), .text("2024-02-29"), .text("2038-01-19 03:14:07.999999"), .text("-838:59:59.000000"),
                .text(#"{"k": [1, 2.5, "x"]}"#), .text("doing"), .text("a,c"), .int(1),
            ]
            let inserted = try await pool.withConnection { connection in
                try connection.query(Self.createTypesTable)
                return try connection.execute(
                    """
                    INSERT INTO types (tiny, small, medium, regular, big, big_unsigned, int_unsigned, real_number,
                        float_number, money, short_text, long_text, latin_text, blob_value, binary_value, moment, day,
                        stamp, clock, document, state, flags, yes_no)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, values)
            }
            #expect(inserted.affectedRows == 1)
            #expect(inserted.lastInsertID == 1)
            try await pool.execute("INSERT INTO types (id) VALUES (2)")

            let select = "SELECT * FROM types ORDER BY id"
            for protocolName in ["prepared", "text"] {
                let result = try await pool.withConnection { connection in
                    protocolName == "prepared" ? try connection.execute(select) : try connection.query(select)
                }
                #expect(result.rows.count == 2, "\(protocolName)")
                let row = result.rows[0]
                #expect(try row.int64("tiny") == -128)
                #expect(try row.int64("small") == -32768)
                #expect(try row.int64("medium") == 8_388_607)
                #expect(try row.int64("regular") == Int64(Int32.min))
                #expect(row["big"] == .int(Int64.min))
                #expect(row["big_unsigned"] == .uint(UInt64.max), "BIGINT UNSIGNED past 2^63 (\(protocolName))")
                #expect(row["int_unsigned"] == .uint(UInt64(UInt32.max)))
                #expect(try row.double("real_number") == -1.5e300)
                #expect(try row.double("float_number") == 0.5)
                #expect(row["money"] == .text("-12345678901234567890.123456"))
                #expect(try row.string("short_text") == emoji, "utf8mb4 (\(protocolName))")
                #expect(try row.string("long_text") == bigText, "LONGTEXT of 1.6 MB (\(protocolName))")
                #expect(try row.string("latin_text") == "café déjà", "a latin1 column reads as UTF-8")
                #expect(try row.bytes("blob_value") == blob, "LONGBLOB of 3 MB (\(protocolName))")
                #expect(row["binary_value"] == .bytes([0, 255, 0, 1]))
                #expect(row["moment"] == .text("2024-05-06 12:53:20.123456"), "DATETIME(6) (\(protocolName))")
                #expect(try row.date("moment") == Date(timeIntervalSince1970: 1_715_000_000.123456))
                #expect(row["day"] == .text("2024-02-29"))
                #expect(row["stamp"] == .text("2038-01-19 03:14:07.999999"), "TIMESTAMP(6) in UTC")
                #expect(row["clock"] == .text("-838:59:59.000000"))
                #expect(try row.string("document") == #"{"k": [1, 2.5, "x"]}"#)
                #expect(row["state"] == .text("doing"))
                #expect(row["flags"] == .text("a,c"))
                #expect(try row.bool("yes_no"))

                let empty = result.rows[1]
                for column in empty.columns.names where column != "id" {
                    #expect(empty[column] == .null, "\(column) is NULL (\(protocolName))")
                }
            }
        }
    }

    @Test("parameters echo back with their own kinds; empty text and NULL stay distinct")
    func parameterEcho() async throws {
        try await TestMariaDB.withDatabase("echo") { database in
            let pool = database.makePool()
            let values: [MySQLValue] = [
                .null, .int(Int64.max), .int(-1), .uint(UInt64(Int64.max) + 1), .double(3.25), .text(""),
                .text("𝄞"), .bytes([]), .bytes([0, 0x80, 0xFF]),
            ]
            let row = try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT " + values.indices.map { _ in "?" }.joined(separator: ", "), values
                ).rows[0]
            }
            #expect(row.values == values)
        }
    }

    @Test("a value longer than any buffer guess is read whole, row after row (two-phase fetch)")
    func unknownLengths() async throws {
        try await TestMariaDB.withDatabase("lengths") { database in
            let pool = database.makePool()
            let lengths = [0, 1, 63, 64, 65, 4095, 4096, 4097, 70_000, 10, 200_000, 5]
            let texts = lengths.enumerated().map { index, length in
                String((0..<length).map { _ in Character(UnicodeScalar(UInt8(97 + index % 26))) })
            }
            let read = try await pool.withConnection { connection in
                try connection.query(
                    "CREATE TABLE t (id INT PRIMARY KEY, body MEDIUMTEXT) DEFAULT CHARSET=utf8mb4")
                for (index, text) in texts.enumerated() {
                    try connection.execute("INSERT INTO t VALUES (?, ?)", [.int(Int64(index)), .text(text)])
                }
                return try connection.execute("SELECT body FROM t ORDER BY id").rows.map { try $0.string(0) }
            }
            #expect(read == texts)
        }
    }

    @Test("the session speaks utf8mb4 in UTC even though the server's own default is latin1")
    func sessionSettings() async throws {
        try await TestMariaDB.withDatabase("session") { database in
            let pool = database.makePool()
            let row = try await pool.withConnection { connection in
                try connection.execute(
                    "SELECT @@character_set_client, @@character_set_connection, @@character_set_results, "
                        + "@@time_zone, @@character_set_server, @@sql_mode"
                ).rows[0]
            }
            #expect(try row.string(0) == "utf8mb4")
            #expect(try row.string(1) == "utf8mb4")
            #expect(try row.string(2) == "utf8mb4")
            #expect(try row.string(3) == "+00:00")
            #expect(try row.string(5).contains("STRICT_ALL_TABLES"))
        }
    }

    @Test("errors carry MySQL's numbers and SQLSTATEs, and a failed statement leaves the connection usable")
    func errorNumbers() async throws {
        try await TestMariaDB.withDatabase("errors") { database in
            let pool = database.makePool(MySQLPoolOptions(maximumConnections: 1))
            try await pool.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(3) NOT NULL)")
            try await pool.execute("INSERT INTO t VALUES (1, 'a')")
            let cases: [(String, [MySQLValue], UInt32, String)] = [
                ("INSERT INTO t VALUES (?, 'b')", [1], MySQLErrorNumber.duplicateKey, "23000"),
                ("SELECT * FROM missing", [], MySQLErrorNumber.noSuchTable, "42S02"),
                ("SELEC 1", [], MySQLErrorNumber.parseError, "42000"),
                ("INSERT INTO t VALUES (2, ?)", ["toolong"], 1406, "22001"),
                ("INSERT INTO t VALUES (3, ?)", [nil], 1048, "23000"),
            ]
            for (sql, parameters, number, state) in cases {
                let error = try await #require(throws: MySQLError.self) { try await pool.execute(sql, parameters) }
                #expect(error.kind == .server, "\(sql)")
                #expect(error.number == number, "\(sql): \(error)")
                #expect(error.sqlState == state, "\(sql): \(error)")
            }
            let duplicate = try await #require(throws: MySQLError.self) {
                try await pool.execute("INSERT INTO t VALUES (1, 'c')")
            }
            #expect(duplicate.isDuplicateKey)
            #expect(try await pool.execute("SELECT COUNT(*) FROM t").rows[0].int64(0) == 1)
            let misuse = try await #require(throws: MySQLError.self) {
                try await pool.execute("SELECT ?, ?", [1])
            }
            #expect(misuse.kind == .misuse)
            let mismatch = try await #require(throws: MySQLError.self) {
                try await pool.execute("SELECT 'text'").rows[0].int64(0)
            }
            #expect(mismatch.kind == .typeMismatch)
        }
    }

    @Test("a password from the URL or from HANDSET_DATABASE_PASSWORD signs in; a wrong one is refused without echo")
    func passwords() async throws {
        try await TestMariaDB.withDatabase("passwords") { database in
            let user = "handset_\(UUID().uuidString.prefix(8).lowercased())"
            let password = "S3cret-\(UUID().uuidString)"
            let admin = database.makePool()
            try await admin.execute("CREATE USER '\(user)'@'%' IDENTIFIED BY '\(password)'")
            try await admin.execute("GRANT ALL ON `\(database.name)`.* TO '\(user)'@'%'")
            let place =
                database.configuration.socketPath.map { "localhost/\(database.name)?socket=\($0)" }
                ?? "\(database.configuration.host):\(database.configuration.port)/\(database.name)"
            let escapedPassword = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let inURL = try MySQLConfiguration(url: "mysql://\(user):\(escapedPassword)@\(place)", environment: [:])
            let fromEnvironment = try MySQLConfiguration(
                url: "mysql://\(user)@\(place)", environment: ["HANDSET_DATABASE_PASSWORD": password])
            for configuration in [inURL, fromEnvironment] {
                let connection = try MySQLConnection.open(configuration)
                #expect(try connection.execute("SELECT CURRENT_USER()").rows[0].string(0) == "\(user)@%")
                connection.disconnect()
            }
            var wrong = inURL
            wrong.password = MySQLPassword(password + "-wrong")
            let error = try #require(throws: MySQLError.self) { try MySQLConnection.open(wrong) }
            #expect(error.kind == .connectionFailed)
            #expect(error.number == MySQLErrorNumber.accessDenied)
            #expect(!error.description.contains(password))
            #expect(error.description.contains("mysql://\(user):***@"))
            try await admin.execute("DROP USER '\(user)'@'%'")
        }
    }
}
