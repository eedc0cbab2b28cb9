import HandsetMySQL

extension MySQLPool {
    /// One writing statement as a transaction of its own, so that a deadlock or a lock wait timeout runs it again
    /// (`execute` alone would hand the error to the caller).
    @discardableResult
    func write(_ sql: String, _ parameters: [MySQLValue] = []) async throws -> MySQLResult {
        try await transaction { try $0.execute(sql, parameters) }
    }
}
