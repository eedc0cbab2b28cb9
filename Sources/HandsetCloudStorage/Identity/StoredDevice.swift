import Foundation
import HandsetSRP

/// A device a user confirmed (Cognito's `ConfirmDevice`): its key, the group key its verifier was made with, and
/// the SRP verifier of the device's own random secret, which `DEVICE_PASSWORD_VERIFIER` is checked against.
package struct StoredDevice: Sendable, Equatable {
    /// `<region>_<uuid>`, as Cognito's device keys are.
    package var key: String
    package var sub: String
    /// The device group key (the SRP "pool name" of device sign-in).
    package var groupKey: String
    /// Salt and verifier of the device secret: v = g^x, x = H(salt | H(groupKey | key | ":" | secret)).
    package var verifier: SRPVerifier
    package var name: String?
    /// `remembered` or `not_remembered` (Cognito's `DeviceRememberedStatus`).
    package var remembered: Bool
    package var createdAt: Date
    package var lastModifiedAt: Date
    package var lastAuthenticatedAt: Date?

    package init(
        key: String, sub: String, groupKey: String, verifier: SRPVerifier, name: String?, remembered: Bool,
        createdAt: Date, lastModifiedAt: Date, lastAuthenticatedAt: Date? = nil
    ) {
        self.key = key
        self.sub = sub
        self.groupKey = groupKey
        self.verifier = verifier
        self.name = name
        self.remembered = remembered
        self.createdAt = createdAt
        self.lastModifiedAt = lastModifiedAt
        self.lastAuthenticatedAt = lastAuthenticatedAt
    }
}

/// Confirmed devices of the pool's users. Only confirmed devices are stored: a device key handed out at sign-in
/// (`NewDeviceMetadata`) lives in that sign-in's access token until the client confirms it, so sign-ins that never
/// confirm a device leave nothing behind.
package protocol DeviceRepository: Sendable {
    /// Stores a newly confirmed device; false when the key is taken already (by this user or another).
    func storeDevice(_ device: StoredDevice) async throws -> Bool
    func device(key: String) async throws -> StoredDevice?
    /// The user's devices in key order, after `afterKey` when paging.
    func devices(sub: String, after afterKey: String?, limit: Int) async throws -> [StoredDevice]
    /// Sets the remembered status of one of the user's devices; false when the user has no such device.
    func setDeviceRemembered(key: String, sub: String, remembered: Bool, at date: Date) async throws -> Bool
    /// Notes a successful device sign-in.
    func noteDeviceAuthenticated(key: String, at date: Date) async throws
    /// Forgets one of the user's devices; false when the user has no such device.
    func forgetDevice(key: String, sub: String) async throws -> Bool
}
