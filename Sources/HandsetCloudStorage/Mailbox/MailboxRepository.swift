/// The developer's mailbox: every code or temporary password the pool "sent" by email or SMS, in order.
package protocol MailboxRepository: Sendable {
    func append(_ message: SentMessage) async throws
    /// Every message so far, oldest first.
    func messages() async throws -> [SentMessage]
}
