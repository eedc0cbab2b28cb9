/// Cognito's `DeviceSecretVerifierConfigType`: the device secret's SRP verifier and salt, base64.
struct DeviceSecretVerifierConfigWire: Codable, Sendable {
    var passwordVerifier: String?
    var salt: String?

    enum CodingKeys: String, CodingKey {
        case passwordVerifier = "PasswordVerifier"
        case salt = "Salt"
    }
}

struct ConfirmDeviceRequestWire: Codable, Sendable {
    var accessToken: String
    var deviceKey: String
    var deviceSecretVerifierConfig: DeviceSecretVerifierConfigWire?
    var deviceName: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case deviceKey = "DeviceKey"
        case deviceSecretVerifierConfig = "DeviceSecretVerifierConfig"
        case deviceName = "DeviceName"
    }
}

struct ConfirmDeviceResponseWire: Codable, Sendable {
    var userConfirmationNecessary: Bool

    enum CodingKeys: String, CodingKey {
        case userConfirmationNecessary = "UserConfirmationNecessary"
    }
}

/// The device operations' request: the signed-in user's (AccessToken) or, for the Admin forms, a user of the pool
/// (UserPoolId, Username).
struct DeviceRequestWire: Codable, Sendable {
    var accessToken: String?
    var userPoolId: String?
    var username: String?
    var deviceKey: String?
    var deviceRememberedStatus: String?
    var limit: Int?
    var paginationToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "AccessToken"
        case userPoolId = "UserPoolId"
        case username = "Username"
        case deviceKey = "DeviceKey"
        case deviceRememberedStatus = "DeviceRememberedStatus"
        case limit = "Limit"
        case paginationToken = "PaginationToken"
    }
}

/// Cognito's `DeviceType`.
struct DeviceWire: Codable, Sendable, Equatable {
    var deviceKey: String
    var deviceAttributes: [AttributeWire]
    var deviceCreateDate: Double
    var deviceLastModifiedDate: Double
    var deviceLastAuthenticatedDate: Double?

    enum CodingKeys: String, CodingKey {
        case deviceKey = "DeviceKey"
        case deviceAttributes = "DeviceAttributes"
        case deviceCreateDate = "DeviceCreateDate"
        case deviceLastModifiedDate = "DeviceLastModifiedDate"
        case deviceLastAuthenticatedDate = "DeviceLastAuthenticatedDate"
    }
}

struct GetDeviceResponseWire: Codable, Sendable {
    var device: DeviceWire

    enum CodingKeys: String, CodingKey {
        case device = "Device"
    }
}

struct ListDevicesResponseWire: Codable, Sendable {
    var devices: [DeviceWire]
    var paginationToken: String?

    enum CodingKeys: String, CodingKey {
        case devices = "Devices"
        case paginationToken = "PaginationToken"
    }
}
