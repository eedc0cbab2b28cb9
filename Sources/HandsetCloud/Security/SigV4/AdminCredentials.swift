import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The access keys allowed to sign admin operations off loopback (`serve --admin-credentials FILE`), read from a
/// file in the AWS CLI's credentials format:
///
///     [default]
///     aws_access_key_id = AKIAHANDSETADMIN0001
///     aws_secret_access_key = …
///
/// Every profile (section) adds its key; other settings in a profile are ignored. The file holds secrets, so one
/// that other users may read is refused, as ssh refuses such a key.
public struct AdminCredentials: Sendable, Equatable {
    /// One access key and the profile it came from.
    public struct AccessKey: Sendable, Equatable {
        public var accessKeyId: String
        public var secretAccessKey: String
        /// A profile with `aws_session_token` signs only requests that carry that token (`X-Amz-Security-Token`).
        public var sessionToken: String?
        public var profile: String
    }

    public private(set) var keys: [String: AccessKey]

    public init(keys: [AccessKey]) {
        self.keys = Dictionary(keys.map { ($0.accessKeyId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads and parses a credentials file; the error says what is wrong and where, never a secret.
    public static func load(from file: URL) throws -> AdminCredentials {
        var status = stat()
        guard stat(file.path, &status) == 0 else {
            throw AdminCredentialsError(file: file.path, problem: "cannot be read: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o007 == 0 else {
            throw AdminCredentialsError(
                file: file.path, problem: "may be read by other users: `chmod 600 \(file.path)` first")
        }
        guard status.st_size <= 1_000_000, let data = FileManager.default.contents(atPath: file.path) else {
            throw AdminCredentialsError(file: file.path, problem: "cannot be read, or is over 1 MB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AdminCredentialsError(file: file.path, problem: "is not UTF-8 text")
        }
        do {
            return try parse(text)
        } catch {
            throw AdminCredentialsError(file: file.path, problem: "\(error)")
        }
    }

    /// Parses the INI text: `[profile]` headers, `name = value` lines, `#` and `;` comment lines, blank lines.
    static func parse(_ text: String) throws -> AdminCredentials {
        var profiles: [(name: String, line: Int, settings: [String: String])] = []
        // `\r\n` is one Character in Swift: split on every kind of line break, not on "\n" alone.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r\u{FEFF}")))
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw AdminCredentialsProblem(line: number, message: "a profile header must be [name]")
                }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                profiles.append((name, number, [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw AdminCredentialsProblem(line: number, message: "expected name = value")
            }
            guard !profiles.isEmpty else {
                throw AdminCredentialsProblem(line: number, message: "a setting before any [profile]")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            profiles[profiles.count - 1].settings[name] = value
        }
        var keys: [AccessKey] = []
        for profile in profiles {
            let id = profile.settings["aws_access_key_id"] ?? ""
            let secret = profile.settings["aws_secret_access_key"] ?? ""
            guard !id.isEmpty, !secret.isEmpty else {
                throw AdminCredentialsProblem(
                    line: profile.line,
                    message: "profile [\(profile.name)] needs aws_access_key_id and aws_secret_access_key")
            }
            guard AccessKeyID.isValid(id) else {
                throw AdminCredentialsProblem(
                    line: profile.line,
                    message: "profile [\(profile.name)]: an access key id is 16 to 128 letters and digits")
            }
            guard !keys.contains(where: { $0.accessKeyId == id }) else {
                throw AdminCredentialsProblem(
                    line: profile.line, message: "profile [\(profile.name)] repeats access key \(id)")
            }
            keys.append(
                AccessKey(
                    accessKeyId: id, secretAccessKey: secret,
                    sessionToken: profile.settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 },
                    profile: profile.name))
        }
        guard !keys.isEmpty else { throw AdminCredentialsProblem(line: nil, message: "no [profile] with a key") }
        return AdminCredentials(keys: keys)
    }
}

/// What an access key id may be: AWS's are 16 to 128 word characters (IAM's `AccessKeyId` pattern).
enum AccessKeyID {
    static func isValid(_ text: String) -> Bool {
        (16...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
            }
    }
}

/// A credentials file that cannot be used, with the file's path.
public struct AdminCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problem: String

    public var description: String { "--admin-credentials \(file) \(problem)" }
}

/// What is wrong in a credentials file's text (never quoting a value: it could be a secret).
struct AdminCredentialsProblem: Error, Sendable, Equatable, CustomStringConvertible {
    var line: Int?
    var message: String

    var description: String { line.map { "line \($0): \(message)" } ?? message }
}
