import Foundation

/// A device authorization (RFC 8628): the device polls with the device code while the person approves the user
/// code on the verification page, signed in there.
package struct DeviceAuthorization: Sendable, Equatable {
    package enum Status: String, Sendable {
        case pending, approved, denied, redeemed
    }

    /// SHA-256 (hex) of the device code.
    package var deviceCodeHash: String
    /// What the person types: 8 letters from an alphabet without vowels or look-alikes, stored without the dash.
    package var userCode: String
    package var clientId: String
    package var scopes: [String]
    package var status: Status
    package var sub: String?
    package var authTime: Int?
    /// Seconds the device must wait between polls; `slow_down` adds 5 (RFC 8628 §3.5).
    package var interval: Int
    package var lastPolledAt: Date?
    package var createdAt: Date
    package var expiresAt: Date

    package init(
        deviceCodeHash: String, userCode: String, clientId: String, scopes: [String], status: Status, sub: String?,
        authTime: Int?, interval: Int, lastPolledAt: Date?, createdAt: Date, expiresAt: Date
    ) {
        self.deviceCodeHash = deviceCodeHash
        self.userCode = userCode
        self.clientId = clientId
        self.scopes = scopes
        self.status = status
        self.sub = sub
        self.authTime = authTime
        self.interval = interval
        self.lastPolledAt = lastPolledAt
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What one poll of the token endpoint found.
package enum DevicePoll: Sendable, Equatable {
    case pending
    /// Polled sooner than the interval allows: the interval grows by 5 seconds.
    case slowDown
    /// Approved: the tokens are handed out now, once.
    case approved(DeviceAuthorization)
    case denied
    case expired
    /// Unknown, another client's, or already redeemed.
    case invalid
}

/// Device authorizations, shared by every instance: the device may poll one instance while the person approves on
/// another.
package protocol DeviceCodeRepository: Sendable {
    /// Stores a new authorization; false when its user code is taken (the caller draws another).
    func create(_ authorization: DeviceAuthorization) async throws -> Bool
    /// The live, pending authorization with this user code.
    func pending(userCode: String, now: Date) async throws -> DeviceAuthorization?
    /// Approves or denies a pending, live authorization; false when it is no longer pending.
    func decide(userCode: String, approve: Bool, sub: String, authTime: Int, now: Date) async throws -> Bool
    /// One poll, decided in one transaction: the interval check, the status, and redemption.
    func poll(deviceCodeHash: String, clientId: String, now: Date) async throws -> DevicePoll
    func purge(before date: Date) async throws
}
