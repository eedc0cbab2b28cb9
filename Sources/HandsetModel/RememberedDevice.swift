/// A device the pool remembers for one user (Cognito's device tracking): its key and group key, and the device's
/// own secret it proves itself with at sign-in (DEVICE_SRP_AUTH) instead of a second-factor code.
public struct RememberedDevice: Codable, Sendable, Equatable {
    public var deviceKey: String
    public var deviceGroupKey: String
    /// Never shown, logged or sent: only its SRP proof leaves the device.
    public var secret: String

    public init(deviceKey: String, deviceGroupKey: String, secret: String) {
        self.deviceKey = deviceKey
        self.deviceGroupKey = deviceGroupKey
        self.secret = secret
    }
}

extension RememberedDevice: CustomStringConvertible, CustomDebugStringConvertible {
    // The secret stays out of any printed value.
    public var description: String { "RememberedDevice(\(deviceKey))" }
    public var debugDescription: String { description }
}

/// Where a profile keeps its remembered devices, one per user (by username, as typed at sign-in, case-folded).
public protocol RememberedDeviceStore: Sendable {
    func device(for username: String) -> RememberedDevice?
    func remember(_ device: RememberedDevice, for username: String)
    func forget(for username: String)
}
