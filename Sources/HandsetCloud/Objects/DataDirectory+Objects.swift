import Foundation

extension DataDirectory {
    /// Object storage settings (limits, lifecycle rule, restore delay).
    public var storageSettings: URL { root.appendingPathComponent("storage.json") }
    /// Object bytes (a `DirectoryBlobStore`), unless `serve --objects-dir` names a directory shared by instances.
    var objectsDirectory: URL { root.appendingPathComponent("objects", isDirectory: true) }
    var standardObjects: URL { objectsDirectory.appendingPathComponent("standard", isDirectory: true) }
    /// The HMAC key that signs storage URLs (0600).
    var objectSigningKey: URL { keysDirectory.appendingPathComponent("object-signing.key") }
}
