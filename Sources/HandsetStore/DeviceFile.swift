import Foundation
import HandsetModel

/// A profile's remembered devices on disk: one 0600 JSON file (username -> device) in a 0700 directory. The
/// device secrets in it sign the user in without a second factor, so the file is as private as the token cache.
public struct DeviceFile: RememberedDeviceStore {
    public let file: URL

    public init(file: URL) {
        self.file = file
    }

    static func key(_ username: String) -> String { username.lowercased() }

    public func device(for username: String) -> RememberedDevice? {
        all()[Self.key(username)]
    }

    public func remember(_ device: RememberedDevice, for username: String) {
        var devices = all()
        devices[Self.key(username)] = device
        save(devices)
    }

    public func forget(for username: String) {
        var devices = all()
        guard devices.removeValue(forKey: Self.key(username)) != nil else { return }
        save(devices)
    }

    /// Every user's device (unreadable content counts as none: the user is asked for a code again).
    public func all() -> [String: RememberedDevice] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([String: RememberedDevice].self, from: data)) ?? [:]
    }

    private func save(_ devices: [String: RememberedDevice]) {
        if devices.isEmpty {
            try? FileManager.default.removeItem(at: file)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(devices) { try? SecureFiles.writePrivate(data, to: file) }
    }
}
