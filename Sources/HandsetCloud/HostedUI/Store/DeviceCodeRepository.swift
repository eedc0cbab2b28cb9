import Foundation

/// A device authorization (RFC 8628): the device polls with the device code while the person approves the user
/// code on the verification page, signed in there.
struct DeviceAuthorization: Sendable, Equatable {
    enum Status: String, Sendable {
        case pending, approved, denied, redeemed
    }

    /// SHA-256 (hex) of the device code.
    var deviceCodeHash: String
    /// What the person types: 8 letters from an alphabet without vowels or look-alikes, stored without the dash.
    var userCode: String
    var clientId: String
    var scopes: [String]
    var status: Status
    var sub: String?
    var authTime: Int?
    /// Seconds the device must wait between polls; `slow_down` adds 5 (RFC 8628 §3.5).
    var interval: Int
    var lastPolledAt: Date?
    var createdAt: Date
    var expiresAt: Date
}

/// What one poll of the token endpoint found.
enum DevicePoll: Sendable, Equatable {
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
protocol DeviceCodeRepository: Sendable {
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
