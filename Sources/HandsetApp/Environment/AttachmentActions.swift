import Foundation
import HandsetModel
import HandsetWire

/// The attachment calls of the detail screen and the form.
public struct AttachmentActions: Sendable {
    public var upload:
        @Sendable (_ collection: String, _ recordId: String, _ field: String, _ path: String) async -> AppEvent
    public var download: @Sendable (_ key: String, _ path: String, _ overwrite: Bool) async -> AppEvent
    public var restore: @Sendable (_ key: String) async -> AppEvent
    public var info: @Sendable (_ key: String) async -> AppEvent

    public init(
        upload: @escaping @Sendable (String, String, String, String) async -> AppEvent = { _, _, _, _ in
            .attachments(.failed("Not available"))
        },
        download: @escaping @Sendable (String, String, Bool) async -> AppEvent = { _, _, _ in
            .attachments(.failed("Not available"))
        },
        restore: @escaping @Sendable (String) async -> AppEvent = { _ in .attachments(.failed("Not available")) },
        info: @escaping @Sendable (String) async -> AppEvent = { _ in .attachments(.failed(nil)) }
    ) {
        self.upload = upload
        self.download = download
        self.restore = restore
        self.info = info
    }
}
