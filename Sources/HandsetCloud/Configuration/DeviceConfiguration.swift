/// Cognito's `DeviceConfigurationType`: how the pool treats the devices users sign in on.
public struct DeviceConfiguration: Codable, Sendable, Equatable {
    /// When true, a remembered device signs in with its own SRP proof (DEVICE_SRP_AUTH) instead of an MFA code.
    /// A device that is not remembered still gets the second factor.
    public var challengeRequiredOnNewDevice: Bool
    /// When true, `ConfirmDevice` answers `UserConfirmationNecessary` and the device is remembered only after the
    /// user says so (`UpdateDeviceStatus` with `remembered`); when false, confirming remembers it.
    public var deviceOnlyRememberedOnUserPrompt: Bool

    public init(challengeRequiredOnNewDevice: Bool = true, deviceOnlyRememberedOnUserPrompt: Bool = false) {
        self.challengeRequiredOnNewDevice = challengeRequiredOnNewDevice
        self.deviceOnlyRememberedOnUserPrompt = deviceOnlyRememberedOnUserPrompt
    }

    enum CodingKeys: String, CodingKey {
        case challengeRequiredOnNewDevice = "ChallengeRequiredOnNewDevice"
        case deviceOnlyRememberedOnUserPrompt = "DeviceOnlyRememberedOnUserPrompt"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        challengeRequiredOnNewDevice =
            try container.decodeIfPresent(Bool.self, forKey: .challengeRequiredOnNewDevice) ?? false
        deviceOnlyRememberedOnUserPrompt =
            try container.decodeIfPresent(Bool.self, forKey: .deviceOnlyRememberedOnUserPrompt) ?? false
    }
}
