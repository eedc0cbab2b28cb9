import Crypto
import Foundation
import HandsetFuzzing
import Hummingbird
import HummingbirdCore

@testable import HandsetCloud

/// The storage endpoint's URL check: an input is a request target (`/_s3/<bucket>/<key>?X-Amz-...`), verified as
/// a GET and as a PUT. Whatever passes must carry the signature of exactly what it grants, unexpired.
enum PresignedURLFuzzing {
    /// A fixed key and clock, so that the corpus can hold URLs that verify.
    static let signer = ObjectSigner(key: SymmetricKey(data: Data(repeating: 7, count: 32)))
    static let now = Date(timeIntervalSince1970: 1_800_000_100)
    static let bucket = "handset-objects"
    static let uploadSize = 5
    static let uploadType = "text/plain"

    /// The URLs the seed corpus starts from (what `ObjectsController` hands out).
    static func seeds() -> [String] {
        let issued = Date(timeIntervalSince1970: 1_800_000_000)
        let key = "tasks/task-1/attachment/abcdefghij0123456789/notes.txt"
        return [
            signer.pathAndQuery(
                for: .init(
                    method: "GET", bucket: bucket, key: key, credential: "sub-1", issuedAt: issued, lifetime: 900)),
            signer.pathAndQuery(
                for: .init(
                    method: "PUT", bucket: bucket, key: key, credential: "sub-1", issuedAt: issued, lifetime: 900,
                    size: uploadSize, contentType: uploadType, fileName: "Präsentation \"final\".txt")),
        ]
    }

    static let target = FuzzTarget("presigned-url") { data in
        let text = String(decoding: data, as: UTF8.self)
        let uri = URI(text)
        var query: [String: String] = [:]
        for (name, value) in uri.queryParameters { query[String(name)] = String(value) }
        let prefix = "/\(StorageEndpoint.pathPrefix)/\(bucket)/"
        let path = uri.path.removingPercentEncoding ?? uri.path
        guard path.hasPrefix(prefix) else { return }
        let key = String(path.dropFirst(prefix.count))
        if let objectKey = ObjectKey(key) { FuzzCheck.that(objectKey.description == key, "object key round trip") }
        if let date = query["X-Amz-Date"].flatMap(ObjectSigner.date(fromAmzDate:)) {
            FuzzCheck.that(
                ObjectSigner.date(fromAmzDate: ObjectSigner.amzDate(date)) == date, "X-Amz-Date round trip")
        }
        for method in ["GET", "PUT"] {
            let result = signer.verify(
                query: query, method: method, bucket: bucket, key: key,
                contentLength: method == "PUT" ? uploadSize : nil, contentType: method == "PUT" ? uploadType : nil,
                now: now)
            guard case .success(let grant) = result else { continue }
            FuzzCheck.that(grant.key == key && grant.method == method, "a grant for something else")
            FuzzCheck.that(
                signer.signature(of: grant) == query["X-Amz-Signature"]?.lowercased(), "a grant without its signature")
            FuzzCheck.that(now < grant.expiresAt, "an expired grant")
        }
    }
}
