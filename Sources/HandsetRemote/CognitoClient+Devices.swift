import Foundation
import HandsetModel
import HandsetWire

/// One of the user's devices, as `ListDevices` shows it.
public struct UserDevice: Sendable, Equatable {
    public var key: String
    public var name: String?
    public var remembered: Bool
    public var lastAuthenticated: Date?

    public init(key: String, name: String?, remembered: Bool, lastAuthenticated: Date?) {
        self.key = key
        self.name = name
        self.remembered = remembered
        self.lastAuthenticated = lastAuthenticated
    }
}

/// The signed-in user's remembered devices.
extension CognitoClient {
    /// Every device of the user (following pagination).
    public func listDevices(accessToken: String) async throws -> [UserDevice] {
        var devices: [UserDevice] = []
        var token: String?
        repeat {
            var body: [String: JSONValue] = ["AccessToken": .string(accessToken), "Limit": 60]
            if let token { body["PaginationToken"] = .string(token) }
            let answer = try await call("ListDevices", body: .object(body))
            for device in answer["Devices"]?.arrayValue ?? [] {
                guard let key = device["DeviceKey"]?.stringValue else { continue }
                var attributes: [String: String] = [:]
                for attribute in device["DeviceAttributes"]?.arrayValue ?? [] {
                    if let name = attribute["Name"]?.stringValue, let value = attribute["Value"]?.stringValue {
                        attributes[name] = value
                    }
                }
                devices.append(
                    UserDevice(
                        key: key, name: attributes["device_name"],
                        remembered: attributes["dev:device_remembered_status"] == "remembered",
                        lastAuthenticated: device["DeviceLastAuthenticatedDate"]?.doubleValue.map {
                            Date(timeIntervalSince1970: $0)
                        }))
            }
            token = answer["PaginationToken"]?.stringValue
        } while token != nil && devices.count < 10_000
        return devices
    }

    public func forgetDevice(accessToken: String, deviceKey: String) async throws {
        _ = try await call(
            "ForgetDevice", body: ["AccessToken": .string(accessToken), "DeviceKey": .string(deviceKey)])
    }
}
