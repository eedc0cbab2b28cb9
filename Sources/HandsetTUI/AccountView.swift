import HandsetApp
import HandsetModel

/// Who is signed in, where, and signing out.
public enum AccountView {
    public static func render(_ state: AppState, into grid: inout CellGrid) {
        grid.put("Account", x: 2, y: 2, role: .title)
        let rows: [(String, String)] = [
            ("User", state.user?.username ?? "—"), ("Email", state.user?.email ?? "—"), ("Profile", state.profile),
            ("API", state.schema?.title ?? "—"),
            ("Pending", "\(state.sync.pendingCount) write(s) waiting to sync"),
            ("MFA", mfaText(state.account.mfa)),
        ]
        for (index, row) in rows.enumerated() {
            grid.put(row.0, x: 2, y: 4 + index, role: .fieldLabel)
            grid.put(TextWidth.truncate(row.1, to: grid.width - 16), x: 14, y: 4 + index, role: .normal)
        }
        grid.put("Theme", x: 2, y: 4 + rows.count, role: .fieldLabel)
        var x = 14
        for name in state.themeNames where x < grid.width - 2 {
            let isCurrent = name == state.themeName
            x +=
                grid.put(
                    isCurrent ? "[\(name)]" : " \(name) ", x: x, y: 4 + rows.count, role: isCurrent ? .title : .dim) + 1
        }
        let top = 6 + rows.count
        let hasApp = state.account.mfa?.enabled.contains("SOFTWARE_TOKEN_MFA") == true
        let lines = [
            hasApp
                ? "m  set up the authenticator app again (a new key); x  turn it off"
                : "m  set up an authenticator app (TOTP)",
            "t  next theme (T: previous); kept for the next start",
            "o  sign out on this device (the offline cache stays)",
            "O  sign out everywhere (every device's refresh token is revoked)",
        ]
        for (index, line) in lines.enumerated() {
            grid.put(TextWidth.truncate(line, to: grid.width - 4), x: 2, y: top + index, role: .normal)
        }
        renderDevices(state.account, top: top + lines.count + 1, into: &grid)
    }

    /// The remembered devices (sign-ins on them skip the code), the selected one highlighted for `f`.
    static func renderDevices(_ account: AccountState, top: Int, into grid: inout CellGrid) {
        guard top < grid.height - 2 else { return }
        grid.put("Devices", x: 2, y: top, role: .fieldLabel)
        guard let devices = account.devices else {
            grid.put(account.devicesError ?? "…", x: 14, y: top, role: .dim)
            return
        }
        guard !devices.isEmpty else {
            grid.put("none remembered (a sign-in with a code remembers this one)", x: 14, y: top, role: .dim)
            return
        }
        grid.put("↑↓ choose, f forget (its next sign-in asks for the code)", x: 14, y: top, role: .dim)
        for (index, device) in devices.enumerated() where top + 1 + index < grid.height - 1 {
            let role: StyleRole = index == account.selectedDevice ? .selection : .normal
            let text =
                "\(device.name ?? "(no name)")  \(device.remembered ? "remembered" : "not remembered")"
                + (device.isThisDevice ? "  (this device)" : "") + "  \(device.key)"
            grid.fill(x: 14, y: top + 1 + index, width: grid.width - 16, height: 1, role: role)
            grid.put(TextWidth.truncate(text, to: grid.width - 16), x: 14, y: top + 1 + index, role: role)
        }
    }

    /// `authenticator app (preferred), email code`.
    static func mfaText(_ settings: MFASettings?) -> String {
        guard let settings else { return "…" }
        guard !settings.enabled.isEmpty else { return "off (no second factor)" }
        let names = ["SOFTWARE_TOKEN_MFA": "authenticator app", "EMAIL_OTP": "email code", "SMS_MFA": "text message"]
        return settings.enabled.map { factor in
            (names[factor] ?? factor) + (factor == settings.preferred ? " (preferred)" : "")
        }.joined(separator: ", ")
    }
}

/// The `?` overlay: the current screen's keys, filtered by what is typed.
public enum HelpView {
    public static func render(_ state: AppState, filter input: TextInput, into grid: inout CellGrid) {
        let filter = input.text
        let entries = KeyHelp.entries(for: state.screen, bindings: state.settings.keyBindings).filter {
            filter.isEmpty || $0.key.localizedCaseInsensitiveContains(filter)
                || $0.action.localizedCaseInsensitiveContains(filter)
        }
        // Wide enough for the longest action when the terminal allows (key column 16, margins 4).
        let longest = entries.map { TextWidth.width(of: $0.action) }.max() ?? 0
        let width = min(max(60, longest + 22), grid.width - 4)
        let height = min(entries.count + 4, grid.height - 2)
        let left = (grid.width - width) / 2
        let top = max((grid.height - height) / 2, 1)
        grid.fill(x: left, y: top, width: width, height: height, role: .statusBar)
        let label = grid.put(" Keys  /", x: left + 1, y: top, role: .statusOnline)
        InputView.render(
            filter, cursor: input.cursor, x: left + 1 + label, y: top, width: width - label - 2, role: .statusOnline,
            focused: true, into: &grid)
        for (index, entry) in entries.prefix(height - 3).enumerated() {
            grid.put(TextWidth.pad(entry.key, to: 16), x: left + 2, y: top + 2 + index, role: .statusOnline)
            grid.put(
                TextWidth.truncate(entry.action, to: width - 20), x: left + 19, y: top + 2 + index, role: .statusBar)
        }
        if entries.isEmpty { grid.put("no key matches", x: left + 2, y: top + 2, role: .statusBar) }
    }
}
