import Foundation

/// Where Handset keeps its files, following the XDG base directory spec.
///
/// - config (`$XDG_CONFIG_HOME/handset`): saved profiles (Amplify outputs), settings, user themes.
/// - state (`$XDG_STATE_HOME/handset`): the token cache, 0600 files in 0700 directories.
/// - data (`$XDG_DATA_HOME/handset`): the offline caches, one SQLite file per user (Cognito `sub`) of a profile.
public struct HandsetPaths: Sendable, Equatable {
    public var config: URL
    public var state: URL
    public var data: URL

    public init(config: URL, state: URL, data: URL) {
        self.config = config
        self.state = state
        self.data = data
    }

    /// The directories for this environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        func base(_ variable: String, _ fallback: String) -> URL {
            if let value = environment[variable], value.hasPrefix("/") {
                return URL(fileURLWithPath: value, isDirectory: true)
            }
            return home.appendingPathComponent(fallback, isDirectory: true)
        }
        self.init(
            config: base("XDG_CONFIG_HOME", ".config").appendingPathComponent("handset", isDirectory: true),
            state: base("XDG_STATE_HOME", ".local/state").appendingPathComponent("handset", isDirectory: true),
            data: base("XDG_DATA_HOME", ".local/share").appendingPathComponent("handset", isDirectory: true))
    }

    public func profileFile(_ profile: String) -> URL {
        config.appendingPathComponent("profiles", isDirectory: true).appendingPathComponent("\(profile).json")
    }

    public func tokenFile(_ profile: String) -> URL {
        state.appendingPathComponent("sessions", isDirectory: true).appendingPathComponent("\(profile).json")
    }

    /// The profile's remembered devices (their secrets sign in without a second factor).
    public func deviceFile(_ profile: String) -> URL {
        state.appendingPathComponent("devices", isDirectory: true).appendingPathComponent("\(profile).json")
    }

    /// The profile's folder of offline caches.
    public func profileData(_ profile: String) -> URL {
        data.appendingPathComponent(profile, isDirectory: true)
    }

    /// One user's offline cache (records, outbox, conflicts, inbox, cursors) within a profile.
    public func cacheDatabase(_ profile: String, user sub: String) -> URL {
        profileData(profile).appendingPathComponent("users", isDirectory: true)
            .appendingPathComponent(Self.folderName(forUser: sub), isDirectory: true)
            .appendingPathComponent("cache.sqlite")
    }

    /// Where versions before per-user caches kept the profile's one cache.
    public func sharedCacheDatabase(_ profile: String) -> URL {
        profileData(profile).appendingPathComponent("cache.sqlite")
    }

    /// A cache from before per-user caches whose user is not known yet, kept aside until that user signs in.
    public func unclaimedCacheDatabase(_ profile: String) -> URL {
        profileData(profile).appendingPathComponent("unclaimed", isDirectory: true).appendingPathComponent(
            "cache.sqlite")
    }

    /// A user's `sub` as a folder name: as it is when it is a plain identifier (Cognito's are UUIDs), else its UTF-8
    /// bytes in hex, so no `sub` can name a path outside the profile's folder.
    static func folderName(forUser sub: String) -> String {
        let plain = sub.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_")
        }
        if plain, !sub.isEmpty, sub.count <= 128 { return sub }
        return "x" + sub.utf8.prefix(96).map { String(format: "%02x", $0) }.joined()
    }
}

/// Creating directories and writing files with the permissions secrets need.
public enum SecureFiles {
    /// Creates `directory` (and parents) with mode 0700, tightening it if it already exists.
    public static func ensurePrivateDirectory(_ directory: URL) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
    }

    /// Writes `data` atomically to `file` with mode 0600 in a 0700 directory. The temporary file is created 0600,
    /// so the bytes are never readable by others, not even for a moment.
    public static func writePrivate(_ data: Data, to file: URL) throws {
        let directory = file.deletingLastPathComponent()
        try ensurePrivateDirectory(directory)
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, file.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}
