/// One of the signed-in person's remembered devices, as the account screen lists them.
public struct AccountDevice: Sendable, Equatable {
    public var key: String
    public var name: String?
    public var remembered: Bool
    /// The device this app runs on.
    public var isThisDevice: Bool

    public init(key: String, name: String?, remembered: Bool, isThisDevice: Bool) {
        self.key = key
        self.name = name
        self.remembered = remembered
        self.isThisDevice = isThisDevice
    }
}
