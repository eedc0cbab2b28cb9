import Foundation
import HandsetWire

/// Seeds the demo users and their records. Idempotent: a demo user who already exists (with whatever records they
/// have now) is left alone.
struct DemoSeeder: Sendable {
    let pool: PoolConfiguration
    let users: any UserRepository
    let records: any RecordRepository
    let now: @Sendable () -> Date

    /// Seeds what is missing and returns every demo user.
    @discardableResult
    func seed() async throws -> [DemoUser] {
        for account in DemoData.accounts where try await users.user(named: account.user.username) == nil {
            try await seed(account)
        }
        return DemoData.accounts.map(\.user)
    }

    private func seed(_ account: DemoData.Account) async throws {
        let user = account.user
        let sub = UUID().uuidString.lowercased()
        do {
            try await users.create(
                StoredUser(
                    sub: sub, username: user.username, email: user.email, emailVerified: true, status: .confirmed,
                    userIdForSRP: user.username,
                    password: try SRPVerifier.make(
                        password: user.password, poolName: pool.poolName, userIdForSRP: user.username),
                    groups: [], createdAt: now()))
        } catch UserRepositoryError.usernameExists {
            return
        }
        let collections = [("projects", account.projects), ("tasks", account.tasks)]
        for (collection, items) in collections {
            for item in items {
                do {
                    try await records.create(
                        collection: collection, id: item.id, owner: sub, body: item.body, at: now())
                } catch RecordRepositoryError.alreadyExists {
                    continue
                }
            }
        }
    }
}
