import Foundation

/// The `iss` of the pool's tokens: `<base>/<userPoolId>`, where the base is configured or is the server's own URL.
struct Issuer: Sendable {
    let override: String?
    let address: ServerAddress
    let userPoolId: String

    init(override: String?, address: ServerAddress, userPoolId: String) {
        self.override = override.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.address = address
        self.userPoolId = userPoolId
    }

    var value: String { "\(override ?? address.baseURL)/\(userPoolId)" }
}
