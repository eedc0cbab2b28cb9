import CMariaDB

/// A server-side prepared statement of one connection. Its parameters are bound by type (no SQL is ever built from
/// values); its rows are read in full (`mysql_stmt_store_result`) so the connection is free again at once.
final class MySQLPreparedStatement {
    let sql: String
    let parameterCount: Int
    private let handle: UnsafeMutablePointer<MYSQL_STMT>
    private var results: ResultBindings?

    init(sql: String, connection: UnsafeMutablePointer<MYSQL>) throws {
        guard let handle = mysql_stmt_init(connection) else {
            throw MySQLError(.server, message: "out of memory preparing a statement")
        }
        let status = sql.withCString { mysql_stmt_prepare(handle, $0, UInt(sql.utf8.count)) }
        if status != 0 {
            let error = MySQLStatementError.from(handle)
            mysql_stmt_close(handle)
            throw error
        }
        self.sql = sql
        self.handle = handle
        self.parameterCount = Int(mysql_stmt_param_count(handle))
    }

    /// Frees the statement; on a live connection the server forgets it too.
    func close() {
        results = nil
        mysql_stmt_close(handle)
    }

    func run(_ parameters: [MySQLValue]) throws -> MySQLResult {
        guard parameters.count == parameterCount else {
            throw MySQLError(
                .misuse, message: "the statement takes \(parameterCount) parameters, \(parameters.count) given")
        }
        let bindings = ParameterBindings(parameters)
        if parameterCount > 0, mysql_stmt_bind_param(handle, bindings.binds) != 0 {
            throw MySQLStatementError.from(handle)
        }
        if mysql_stmt_execute(handle) != 0 { throw MySQLStatementError.from(handle) }
        withExtendedLifetime(bindings) {}

        let fieldCount = Int(mysql_stmt_field_count(handle))
        guard fieldCount > 0, let fields = mariadb_stmt_fetch_fields(handle) else {
            let affected = mysql_stmt_affected_rows(handle)
            return MySQLResult(
                columns: MySQLColumns([]), rows: [],
                affectedRows: affected == UInt64.max ? 0 : affected, lastInsertID: mysql_stmt_insert_id(handle))
        }
        let bindingsForRows: ResultBindings
        if let results, results.matches(fields: fields, count: fieldCount) {
            bindingsForRows = results
        } else {
            bindingsForRows = ResultBindings(fields: fields, count: fieldCount)
            results = bindingsForRows
        }
        defer { drainResults() }
        if mysql_stmt_store_result(handle) != 0 { throw MySQLStatementError.from(handle) }
        try bind(bindingsForRows)
        var rows: [MySQLRow] = []
        rows.reserveCapacity(Int(mysql_stmt_num_rows(handle)))
        while true {
            let status = mysql_stmt_fetch(handle)
            if status == MYSQL_NO_DATA { break }
            if status != 0 && status != MYSQL_DATA_TRUNCATED { throw MySQLStatementError.from(handle) }
            rows.append(try bindingsForRows.readRow(handle))
            if bindingsForRows.needsRebind { try bind(bindingsForRows) }
        }
        return MySQLResult(columns: bindingsForRows.columns, rows: rows, affectedRows: 0, lastInsertID: 0)
    }

    private func bind(_ bindings: ResultBindings) throws {
        if mysql_stmt_bind_result(handle, bindings.binds) != 0 { throw MySQLStatementError.from(handle) }
        bindings.didRebind()
    }

    /// Frees the stored rows and skips any further result sets (a CALL), so the connection is ready again.
    private func drainResults() {
        mysql_stmt_free_result(handle)
        while mysql_stmt_more_results(handle) != 0 {
            if mysql_stmt_next_result(handle) != 0 { break }
            mysql_stmt_free_result(handle)
        }
    }
}

/// Turns Connector/C's statement and connection errors into `MySQLError`s.
enum MySQLStatementError {
    static func from(_ statement: UnsafeMutablePointer<MYSQL_STMT>) -> MySQLError {
        make(
            number: mysql_stmt_errno(statement), message: mysql_stmt_error(statement),
            sqlState: mysql_stmt_sqlstate(statement))
    }

    static func from(connection: UnsafeMutablePointer<MYSQL>) -> MySQLError {
        make(number: mysql_errno(connection), message: mysql_error(connection), sqlState: mysql_sqlstate(connection))
    }

    private static func make(
        number: UInt32, message: UnsafePointer<CChar>?, sqlState: UnsafePointer<CChar>?
    ) -> MySQLError {
        let text = message.map { String(cString: $0) } ?? ""
        let state = sqlState.map { String(cString: $0) }
        let kind: MySQLError.Kind = MySQLErrorNumber.meansConnectionLost(number) ? .connectionLost : .server
        return MySQLError(
            kind, number: number == 0 ? nil : number, sqlState: state,
            message: text.isEmpty ? "unknown error" : text)
    }
}
