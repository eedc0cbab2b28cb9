import Foundation
import HandsetWire

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Attachments: signed URLs from the API, then the bytes straight to or from storage (S3 or the local cloud),
/// streamed from and to files with progress, never held in memory whole.
extension APIClient {
    /// A signed `PUT` URL for a file that will belong to `collection/recordId.field`.
    public func presignUpload(
        collection: String, recordId: String, field: String, fileName: String, contentType: String, size: Int
    ) async throws -> PresignedURL {
        let request = PresignRequest(
            operation: .upload, collection: collection, recordId: recordId, field: field, fileName: fileName,
            contentType: contentType, size: size)
        return try await objectCall(
            "POST", ObjectRoute.presign, body: try JSONEncoder().encode(request), as: PresignedURL.self)
    }

    /// A signed `GET` URL for an object's bytes.
    public func presignDownload(key: String) async throws -> PresignedURL {
        let request = PresignRequest(operation: .download, key: key)
        return try await objectCall(
            "POST", ObjectRoute.presign, body: try JSONEncoder().encode(request), as: PresignedURL.self)
    }

    /// Size, type and storage tier.
    public func objectInfo(key: String) async throws -> ObjectInfo {
        try await objectCall(
            "GET", ObjectRoute.info, query: [URLQueryItem(name: "key", value: key)], as: ObjectInfo.self)
    }

    /// Starts bringing an archived object back (or reports that it is back).
    public func restoreObject(key: String) async throws -> ObjectInfo {
        try await objectCall(
            "POST", ObjectRoute.restore, query: [URLQueryItem(name: "key", value: key)], body: Data("{}".utf8),
            as: ObjectInfo.self)
    }

    private func objectCall<Answer: Decodable>(
        _ method: String, _ route: String, query: [URLQueryItem] = [], body: Data? = nil, as: Answer.Type
    ) async throws -> Answer {
        let response = try await send(
            method, path: "\(ObjectRoute.objects)/\(route)", query: query, authorized: true, body: body)
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            throw RemoteError.badResponse("the \(route) answer could not be read")
        }
    }
}

/// Moves one file through a signed URL, reporting bytes as they go.
public enum FileTransfer {
    public typealias Progress = @Sendable (_ done: Int64, _ total: Int64) -> Void

    /// `PUT`s the file at `file` to the signed URL with exactly the headers it was signed with.
    public static func upload(
        _ file: URL, to signed: PresignedURL, timeout: TimeInterval = 300, progress: @escaping Progress
    ) async throws {
        guard let url = URL(string: signed.url) else { throw RemoteError.badResponse("the upload URL is not a URL") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = signed.method
        for (name, value) in signed.headers { request.setValue(value, forHTTPHeaderField: name) }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
        request.setValue(String(size), forHTTPHeaderField: "Content-Length")
        let delegate = TransferDelegate(progress: progress, destination: nil)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (status, body) = try await delegate.run { session.uploadTask(with: request, fromFile: file) }
        guard (200..<300).contains(status) else { throw storageError(status: status, body: body) }
    }

    /// `GET`s the object into `destination`: written to a temporary file beside it, which replaces the target only
    /// once complete (one `rename`), so an existing file survives any failure. Without `overwrite` an existing file
    /// is refused before anything is fetched, and a file that appears meanwhile is never replaced.
    public static func download(
        from signed: PresignedURL, to destination: URL, overwrite: Bool = false, timeout: TimeInterval = 300,
        progress: @escaping Progress
    ) async throws {
        guard let url = URL(string: signed.url) else { throw RemoteError.badResponse("the download URL is not a URL") }
        if !overwrite, FileManager.default.fileExists(atPath: destination.path) {
            throw FileTransferError.exists(destination.path)
        }
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
        // Created with the umask's usual permissions, like any file the person saves.
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial.path)
        else {
            throw FileTransferError.cannotWrite(
                destination.deletingLastPathComponent().path, "no permission or no such folder")
        }
        let delegate = TransferDelegate(progress: progress, destination: handle)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (status, body) = try await delegate.run {
                session.dataTask(with: URLRequest(url: url, timeoutInterval: timeout))
            }
            try handle.synchronize()
            try handle.close()
            guard (200..<300).contains(status) else { throw storageError(status: status, body: body) }
            try place(partial, at: destination, overwrite: overwrite)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// Puts the finished temporary file in place. `rename` replaces an existing file atomically (there is never a
    /// moment without one); `link` + `unlink` refuses to replace one that appeared since the check.
    static func place(_ partial: URL, at destination: URL, overwrite: Bool) throws {
        if overwrite {
            guard rename(partial.path, destination.path) == 0 else {
                throw FileTransferError.cannotWrite(destination.path, String(cString: strerror(errno)))
            }
            return
        }
        guard link(partial.path, destination.path) == 0 else {
            if errno == EEXIST { throw FileTransferError.exists(destination.path) }
            throw FileTransferError.cannotWrite(destination.path, String(cString: strerror(errno)))
        }
        unlink(partial.path)
    }

    /// S3's XML error (`<Code>InvalidObjectState</Code>`) as a message.
    static func storageError(status: Int, body: Data) -> RemoteError {
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        func tag(_ name: String) -> String? {
            guard let start = text.range(of: "<\(name)>"),
                let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
            else { return nil }
            return String(text[start.upperBound..<end.lowerBound])
        }
        switch tag("Code") {
        case "InvalidObjectState":
            return .http(status: status, message: "The file is in the archive tier: restore it first (R)")
        case "RestoreAlreadyInProgress":
            return .http(status: status, message: "The file is being restored from the archive; try again later")
        case let code?:
            return .http(status: status, message: "Storage refused: \(code)\(tag("Message").map { ": \($0)" } ?? "")")
        case nil:
            return .http(status: status, message: "Storage answered \(status)")
        }
    }
}

/// A download that could not be put where the person asked.
public enum FileTransferError: Error, Equatable, CustomStringConvertible {
    /// A file is already there and replacing it was not asked for.
    case exists(String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .exists(let path): return "\(path) already exists"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Collects a task's answer and reports its bytes; the download's body goes to a file as it arrives.
private final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let progress: FileTransfer.Progress
    private let destination: FileHandle?
    private let lock = NSLock()
    private var body = Data()
    private var received: Int64 = 0
    private var expected: Int64 = 0
    private var writeError: (any Error)?
    private var continuation: CheckedContinuation<(Int, Data), any Error>?

    init(progress: @escaping FileTransfer.Progress, destination: FileHandle?) {
        self.progress = progress
        self.destination = destination
    }

    func run(_ makeTask: () -> URLSessionTask) async throws -> (Int, Data) {
        try await withCheckedThrowingContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            makeTask().resume()
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64, totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    ) {
        progress(totalBytesSent, max(totalBytesExpectedToSend, totalBytesSent))
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lock.withLock { expected = max(response.expectedContentLength, 0) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let ok = (dataTask.response as? HTTPURLResponse).map { (200..<300).contains($0.statusCode) } ?? false
        let (done, total): (Int64, Int64) = lock.withLock {
            if ok, let destination, writeError == nil {
                do { try destination.write(contentsOf: data) } catch { writeError = error }
            } else if body.count < 65_536 {
                body.append(data)
            }
            received += Int64(data.count)
            return (received, max(expected, received))
        }
        if ok { progress(done, total) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, body, writeError) = lock.withLock {
            let pending = self.continuation
            self.continuation = nil
            return (pending, self.body, self.writeError)
        }
        if let error {
            let detail = (error as? URLError)?.code == .timedOut ? "the transfer timed out" : error.localizedDescription
            continuation?.resume(throwing: RemoteError.offline(detail))
        } else if let writeError {
            continuation?.resume(throwing: RemoteError.badResponse("could not write the file: \(writeError)"))
        } else {
            continuation?.resume(returning: ((task.response as? HTTPURLResponse)?.statusCode ?? 0, body))
        }
    }
}
