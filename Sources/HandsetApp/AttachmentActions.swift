import Foundation
import HandsetModel
import HandsetRemote
import HandsetStore
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

    /// Signed URLs from the API, bytes streamed from and to files, the record's field written through the outbox.
    public static func live(
        scope: UserScope, now: @escaping @Sendable () -> Date, relay: EventRelay
    ) -> AttachmentActions {
        @Sendable func message(_ error: any Error) -> String {
            if let file = error as? FileTransferError { return file.description }
            let remote = RemoteError.from(error)
            if case .offline = remote { return "\(remote.message); attachments need the cloud, try again when online" }
            return remote.message
        }
        let progress: FileTransfer.Progress = { done, total in
            relay.send(.attachments(.progress(done: done, total: total)))
        }
        return AttachmentActions(
            upload: { collection, recordId, field, path in
                guard let data = scope.current else { return .attachments(.failed("Not signed in")) }
                let (api, store) = (data.api, data.store)
                let file = URL(fileURLWithPath: LocalFiles.expand(path))
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory),
                    !isDirectory.boolValue,
                    let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int
                else {
                    return .attachments(.failed("No file at \(path)"))
                }
                do {
                    let signed = try await api.presignUpload(
                        collection: collection, recordId: recordId, field: field, fileName: file.lastPathComponent,
                        contentType: LocalFiles.contentType(of: file), size: size)
                    try await FileTransfer.upload(file, to: signed, progress: progress)
                    // The key goes into the record like any edit: cache and outbox at once, synced later.
                    guard let record = try store.record(collection: collection, id: recordId) else {
                        return .attachments(.failed("Uploaded, but the record is gone from this device"))
                    }
                    var fields = record.fields
                    fields[field] = .string(signed.key)
                    try store.updateRecord(collection: collection, id: recordId, fields: fields, now: now())
                    return .attachments(
                        .uploaded(collection: collection, recordId: recordId, field: field, key: signed.key))
                } catch {
                    return .attachments(.failed("Upload failed: \(message(error))"))
                }
            },
            download: { key, path, overwrite in
                guard let api = scope.current?.api else { return .attachments(.failed("Not signed in")) }
                var destination = URL(fileURLWithPath: LocalFiles.expand(path))
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    destination.appendPathComponent(AppCore.fileName(ofKey: key))
                }
                do {
                    let signed = try await api.presignDownload(key: key)
                    try await FileTransfer.download(
                        from: signed, to: destination, overwrite: overwrite, progress: progress)
                    return .attachments(.downloaded(path: destination.path))
                } catch FileTransferError.exists(let path) {
                    return .attachments(.downloadWouldReplace(key: key, path: path))
                } catch {
                    return .attachments(.failed("Download failed: \(message(error))"))
                }
            },
            restore: { key in
                guard let api = scope.current?.api else { return .attachments(.failed("Not signed in")) }
                do {
                    return .attachments(.infoLoaded(try await api.restoreObject(key: key)))
                } catch RemoteError.http(409, _) {
                    return .attachments(.failed("That file is not in the archive; it can be downloaded now"))
                } catch {
                    return .attachments(.failed("Restore failed: \(message(error))"))
                }
            },
            info: { key in
                guard let api = scope.current?.api else { return .attachments(.failed(nil)) }
                do {
                    return .attachments(.infoLoaded(try await api.objectInfo(key: key)))
                } catch {
                    return .attachments(.failed(nil))
                }
            })
    }
}

/// Paths the person types, and what a file is.
public enum LocalFiles {
    /// `$HOME` as a shell reads it, else the account's home directory.
    public static var home: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// `~` and `~/...` as the home directory: `$HOME`, as a shell reads it.
    public static func expand(
        _ path: String, home: String = LocalFiles.home
    ) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    /// A MIME type from the file's extension (what S3 would be told).
    public static func contentType(of file: URL) -> String {
        switch file.pathExtension.lowercased() {
        case "txt", "log": return "text/plain"
        case "md", "markdown": return "text/markdown"
        case "csv": return "text/csv"
        case "html", "htm": return "text/html"
        case "json": return "application/json"
        case "pdf": return "application/pdf"
        case "zip": return "application/zip"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "heic": return "image/heic"
        case "mp4": return "video/mp4"
        case "mov": return "video/quicktime"
        default: return "application/octet-stream"
        }
    }
}
