import CMariaDB

/// A statement through the text protocol (`mysql_real_query`), for what is not prepared: DDL, transaction
/// control, `SET`. Result values are converted to the same kinds a prepared statement gives.
enum TextQuery {
    static func run(_ sql: String, on handle: UnsafeMutablePointer<MYSQL>) throws -> MySQLResult {
        let status = sql.withCString { mysql_real_query(handle, $0, UInt(sql.utf8.count)) }
        if status != 0 { throw MySQLStatementError.from(connection: handle) }
        defer { skipFurtherResults(handle) }
        guard let result = mysql_store_result(handle) else {
            if mysql_field_count(handle) != 0 { throw MySQLStatementError.from(connection: handle) }
            let affected = mysql_affected_rows(handle)
            return MySQLResult(
                columns: MySQLColumns([]), rows: [], affectedRows: affected == UInt64.max ? 0 : affected,
                lastInsertID: mysql_insert_id(handle))
        }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        var columns: [MySQLColumn] = []
        if let fields = mysql_fetch_fields(result) {
            for index in 0..<count { columns.append(MySQLColumn(field: fields[index])) }
        }
        let shared = MySQLColumns(columns)
        var rows: [MySQLRow] = []
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            var values: [MySQLValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                guard let cell = row[index] else {
                    values.append(.null)
                    continue
                }
                let bytes = Array(UnsafeRawBufferPointer(start: cell, count: Int(lengths[index])))
                values.append(value(bytes, kind: columns[index].valueKind))
            }
            rows.append(MySQLRow(columns: shared, values: values))
        }
        if mysql_errno(handle) != 0 { throw MySQLStatementError.from(connection: handle) }
        return MySQLResult(columns: shared, rows: rows, affectedRows: 0, lastInsertID: 0)
    }

    private static func value(_ bytes: [UInt8], kind: MySQLColumn.ValueKind) -> MySQLValue {
        let text = String(validating: bytes, as: UTF8.self)
        switch kind {
        case .signedInteger:
            if let text, let number = Int64(text) { return .int(number) }
        case .unsignedInteger:
            if let text, let number = UInt64(text) { return .uint(number) }
        case .floatingPoint:
            if let text, let number = Double(text) { return .double(number) }
        case .bytes:
            return .bytes(bytes)
        case .text, .null:
            break
        }
        return text.map(MySQLValue.text) ?? .bytes(bytes)
    }

    private static func skipFurtherResults(_ handle: UnsafeMutablePointer<MYSQL>) {
        while mysql_more_results(handle) != 0 {
            if mysql_next_result(handle) != 0 { break }
            if let extra = mysql_store_result(handle) { mysql_free_result(extra) }
        }
    }
}
