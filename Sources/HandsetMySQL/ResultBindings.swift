import CMariaDB

/// The MYSQL_BIND array a prepared statement's rows are fetched into. Integers and floating-point numbers land in
/// 8-byte buffers; everything else as bytes in a buffer sized from the column's declared length (at most
/// `initialCapacity`). A value longer than its buffer is read in a second step with `mysql_stmt_fetch_column`
/// into a buffer of its exact length, and the column's buffer grows (up to `retainedCapacity`) for the next rows,
/// so results of unknown length need no guess.
final class ResultBindings {
    static let initialCapacity = 4096
    static let retainedCapacity = 64 * 1024

    let columns: MySQLColumns
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let count: Int
    private let lengths: UnsafeMutablePointer<UInt>
    private let nulls: UnsafeMutablePointer<my_bool>
    private let errors: UnsafeMutablePointer<my_bool>
    private var buffers: [UnsafeMutableRawPointer]
    private var capacities: [Int]
    /// Set when a buffer grew: the statement must bind again before the next fetch.
    private(set) var needsRebind = false

    init(fields: UnsafeMutablePointer<MYSQL_FIELD>, count: Int) {
        var columns: [MySQLColumn] = []
        for index in 0..<count { columns.append(MySQLColumn(field: fields[index])) }
        self.columns = MySQLColumns(columns)
        self.count = count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        lengths.initialize(repeating: 0, count: max(count, 1))
        nulls = .allocate(capacity: max(count, 1))
        nulls.initialize(repeating: 0, count: max(count, 1))
        errors = .allocate(capacity: max(count, 1))
        errors.initialize(repeating: 0, count: max(count, 1))
        buffers = []
        capacities = []
        for index in 0..<count {
            let column = columns[index]
            let capacity: Int
            switch column.valueKind {
            case .signedInteger, .unsignedInteger, .floatingPoint:
                capacity = 8
            case .text, .bytes, .null:
                capacity = min(max(Int(fields[index].length), 64), Self.initialCapacity)
            }
            buffers.append(.allocate(byteCount: capacity, alignment: 8))
            capacities.append(capacity)
            configure(index)
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        binds.deinitialize(count: max(count, 1))
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
    }

    /// Whether these bindings fit a result with the same columns (so a statement can keep them between runs).
    func matches(fields: UnsafeMutablePointer<MYSQL_FIELD>, count: Int) -> Bool {
        guard count == self.count else { return false }
        for index in 0..<count {
            let field = fields[index]
            let column = columns.columns[index]
            guard column.fieldType == field.type.rawValue,
                column.valueKind == MySQLColumn.kind(type: field.type, flags: field.flags, charset: field.charsetnr)
            else { return false }
        }
        return true
    }

    func didRebind() { needsRebind = false }

    private func configure(_ index: Int) {
        var bind = MYSQL_BIND()
        switch columns.columns[index].valueKind {
        case .signedInteger:
            bind.buffer_type = MYSQL_TYPE_LONGLONG
        case .unsignedInteger:
            bind.buffer_type = MYSQL_TYPE_LONGLONG
            bind.is_unsigned = 1
        case .floatingPoint:
            bind.buffer_type = MYSQL_TYPE_DOUBLE
        case .bytes:
            bind.buffer_type = MYSQL_TYPE_BLOB
        case .text, .null:
            // Connector/C converts DECIMAL, dates and times to their text form for a string buffer.
            bind.buffer_type = MYSQL_TYPE_STRING
        }
        bind.buffer = buffers[index]
        bind.buffer_length = UInt(capacities[index])
        bind.length = lengths + index
        bind.is_null = nulls + index
        bind.error = errors + index
        binds[index] = bind
    }

    /// Reads the row `mysql_stmt_fetch` just fetched.
    func readRow(_ statement: UnsafeMutablePointer<MYSQL_STMT>) throws -> MySQLRow {
        var values: [MySQLValue] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            if nulls[index] != 0 {
                values.append(.null)
                continue
            }
            let buffer = buffers[index]
            switch columns.columns[index].valueKind {
            case .signedInteger:
                values.append(.int(buffer.load(as: Int64.self)))
            case .unsignedInteger:
                values.append(.uint(buffer.load(as: UInt64.self)))
            case .floatingPoint:
                values.append(.double(buffer.load(as: Double.self)))
            case .bytes:
                values.append(.bytes(try readBytes(statement, index)))
            case .text, .null:
                let bytes = try readBytes(statement, index)
                if let text = String(validating: bytes, as: UTF8.self) {
                    values.append(.text(text))
                } else {
                    values.append(.bytes(bytes))
                }
            }
        }
        return MySQLRow(columns: columns, values: values)
    }

    private func readBytes(_ statement: UnsafeMutablePointer<MYSQL_STMT>, _ index: Int) throws -> [UInt8] {
        let length = Int(lengths[index])
        if length <= capacities[index] {
            return Array(UnsafeRawBufferPointer(start: buffers[index], count: length))
        }
        // Second phase: the whole value into a buffer of its exact size.
        let whole = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 8)
        defer { whole.deallocate() }
        var wholeLength: UInt = 0
        var wholeNull: my_bool = 0
        var bind = binds[index]
        bind.buffer = whole
        bind.buffer_length = UInt(length)
        let status = withUnsafeMutablePointer(to: &wholeLength) { lengthPointer in
            withUnsafeMutablePointer(to: &wholeNull) { nullPointer in
                bind.length = lengthPointer
                bind.is_null = nullPointer
                return mysql_stmt_fetch_column(statement, &bind, UInt32(index), 0)
            }
        }
        if status != 0 { throw MySQLStatementError.from(statement) }
        let bytes = Array(UnsafeRawBufferPointer(start: whole, count: min(length, Int(wholeLength))))
        if length > capacities[index], length <= Self.retainedCapacity {
            buffers[index].deallocate()
            buffers[index] = .allocate(byteCount: length, alignment: 8)
            capacities[index] = length
            configure(index)
            needsRebind = true
        }
        return bytes
    }
}
