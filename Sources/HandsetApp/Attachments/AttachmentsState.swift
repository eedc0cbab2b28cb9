import HandsetWire

/// Uploads and downloads: the path being asked for, the file on its way, what is known of stored files.
public struct AttachmentsState: Sendable, Equatable {
    /// A question at the bottom of the screen (a file path), when open.
    public var prompt: PromptState?
    /// The file being uploaded or downloaded.
    public var transfer: TransferState?
    /// Size, type and tier of attachments seen on detail screens, by key.
    public var info: [String: ObjectInfo] = [:]
    /// Files typed into a form's attachment fields, uploaded once the record is saved (field → path).
    public var uploadsAfterSave: [String: String] = [:]
    /// Where downloads go unless the person types another path.
    public var downloadDirectory = "."

    public init() {}
}
