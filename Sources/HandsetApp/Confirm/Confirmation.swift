/// A yes/no question before something that cannot be undone: `y` does it, any other key keeps things as they are.
public struct Confirmation: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case signOutEverywhere
        case turnOffAuthenticator
        /// Forget a remembered device: its next sign-in asks for the code again.
        case forgetDevice(key: String)
        /// Ask for a file to replace the attachment already in `collection/recordId.field`.
        case replaceAttachment(collection: String, recordId: String, field: String)
        /// Leave the app although a changed form or writes not yet sent would be left behind.
        case quit
    }

    public var question: String
    public var action: Action

    public init(_ question: String, _ action: Action) {
        self.question = question
        self.action = action
    }
}
