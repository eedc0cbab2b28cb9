/// Random identifiers and secrets from the system's cryptographic generator.
enum SecureRandom {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    private static let lowercaseAlphanumerics = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Mixed-case letters and digits, like the part of a Cognito user pool id after the region.
    static func alphanumeric(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphanumerics.randomElement(using: &generator)! })
    }

    /// Lowercase letters and digits, like a Cognito app client id.
    static func lowercaseAlphanumeric(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in lowercaseAlphanumerics.randomElement(using: &generator)! })
    }

    /// 32 random bytes in base64url, for a secret the client keeps and sends back (a challenge session, a refresh
    /// token). Never starting with `-`: command-line parsers (the AWS CLI's among them) read `--session -Yi0…` as an
    /// option, and one token in 64 would start so. Drawing again costs under 0.03 bits of the 256.
    static func opaqueToken() -> String {
        while true {
            let token = Base64URL.encode(bytes(32))
            if token.first != "-" { return token }
        }
    }
}
