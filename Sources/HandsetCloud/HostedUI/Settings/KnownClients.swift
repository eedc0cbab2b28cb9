import HandsetCloudStorage
/// The app client ids that tokens may name, looked up when a token is checked: clients come and go through
/// `CreateUserPoolClient` and `DeleteUserPoolClient`, and a deleted client's tokens stop working at once.
struct KnownClients: Sendable {
    private let lookup: @Sendable (String) -> Bool

    /// The clients of the pool's live configuration.
    init(settings: any PoolSettingsRepository) {
        lookup = { id in settings.current().client(id: id) != nil }
    }

    /// A fixed set (tests, fuzzing).
    init(_ ids: Set<String>) {
        lookup = { ids.contains($0) }
    }

    func contains(_ id: String) -> Bool { lookup(id) }
}

extension KnownClients: ExpressibleByArrayLiteral {
    init(arrayLiteral ids: String...) {
        self.init(Set(ids))
    }
}
