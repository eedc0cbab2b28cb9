import Foundation
import Hummingbird
import NIOCore

/// Who may call Cognito's admin operations: anyone on this machine's loopback, as before (`LoopbackGate`), and off
/// loopback (a server bound to another interface, or a request relayed by a proxy) only a request signed with
/// SigV4 by an access key of `--admin-credentials`, as AWS's own pool requires. Without credentials, admin
/// operations stay loopback-only.
struct AdminAuthorization: Sendable {
    let gate: LoopbackGate
    let verifier: SigV4Verifier?
    let now: @Sendable () -> Date

    /// Throws the Cognito error to answer, or returns when the caller may go on. `body` is the whole request body.
    func authorize(_ request: Request, body: ByteBuffer, context: CloudRequestContext) throws {
        guard let refusal = gate.refusal(for: request, context: context) else { return }
        guard let verifier else {
            switch refusal {
            case .notListeningOnLoopback: throw CognitoError.adminNotLocal
            case .notLoopbackRequest: throw CognitoError.adminNotLoopbackRequest
            }
        }
        let message = SigV4Message(request: request, payloadHash: SigV4Verifier.payloadHash(body.readableBytesView))
        switch verifier.verify(message, now: now()) {
        case .success: return
        case .failure(let failure):
            throw CognitoError(
                type: failure.type, message: failure.message,
                status: failure == .missing ? .forbidden : .badRequest)
        }
    }
}

extension SigV4Message {
    /// The request as it came: the raw path and query, `host` from the authority (HTTP/1's `Host`), every field.
    init(request: Request, payloadHash: String) {
        var headers: [(name: String, value: String)] = []
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers {
            headers.append((field.name.canonicalName.lowercased(), field.value))
        }
        self.init(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
            payloadHash: payloadHash)
    }
}
