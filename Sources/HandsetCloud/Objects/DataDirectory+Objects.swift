import Foundation

extension DataDirectory {
    /// Object storage settings (limits, lifecycle rule, restore delay).
    public var storageSettings: URL { root.appendingPathComponent("storage.json") }
    /// Object bytes: `standard/` (the STANDARD tier), `archive/` (GLACIER) and `incoming/` (uploads in progress).
    var objectsDirectory: URL { root.appendingPathComponent("objects", isDirectory: true) }
    var standardObjects: URL { objectsDirectory.appendingPathComponent("standard", isDirectory: true) }
    var archivedObjects: URL { objectsDirectory.appendingPathComponent("archive", isDirectory: true) }
    var incomingObjects: URL { objectsDirectory.appendingPathComponent("incoming", isDirectory: true) }
    /// The HMAC key that signs storage URLs (0600).
    var objectSigningKey: URL { keysDirectory.appendingPathComponent("object-signing.key") }
}
