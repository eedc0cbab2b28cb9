import HandsetModel

extension AppState {
    /// This state with nothing of its user's data left: no records, schema, inbox, conflicts, counts, messages or
    /// half-done transfers. What belongs to the device stays (settings, theme, terminal size, download folder).
    /// Used when the person signs out and when someone else signs in, so nothing of one user is shown to the next.
    func forgettingUserData() -> AppState {
        var fresh = AppState(profile: profile, viewportRows: viewportRows)
        fresh.settings = settings
        fresh.themeName = themeName
        fresh.themeNames = themeNames
        fresh.now = now
        fresh.attachments.downloadDirectory = attachments.downloadDirectory
        fresh.sync.connectivity = sync.connectivity
        // The profile's ways to sign in belong to the app, not to the person who was signed in.
        fresh.signInOptions = signInOptions
        fresh.offersSignInWithCode = offersSignInWithCode
        fresh.allowsSignUpWithoutPassword = allowsSignUpWithoutPassword
        return fresh
    }
}
