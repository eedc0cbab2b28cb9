import Foundation
import HandsetCloudStorage
import HandsetSRP
import HandsetWire

/// Remembered devices: `ConfirmDevice`, `GetDevice`, `ListDevices`, `UpdateDeviceStatus`, `ForgetDevice` (the
/// signed-in user's, by access token) and their Admin forms (any user of the pool, authorized as every Admin
/// operation is).
///
/// A device key is handed out at sign-in (`NewDeviceMetadata`) and named by that sign-in's access token
/// (`device_key`); `ConfirmDevice` takes it only with that token, so nobody can confirm a key that was not issued
/// to them, and stores the verifier of the device's secret for DEVICE_SRP_AUTH.
struct DeviceService: Sendable {
    let pool: UserPool

    var operations: [CognitoOperation] {
        [
            .json("ConfirmDevice", confirmDevice), .json("GetDevice", getDevice), .json("ListDevices", listDevices),
            .json("UpdateDeviceStatus", updateDeviceStatus), .json("ForgetDevice", forgetDevice),
        ]
    }

    var adminOperations: [CognitoOperation] {
        [
            admin("AdminGetDevice", getDevice), admin("AdminListDevices", listDevices),
            admin("AdminUpdateDeviceStatus", updateDeviceStatus), admin("AdminForgetDevice", forgetDevice),
        ]
    }

    private func admin<Output: Encodable & SendableMetatype>(
        _ name: String, _ body: @escaping @Sendable (DeviceRequestWire) async throws -> Output
    ) -> CognitoOperation {
        var operation = CognitoOperation.json(name) { (request: DeviceRequestWire) in
            guard request.accessToken == nil, request.userPoolId != nil, request.username != nil else {
                throw CognitoError.invalidParameter("UserPoolId and Username are required")
            }
            return try await body(request)
        }
        operation.isAdmin = true
        return operation
    }

    /// The largest verifier or salt accepted: the size of N (plus a `00` pad).
    static let maximumVerifierBytes = SRPGroup.cognito.byteCount + 1

    func confirmDevice(_ request: ConfirmDeviceRequestWire) async throws -> ConfirmDeviceResponseWire {
        let (user, verified) = try await pool.user(accessToken: request.accessToken)
        guard let settings = pool.configuration.deviceConfiguration else {
            throw CognitoError.invalidParameter("Device tracking is not enabled for this user pool")
        }
        guard AuthenticationService.isDeviceKey(request.deviceKey) else {
            throw CognitoError.invalidParameter("DeviceKey is not valid")
        }
        // Only the device this sign-in was handed: anything else was not issued to this token's holder.
        guard verified.deviceKey == request.deviceKey else { throw AuthenticationService.deviceNotFound }
        guard let config = request.deviceSecretVerifierConfig,
            let verifierText = config.passwordVerifier, let saltText = config.salt,
            let verifier = Data(base64Encoded: verifierText), let salt = Data(base64Encoded: saltText),
            (1...Self.maximumVerifierBytes).contains(verifier.count), (1...64).contains(salt.count),
            verifier.contains(where: { $0 != 0 })
        else {
            throw CognitoError.invalidParameter(
                "DeviceSecretVerifierConfig must carry the base64 PasswordVerifier and Salt of the device secret")
        }
        let name = request.deviceName.map { String($0.prefix(1024)) }
        let now = pool.now()
        let remembered = !settings.deviceOnlyRememberedOnUserPrompt
        let device = StoredDevice(
            key: request.deviceKey, sub: user.sub, groupKey: AuthenticationService.deviceGroupKey(sub: user.sub),
            verifier: SRPVerifier(salt: Array(salt), verifier: Array(verifier)), name: name, remembered: remembered,
            createdAt: now, lastModifiedAt: now, lastAuthenticatedAt: now)
        guard try await pool.store.storeDevice(device) else {
            throw CognitoError.invalidParameter("Device \(request.deviceKey) is confirmed already")
        }
        return ConfirmDeviceResponseWire(userConfirmationNecessary: settings.deviceOnlyRememberedOnUserPrompt)
    }

    func getDevice(_ request: DeviceRequestWire) async throws -> GetDeviceResponseWire {
        let user = try await owner(request)
        return GetDeviceResponseWire(device: Self.wire(try await device(request, of: user)))
    }

    func listDevices(_ request: DeviceRequestWire) async throws -> ListDevicesResponseWire {
        let user = try await owner(request)
        let limit = min(max(request.limit ?? 60, 1), 60)
        let after = try request.paginationToken.map { token -> String in
            guard let bytes = Base64URL.decode(token), let key = String(bytes: bytes, encoding: .utf8),
                AuthenticationService.isDeviceKey(key)
            else { throw CognitoError.invalidParameter("PaginationToken is not valid") }
            return key
        }
        let page = try await pool.store.devices(sub: user.sub, after: after, limit: limit + 1)
        let shown = Array(page.prefix(limit))
        return ListDevicesResponseWire(
            devices: shown.map(Self.wire),
            paginationToken: page.count > limit ? shown.last.map { Base64URL.encode(Array($0.key.utf8)) } : nil)
    }

    func updateDeviceStatus(_ request: DeviceRequestWire) async throws -> EmptyWire {
        let user = try await owner(request)
        let remembered: Bool
        switch request.deviceRememberedStatus {
        case "remembered": remembered = true
        case "not_remembered", nil: remembered = false
        default:
            throw CognitoError.invalidParameter("DeviceRememberedStatus must be remembered or not_remembered")
        }
        let device = try await device(request, of: user)
        guard
            try await pool.store.setDeviceRemembered(
                key: device.key, sub: user.sub, remembered: remembered, at: pool.now())
        else { throw AuthenticationService.deviceNotFound }
        return EmptyWire()
    }

    func forgetDevice(_ request: DeviceRequestWire) async throws -> EmptyWire {
        let user = try await owner(request)
        let device = try await device(request, of: user)
        guard try await pool.store.forgetDevice(key: device.key, sub: user.sub) else {
            throw AuthenticationService.deviceNotFound
        }
        return EmptyWire()
    }

    // MARK: Support

    /// The user whose devices a request is about: the access token's, or the Admin form's named user.
    private func owner(_ request: DeviceRequestWire) async throws -> PoolUser {
        if let accessToken = request.accessToken {
            return try await pool.user(accessToken: accessToken).0
        }
        guard let userPoolId = request.userPoolId, let username = request.username else {
            throw CognitoError.invalidParameter("AccessToken is required")
        }
        guard userPoolId == pool.configuration.userPoolId else {
            throw CognitoError.resourceNotFound("User pool \(AccountService.shown(userPoolId)) does not exist.")
        }
        guard let user = try await pool.user(named: username) else { throw CognitoError.userNotFound }
        return user
    }

    /// One of the user's devices; another user's device is as unknown as one that does not exist.
    private func device(_ request: DeviceRequestWire, of user: PoolUser) async throws -> StoredDevice {
        guard let key = request.deviceKey, AuthenticationService.isDeviceKey(key) else {
            throw CognitoError.invalidParameter("DeviceKey is required")
        }
        guard let device = try await pool.store.device(key: key), device.sub == user.sub else {
            throw AuthenticationService.deviceNotFound
        }
        return device
    }

    static func wire(_ device: StoredDevice) -> DeviceWire {
        var attributes = [
            AttributeWire(name: "device_status", value: "valid"),
            AttributeWire(
                name: "dev:device_remembered_status", value: device.remembered ? "remembered" : "not_remembered"),
        ]
        if let name = device.name { attributes.append(AttributeWire(name: "device_name", value: name)) }
        return DeviceWire(
            deviceKey: device.key, deviceAttributes: attributes,
            deviceCreateDate: device.createdAt.timeIntervalSince1970,
            deviceLastModifiedDate: device.lastModifiedAt.timeIntervalSince1970,
            deviceLastAuthenticatedDate: device.lastAuthenticatedAt?.timeIntervalSince1970)
    }
}
