extension PasswordPolicy {
    /// Why `password` breaks the policy, in Cognito's words; `nil` when it complies.
    func violation(of password: String) -> String? {
        // Cognito's upper bound; checked on bytes first, so an oversized password costs nothing more.
        if password.utf8.count > 4 * Self.maximumLength || password.count > Self.maximumLength {
            return "Password is longer than \(Self.maximumLength) characters"
        }
        if password.count < minimumLength { return "Password not long enough" }
        if requireLowercase && !password.contains(where: { $0.isLowercase }) {
            return "Password must have lowercase characters"
        }
        if requireUppercase && !password.contains(where: { $0.isUppercase }) {
            return "Password must have uppercase characters"
        }
        if requireNumbers && !password.contains(where: { $0.isASCII && $0.isNumber }) {
            return "Password must have numeric characters"
        }
        if requireSymbols && !password.unicodeScalars.contains(where: { Self.symbols.contains($0) }) {
            return "Password must have symbol characters"
        }
        return nil
    }

    static let maximumLength = 256

    /// Cognito's list of special characters (plus the space).
    private static let symbols = Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ".unicodeScalars)
}
