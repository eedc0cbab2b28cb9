import Foundation

/// Questions before what cannot be undone: signing out everywhere, turning MFA off, replacing an attachment,
/// quitting with a changed form or writes not yet sent.
enum ConfirmationReducer {
    static func handle(_ key: Key, in state: inout AppState) -> [AppEffect] {
        guard let confirmation = state.confirmation else { return [] }
        state.confirmation = nil
        // Ctrl-C on the question to quit is a second Ctrl-C: it quits.
        let quitAgain = confirmation.action == .quit && (key == .control("c") || key == .control("q"))
        guard key == .character("y") || key == .character("Y") || quitAgain else {
            state.message = StatusMessage("Nothing changed")
            return []
        }
        switch confirmation.action {
        case .signOutEverywhere:
            return [.signOut(everywhere: true)]
        case .turnOffAuthenticator:
            return [.disableTOTP]
        case .forgetDevice(let key):
            state.message = StatusMessage("Forgetting the device…")
            return [.forgetDevice(key: key)]
        case .replaceAttachment(let collection, let recordId, let field):
            state.attachments.prompt = PromptState(
                purpose: .upload(collection: collection, recordId: recordId, field: field))
            return []
        case .quit:
            state.shouldQuit = true
            return []
        }
    }

    /// Quits, or asks first when a changed form or writes not yet sent would be left behind.
    static func quit(in state: inout AppState) {
        var reasons: [String] = []
        if case .edit(let form) = state.screen, form.isDirty {
            reasons.append("The changes in this form are lost.")
        }
        let pending = state.sync.pendingCount
        if pending > 0, state.user != nil {
            let changes = pending == 1 ? "1 change has" : "\(pending) changes have"
            reasons.append("\(changes) not reached the cloud yet; kept on this device, sent when you are back.")
        }
        guard !reasons.isEmpty else {
            state.shouldQuit = true
            return
        }
        state.confirmation = Confirmation(
            (reasons + ["Quit? y quits, any other key stays"]).joined(separator: " "), .quit)
    }
}
