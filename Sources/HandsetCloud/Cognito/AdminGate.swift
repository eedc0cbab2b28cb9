/// Whether admin operations are served: only while the server listens on a loopback address, where every caller is
/// on this machine. SigV4 signatures are never checked (like other local emulators); this is the only guard.
struct AdminGate: Sendable {
    let bindHost: String

    var allowsAdminOperations: Bool {
        bindHost == "localhost" || bindHost == "::1" || bindHost.hasPrefix("127.")
    }

    func check() throws {
        guard allowsAdminOperations else { throw CognitoError.adminNotLocal }
    }
}
