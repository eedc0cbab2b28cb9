import Foundation
import HandsetCloudStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keys as files of the data directory (0600): the current signing key in `keys/signing-key.pem`, retired ones in
/// `keys/retired/*.json`, secrets in `keys/<name>.key`. A data directory made before key rotation opens unchanged.
package struct FileKeyRepository: KeyRepository {
    package let directory: DataDirectory

    package init(directory: DataDirectory) {
        self.directory = directory
    }

    /// A retired key's file.
    private struct RetiredKey: Codable {
        var privateKey: String
        var createdAt: Date
        var retiredAt: Date
    }

    package func signingKeys(
        creatingWith generate: @escaping @Sendable () throws -> String
    ) async throws -> [StoredSigningKey] {
        let file = directory.signingKey
        let data: Data
        do {
            data = try ExclusiveFile.readOrCreate(file, permissions: 0o600) { Data(try generate().utf8) }
        } catch let error as CloudStartupError {
            throw error
        } catch {
            throw CloudStartupError.unwritableFile(path: file.path, reason: "\(error)")
        }
        let created = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
        let current = StoredSigningKey(
            privateKeyPEM: String(decoding: data, as: UTF8.self), createdAt: created ?? Date(), retiredAt: nil)
        return [current] + retiredKeys()
    }

    package func rotateSigningKey(to privateKeyPEM: String, at date: Date) async throws -> [StoredSigningKey] {
        try withKeysLock {
            let file = directory.signingKey
            let old = try String(contentsOf: file, encoding: .utf8)
            let created = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date)
            try makeRetiredDirectory()
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            let retired = RetiredKey(privateKey: old, createdAt: created ?? date, retiredAt: date)
            try AtomicFile.write(
                try encoder.encode(retired),
                to: directory.retiredSigningKeys.appendingPathComponent("\(UUID().uuidString.lowercased()).json"),
                permissions: 0o600)
            try AtomicFile.write(Data(privateKeyPEM.utf8), to: file, permissions: 0o600)
        }
        return try await signingKeys(creatingWith: { privateKeyPEM })
    }

    package func removeSigningKeys(retiredBefore date: Date) async throws -> Int {
        try withKeysLock {
            var removed = 0
            for (url, key) in retiredFiles() where key.retiredAt < date {
                if unlink(url.path) == 0 { removed += 1 }
            }
            return removed
        }
    }

    package func secret(
        named name: SecretName, creatingWith generate: @escaping @Sendable () -> [UInt8]
    ) async throws -> [UInt8] {
        let file = directory.keysDirectory.appendingPathComponent("\(name.rawValue).key")
        // A file of another length (truncated by hand) is replaced, as before keys moved behind this protocol.
        if let data = try? Data(contentsOf: file), data.count != 32 { unlink(file.path) }
        do {
            return [UInt8](try ExclusiveFile.readOrCreate(file, permissions: 0o600) { Data(generate()) })
        } catch {
            throw CloudStartupError.unwritableFile(path: file.path, reason: "\(error)")
        }
    }

    private func retiredKeys() -> [StoredSigningKey] {
        retiredFiles().map {
            StoredSigningKey(privateKeyPEM: $0.1.privateKey, createdAt: $0.1.createdAt, retiredAt: $0.1.retiredAt)
        }
        .sorted { ($0.retiredAt ?? .distantPast) > ($1.retiredAt ?? .distantPast) }
    }

    private func retiredFiles() -> [(URL, RetiredKey)] {
        let folder = directory.retiredSigningKeys
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.compactMap { name in
            let url = folder.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url), let key = try? decoder.decode(RetiredKey.self, from: data)
            else { return nil }
            return (url, key)
        }
    }

    private func makeRetiredDirectory() throws {
        let folder = directory.retiredSigningKeys
        if !FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Serialises rotations of this data directory across processes (`flock` on `keys/.lock`).
    private func withKeysLock<Value>(_ body: () throws -> Value) throws -> Value {
        let path = directory.keysDirectory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXFailure(operation: "open", path: path) }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw POSIXFailure(operation: "lock", path: path) }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
