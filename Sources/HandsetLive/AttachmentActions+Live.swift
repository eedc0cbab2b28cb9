import Foundation
import HandsetApp
import HandsetModel
import HandsetRemote
import HandsetStore

extension AttachmentActions {
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
