import Foundation
import HandsetCloudStorage
import HandsetWire

/// Seeds the demo users and their records. Idempotent: a demo user who already exists (with whatever records and
/// settings they have now) is left alone.
struct DemoSeeder: Sendable {
    let pool: PoolConfiguration
    let store: any IdentityRepository
    let records: any RecordRepository
    /// The collections of the API being served: the team app's records are seeded only where it has them.
    let collections: Set<String>
    /// Where the demo's attachments are stored.
    let objects: ObjectStore
    let now: @Sendable () -> Date

    /// Seeds what is missing and returns every demo user, described as this API shows them.
    @discardableResult
    func seed() async throws -> [DemoUser] {
        for account in DemoData.accounts where try await store.user(named: account.user.username) == nil {
            try await seed(account)
        }
        return DemoData.accounts.map { account in
            var user = account.user
            if !(account.projects.isEmpty && account.tasks.isEmpty), !hasTeamAppCollections {
                // Another API (say `--api Examples/field-notes.json`): the team app's records are not there.
                user.covers = "no MFA; no demo records in this API"
            }
            return user
        }
    }

    private var hasTeamAppCollections: Bool { collections.contains("tasks") && collections.contains("projects") }

    private func seed(_ account: DemoData.Account) async throws {
        let demo = account.user
        let now = now()
        var user = PoolUser(
            sub: UUID().uuidString.lowercased(), username: demo.username, email: demo.email, emailVerified: true,
            phoneNumber: nil, phoneNumberVerified: false, attributes: [:], status: .confirmed, enabled: true,
            userIdForSRP: demo.username,
            password: try SRPVerifier.make(
                password: demo.password, poolName: pool.poolName, userIdForSRP: demo.username),
            passwordSetAt: now, groups: [], mfa: MFASettings(), createdAt: now, updatedAt: now)
        switch demo.username {
        case DemoData.tina.user.username:
            user.mfa.totpSecret = Base32.decode(DemoData.tinaTOTPSecret)
            user.mfa.totpVerified = true
            user.mfa.totpEnabled = true
            user.mfa.preferred = .softwareToken
            user.groups = ["admins"]
        case DemoData.emma.user.username:
            user.mfa.emailEnabled = true
            user.mfa.preferred = .email
        case DemoData.sam.user.username:
            user.phoneNumber = "+15555550123"
            user.phoneNumberVerified = true
            user.mfa.smsEnabled = true
            user.mfa.preferred = .sms
        case DemoData.nora.user.username:
            user.status = .forceChangePassword
        default:
            break
        }
        do {
            try await store.create(user)
        } catch IdentityRepositoryFailure.usernameExists {
            return
        }
        let seeded = [("projects", account.projects), ("tasks", account.tasks)].filter { collections.contains($0.0) }
        for (collection, items) in seeded {
            for item in items {
                do {
                    try await records.create(
                        collection: collection, id: item.id, owner: user.sub, body: item.body, at: now)
                } catch RecordRepositoryError.alreadyExists {
                    continue
                }
            }
        }
        if demo.username == DemoData.alice.user.username, collections.contains("tasks"),
            let key = ObjectKey(DemoData.screenshotChecklist.key)
        {
            try await objects.store(
                Data(DemoData.screenshotChecklist.text.utf8), key: key,
                contentType: DemoData.screenshotChecklist.contentType, owner: user.sub, attached: true)
        }
    }
}
