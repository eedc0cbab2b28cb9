import CMariaDB

/// The MYSQL_BIND array for one execution's parameters, with the memory its pointers refer to. It must outlive
/// `mysql_stmt_execute`; it frees everything when it goes away.
final class ParameterBindings {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let count: Int
    private var allocations: [UnsafeMutableRawPointer] = []

    init(_ values: [MySQLValue]) {
        count = values.count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        for (index, value) in values.enumerated() {
            bind(value, at: index)
        }
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
        binds.deinitialize(count: max(count, 1))
        binds.deallocate()
    }

    private func bind(_ value: MySQLValue, at index: Int) {
        switch value {
        case .null:
            binds[index].buffer_type = MYSQL_TYPE_NULL
        case .int(let number):
            binds[index].buffer_type = MYSQL_TYPE_LONGLONG
            binds[index].buffer = store(number)
            binds[index].is_unsigned = 0
        case .uint(let number):
            binds[index].buffer_type = MYSQL_TYPE_LONGLONG
            binds[index].buffer = store(number)
            binds[index].is_unsigned = 1
        case .double(let number):
            binds[index].buffer_type = MYSQL_TYPE_DOUBLE
            binds[index].buffer = store(number)
        case .text(let text):
            bindBytes(Array(text.utf8), type: MYSQL_TYPE_STRING, at: index)
        case .bytes(let bytes):
            bindBytes(bytes, type: MYSQL_TYPE_BLOB, at: index)
        }
    }

    private func store<Value>(_ value: Value) -> UnsafeMutableRawPointer {
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<Value>.size, alignment: MemoryLayout<Value>.alignment)
        memory.storeBytes(of: value, as: Value.self)
        allocations.append(memory)
        return memory
    }

    private func bindBytes(_ bytes: [UInt8], type: enum_field_types, at index: Int) {
        // One allocation: the length word, then the bytes (at least one, so the pointer is never null).
        let memory = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<UInt>.size + max(bytes.count, 1), alignment: MemoryLayout<UInt>.alignment)
        allocations.append(memory)
        memory.storeBytes(of: UInt(bytes.count), as: UInt.self)
        let data = memory + MemoryLayout<UInt>.size
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { data.copyMemory(from: base, byteCount: bytes.count) }
        }
        binds[index].buffer_type = type
        binds[index].buffer = data
        binds[index].buffer_length = UInt(bytes.count)
        binds[index].length = memory.assumingMemoryBound(to: UInt.self)
    }
}
