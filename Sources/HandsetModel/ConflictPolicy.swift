/// What to do when the server refuses a write because the record changed there first.
public enum ConflictPolicy: String, Sendable, Equatable, CaseIterable {
    /// Keep both and let the person choose (the default).
    case ask
    /// The server's version wins; this device's change is dropped.
    case serverWins = "server-wins"
    /// This device's version is written over the server's.
    case clientWins = "client-wins"
    /// Fields changed on one side only are merged; the person is asked only about fields changed on both.
    case merge
}
