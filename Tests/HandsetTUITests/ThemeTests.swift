import Foundation
import HandsetApp
import HandsetModel
import HandsetWire
import Testing

@testable import HandsetTUI

@Suite struct ThemeFileTests {
    static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes")

    @Test(arguments: Theme.builtIn)
    func shippedFilesEqualTheBuiltInThemes(_ builtIn: Theme) throws {
        let file = Self.themesDirectory.appendingPathComponent("\(builtIn.name).toml")
        let parsed = try Theme.parse(toml: try String(contentsOf: file, encoding: .utf8), resolve: { _ in nil })
        #expect(parsed.name == builtIn.name)
        for role in StyleRole.allCases {
            #expect(parsed.style(for: role) == builtIn.style(for: role), "\(builtIn.name).\(role.rawValue)")
        }
    }

    @Test func everyShippedThemeKeepsTheSelectionVisibleWithoutColour() {
        for theme in Theme.builtIn {
            let selection = theme.style(for: .selection)
            let normal = theme.style(for: .normal)
            // Reverse video, or bold plus swapped light/dark: something other than hue alone.
            #expect(selection.reverse || (selection.bold && selection.background != normal.background), "\(theme.name)")
        }
    }

    @Test func aThemeInheritsAndOverridesOnlyWhatItLists() throws {
        let text = """
            name = "dusk"
            inherits = "dark"
            [roles]
            selection = { fg = "#1e1e2e", bg = "213" }
            error = { attrs = ["underline"] }
            """
        let dusk = try Theme.parse(toml: text, resolve: { $0 == "dark" ? .dark : nil })
        #expect(dusk.name == "dusk")
        // fg and bg changed; the reverse attribute of dark's selection stays.
        #expect(dusk.style(for: .selection) == RoleStyle(.rgb(0x1E, 0x1E, 0x2E), .indexed(213), reverse: true))
        // attrs replace the inherited attributes; the colour stays.
        #expect(dusk.style(for: .error) == RoleStyle(.red, underline: true))
        #expect(dusk.style(for: .statusBar) == Theme.dark.style(for: .statusBar))
    }

    @Test func mistakesAreNamed() {
        func problem(_ text: String) -> String {
            do {
                _ = try Theme.parse(toml: text, resolve: { _ in nil })
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("[roles]\nerror = { fg = \"red\" }").contains("name"))
        #expect(problem("name = \"x\"\n[roles]\nerorr = { fg = \"red\" }").contains("roles.erorr: no such role"))
        #expect(problem("name = \"x\"\n[roles]\nerror = { fg = \"reddish\" }").contains("roles.error.fg: not a colour"))
        #expect(
            problem("name = \"x\"\n[roles]\nerror = { attrs = [\"blink\"] }").contains(
                "not bold, dim, underline or reverse"))
        #expect(problem("name = \"x\"\ninherits = \"nope\"").contains("inherits"))
        #expect(problem("name = \"x\"\n[roles\n").contains("line"))
    }

    @Test func colourNames() {
        #expect(TerminalColor(spec: "default") == .terminalDefault)
        #expect(TerminalColor(spec: "cyan") == .cyan)
        #expect(TerminalColor(spec: "bright-red") == .indexed(9))
        #expect(TerminalColor(spec: "255") == .indexed(255))
        #expect(TerminalColor(spec: "256") == nil)
        #expect(TerminalColor(spec: "#FF8000") == .rgb(255, 128, 0))
        #expect(TerminalColor(spec: "#ff80") == nil)
    }

    @Test func userThemesLoadFromTheirDirectoryAndBadOnesAreReported() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name = \"ocean\"\ninherits = \"light\"\n[roles]\ntitle = { fg = \"#0077be\" }\n"
            .write(to: directory.appendingPathComponent("ocean.toml"), atomically: true, encoding: .utf8)
        try "name = \"broken\"\n[roles]\ntitle = { fg = 3.5 }\n"
            .write(to: directory.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        var catalog = ThemeCatalog()
        catalog.load(directory: directory)
        #expect(catalog.names == ["dark", "light", "high-contrast", "monochrome", "ocean"])
        #expect(catalog.theme(named: "ocean")?.style(for: .title).foreground == .rgb(0, 0x77, 0xBE))
        #expect(catalog.theme(named: "ocean")?.style(for: .statusBar) == Theme.light.style(for: .statusBar))
        #expect(catalog.problems.count == 1)
        #expect(catalog.problems.first?.contains("broken.toml") == true)

        // Naming a theme that is not there (a typo, or a file with a bad colour) stops with the key, never falls back.
        var settings = Settings()
        settings.theme = "ocean"
        #expect(catalog.problem(withSettingsTheme: settings, environment: [:]) == nil)
        settings.theme = "oceam"
        #expect(
            catalog.problem(withSettingsTheme: settings, environment: [:])
                == "config.toml: theme: no theme named \"oceam\" (themes: dark, light, high-contrast, monochrome, ocean)"
        )
        settings.theme = "broken"
        let broken = catalog.problem(withSettingsTheme: settings, environment: ["HANDSET_THEME": "broken"])
        #expect(broken?.hasPrefix("HANDSET_THEME: theme broken.toml: ") == true)
        #expect(broken?.contains("title") == true, "the key of the bad colour is named: \(broken ?? "")")
    }

    @Test func startupThemeFollowsNoColorThenTheEnvironmentThenTheSavedChoiceThenSettings() {
        let catalog = ThemeCatalog()
        var settings = Settings()
        settings.theme = "light"
        #expect(catalog.startupThemeName(settings: settings, saved: nil, environment: [:]) == "light")
        #expect(
            catalog.startupThemeName(settings: settings, saved: "high-contrast", environment: [:]) == "high-contrast")
        #expect(catalog.startupThemeName(settings: settings, saved: "gone", environment: [:]) == "light")
        #expect(
            catalog.startupThemeName(
                settings: settings, saved: "high-contrast", environment: ["HANDSET_THEME": "light"])
                == "light")
        #expect(
            catalog.startupThemeName(settings: settings, saved: nil, environment: ["NO_COLOR": "1"]) == "monochrome")
        #expect(catalog.startupThemeName(settings: Settings(), saved: nil, environment: [:]) == "dark")
    }
}

@Suite struct ColorDepthTests {
    @Test func depthFromTheTerminal() {
        #expect(ColorDepth(colors: 8, hasColors: true) == .basic8)
        #expect(ColorDepth(colors: 256, hasColors: true) == .indexed256)
        #expect(ColorDepth(colors: 1 << 24, hasColors: true) == .direct)
        #expect(ColorDepth(colors: 256, hasColors: false) == .none)
    }

    @Test func coloursBecomeTheNearestTheTerminalHas() {
        // 24-bit to the 256 palette: the cube and the grey ramp.
        #expect(ColorDepth.indexed256.resolve(.rgb(255, 0, 0)) == .indexed(196))
        #expect(ColorDepth.indexed256.resolve(.rgb(0, 0, 0)) == .indexed(16))
        #expect(ColorDepth.indexed256.resolve(.rgb(128, 128, 128)) == .indexed(244))
        #expect(ColorDepth.indexed256.resolve(.indexed(130)) == .indexed(130))
        // To 8 colours.
        #expect(ColorDepth.basic8.resolve(.rgb(250, 250, 0)) == .yellow)
        #expect(ColorDepth.basic8.resolve(.indexed(22)) == .green)
        #expect(ColorDepth.basic8.resolve(.indexed(252)) == .white)
        #expect(ColorDepth.basic8.resolve(.cyan) == .cyan)
        // No colour at all: the terminal's own.
        #expect(ColorDepth.none.resolve(.red) == .terminalDefault)
        // Direct colour: RGB numbers, 256-colour indexes as their RGB.
        #expect(ColorDepth.direct.number(.rgb(0x12, 0x34, 0x56)) == 0x123456)
        #expect(ColorDepth.direct.number(.indexed(196)) == 0xFF0000)
        #expect(ColorDepth.indexed256.number(.terminalDefault) == -1)
    }
}

@Suite struct TerminalAlertTests {
    @Test func bellAndBothDesktopSequences() {
        let both = TerminalAlert.sequence(
            title: "Ana assigned you a task", body: "Due Friday", bell: true, desktop: true)
        #expect(
            both
                == "\u{1B}]9;Ana assigned you a task: Due Friday\u{07}\u{1B}]777;notify;Ana assigned you a task;Due Friday\u{07}\u{07}"
        )
        #expect(TerminalAlert.sequence(title: "x", body: "", bell: true, desktop: false) == "\u{07}")
        #expect(TerminalAlert.sequence(title: "x", body: "y", bell: false, desktop: false) == "")
    }

    @Test func aNotificationCannotInjectEscapeSequences() {
        let sequence = TerminalAlert.sequence(
            title: "evil\u{1B}]52;c;cm0gLXJmIH4=\u{07}", body: "a;b\nc", bell: false, desktop: true)
        // Only the sequences' own ESC and BEL remain; the title's are gone, and `;` cannot add OSC 777 fields.
        #expect(sequence.filter { $0 == "\u{1B}" }.count == 2)
        #expect(sequence.filter { $0 == "\u{07}" }.count == 2)
        #expect(sequence.contains("777;notify;evil ]52,c,cm0gLXJmIH4= ;a,b c\u{07}"))
    }
}

@Suite struct PaletteAndPointerTests {
    @Test func thePaletteDrawsOverTheListAndFilters() {
        var state = ScreenSnapshotTests.listState()
        state.themeNames = ["dark", "light"]
        state.palette = PaletteState(text: "the", selected: 0)
        let grid = Renderer.render(
            state, width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        assertSnapshot(grid, named: "palette")
        #expect(grid.text.contains("Theme: light"))
        #expect(!grid.text.contains("Sync now"))
    }

    @Test func accountScreenShowsThemes() {
        var state = ScreenSnapshotTests.listState()
        state.themeNames = ["dark", "light", "high-contrast", "monochrome"]
        state.themeName = "light"
        state.screen = .account
        state.account.devices = [
            AccountDevice(key: "us-east-1_0a1b", name: "handset", remembered: true, isThisDevice: true),
            AccountDevice(key: "us-east-1_9f8e", name: "phone", remembered: false, isThisDevice: false),
        ]
        state.account.selectedDevice = 1
        let grid = Renderer.render(
            state, width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        assertSnapshot(grid, named: "account")
        #expect(grid.text.contains("[light]"))
        #expect(grid.text.contains("handset  remembered  (this device)"))
    }

    @Test func hitTestFindsRowsTabsAndPaletteLines() {
        var state = ScreenSnapshotTests.listState()
        // Body rows start under the header, the tabs and the column headers.
        #expect(Renderer.hitTest(state, x: 10, y: 3, width: 80, height: 24) == .listRow(0))
        #expect(Renderer.hitTest(state, x: 10, y: 5, width: 80, height: 24) == .listRow(2))
        #expect(Renderer.hitTest(state, x: 10, y: 12, width: 80, height: 24) == nil, "below the last record")
        #expect(Renderer.hitTest(state, x: 2, y: 1, width: 80, height: 24) == .tab("tasks"))
        #expect(Renderer.hitTest(state, x: 10, y: 1, width: 80, height: 24) == .tab("projects"))
        #expect(Renderer.hitTest(state, x: 40, y: 1, width: 80, height: 24) == nil)
        state.palette = PaletteState()
        let frame = PaletteView.frame(width: 80, height: 24)
        #expect(Renderer.hitTest(state, x: frame.left + 3, y: frame.top + 3, width: 80, height: 24) == .paletteRow(1))
    }
}

@Suite struct AccountScreenSnapshotTests {
    @Test func signUpAndResetScreens() {
        var state = AppState(profile: "default")
        var form = SignInState(username: "newbie")
        form.start(.signUp)
        form.email = "newbie@example.com"
        form.password = "secret-pw"
        state.screen = .signIn(form)
        let signUp = Renderer.render(state, width: 80, height: 24)
        assertSnapshot(signUp, named: "sign-up")
        #expect(!signUp.text.contains("secret-pw"))
        form.codeSent(to: "n***@e***.com")
        state.screen = .signIn(form)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "sign-up-confirm")
        var reset = SignInState(username: "alice")
        reset.start(.forgotPassword)
        reset.codeSent(to: nil)
        reset.answer = "1234"
        state.screen = .signIn(reset)
        assertSnapshot(Renderer.render(state, width: 80, height: 24), named: "reset-password")
    }
}

@Suite struct TransferViewTests {
    @Test func progressBarsUseEighthBlocks() {
        #expect(TransferView.bar(0, width: 7) == "[     ]")
        #expect(TransferView.bar(1, width: 7) == "[█████]")
        #expect(TransferView.bar(0.5, width: 7) == "[██▌  ]")
        #expect(TransferView.bar(nil, width: 5) == "[···]")
        #expect(TransferView.bytes(999) == "999 B")
        #expect(TransferView.bytes(1_500_000) == "1.5 MB")
        #expect(TransferView.bytes(250_000_000) == "250 MB")
    }

    @Test func detailWithAnArchivedAttachmentAndAnUploadInProgress() {
        var state = ScreenSnapshotTests.listState()
        var schema = ScreenSnapshotTests.schema
        schema.collections[0].fields.append(FieldSchema(name: "attachment", kind: .objectKey))
        state.schema = schema
        let key = "tasks/t1/attachment/abc/design.pdf"
        state.list?.window[1].fields["attachment"] = .string(key)
        state.attachments.info[key] = ObjectInfo(
            key: key, size: 2_400_000, contentType: "application/pdf", tier: .archive, restore: .inProgress,
            createdAt: "")
        state.screen = .detail(recordId: "t1")
        state.attachments.transfer = TransferState(title: "Uploading notes.txt", done: 3_000_000, total: 8_000_000)
        let grid = Renderer.render(
            state, width: 80, height: 24, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        assertSnapshot(grid, named: "detail-attachment")
        #expect(grid.text.contains("design.pdf · 2.4 MB · application/pdf · archived (restoring…)"))
        #expect(grid.text.contains("37%"))
    }
}

@Suite struct SidebarTests {
    @Test func wideTerminalsListTheCollectionsBesideTheTable() {
        var state = ScreenSnapshotTests.listState()
        state.sorts["tasks"] = RecordSort(field: "priority", descending: true)
        let grid = Renderer.render(
            state, width: 130, height: 16, timeZone: TimeZone(identifier: "UTC")!, now: ScreenSnapshotTests.now)
        assertSnapshot(grid, named: "record-list-wide")
        #expect(grid.text.contains("›tasks"))
        #expect(grid.text.contains("Prior… ▼"), "the sort arrow shows even in a narrow column")
        // A click in the sidebar switches collection; on the table it picks the row.
        #expect(Renderer.hitTest(state, x: 3, y: 4, width: 130, height: 16) == .tab("projects"))
        #expect(Renderer.hitTest(state, x: 40, y: 4, width: 130, height: 16) == .listRow(1))
        // Narrower terminals keep the tabs only.
        #expect(!Renderer.render(state, width: 100, height: 16).text.contains("Collections"))
    }
}
