/// The developer's mailbox: every code or temporary password the pool "sent" by email or SMS, in order.
package protocol OutboxRepository: Sendable {
    func append(_ message: OutboxMessage) async throws
    /// Every message so far, oldest first.
    func messages() async throws -> [OutboxMessage]
}
