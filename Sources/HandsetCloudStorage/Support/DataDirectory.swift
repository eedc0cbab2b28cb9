import Foundation

/// The files of one local cloud, all under one directory.
public struct DataDirectory: Sendable, Equatable {
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var database: URL { root.appendingPathComponent("handset-cloud.sqlite") }
    public var poolConfiguration: URL { root.appendingPathComponent("pool.json") }
    public var keysDirectory: URL { root.appendingPathComponent("keys", isDirectory: true) }
    public var signingKey: URL { keysDirectory.appendingPathComponent("signing-key.pem") }
    public var logsDirectory: URL { root.appendingPathComponent("logs", isDirectory: true) }
    public var requestLog: URL { logsDirectory.appendingPathComponent("requests.log") }
    public var amplifyOutputs: URL { root.appendingPathComponent("amplify_outputs.json") }
    /// Codes and temporary passwords "delivered" by email or SMS, one JSON object per line (0600).
    public var mailbox: URL { root.appendingPathComponent("mailbox.jsonl") }
    /// Object storage settings (limits, lifecycle rule, restore delay).
    public var storageSettings: URL { root.appendingPathComponent("storage.json") }
    /// Notification settings (retention, admin group, assignee field).
    public var notificationSettings: URL { root.appendingPathComponent("notifications.json") }
    /// The AES key that seals SRP's SECRET_BLOCK (0600).
    package var secretBlockKey: URL { keysDirectory.appendingPathComponent("srp-secret-block.key") }
    /// The HMAC key that signs storage URLs (0600).
    package var objectSigningKey: URL { keysDirectory.appendingPathComponent("object-signing.key") }
    /// Signing keys retired by `handset-cloud keys rotate`, kept until the tokens they signed have expired.
    package var retiredSigningKeys: URL { keysDirectory.appendingPathComponent("retired", isDirectory: true) }

    /// Creates the directory and its private subdirectories (0700) when missing.
    package static func prepare(at url: URL) throws -> DataDirectory {
        let directory = DataDirectory(root: url)
        let fileManager = FileManager.default
        do {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: directory.root.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw CloudStartupError.dataDirectoryUnavailable(path: directory.root.path, reason: "it is a file")
                }
            } else {
                try fileManager.createDirectory(
                    at: directory.root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            for privateDirectory in [directory.keysDirectory, directory.logsDirectory] {
                if !fileManager.fileExists(atPath: privateDirectory.path) {
                    try fileManager.createDirectory(
                        at: privateDirectory, withIntermediateDirectories: false,
                        attributes: [.posixPermissions: 0o700])
                }
                try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: privateDirectory.path)
            }
            // Data directories made before the rename keep their sent messages.
            let formerMailbox = directory.root.appendingPathComponent("outbox.jsonl")
            if fileManager.fileExists(atPath: formerMailbox.path),
                !fileManager.fileExists(atPath: directory.mailbox.path)
            {
                try fileManager.moveItem(at: formerMailbox, to: directory.mailbox)
            }
            guard fileManager.isWritableFile(atPath: directory.root.path) else {
                throw CloudStartupError.dataDirectoryUnavailable(
                    path: directory.root.path, reason: "it is not writable")
            }
        } catch let error as CloudStartupError {
            throw error
        } catch {
            throw CloudStartupError.dataDirectoryUnavailable(
                path: directory.root.path, reason: (error as NSError).localizedDescription)
        }
        return directory
    }
}
