import Foundation
import HandsetFuzzing

@testable import HandsetCloud

/// Header values the server reads itself: `Authorization`, `Host`, `Origin`, and the file names it writes into
/// `Content-Disposition`.
enum HeaderFuzzing {
    static let target = FuzzTarget("headers") { data in
        let text = String(decoding: data, as: UTF8.self)
        if let token = CognitoAuthorizerMiddleware.token(in: text) {
            FuzzCheck.that(!token.isEmpty, "an empty token")
            _ = CognitoAuthorizerMiddleware.expiryAndKeyID(of: token)
        }
        if let host = LoopbackGate.host(ofAuthority: text) {
            _ = LoopbackGate.isLoopbackName(host)
        }
        _ = LoopbackGate.host(ofOrigin: text)
        _ = LoopbackGate.loopbackAddressBytes(text)
        let disposition = ContentDisposition.attachment(fileName: text)
        FuzzCheck.that(
            disposition.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F },
            "Content-Disposition carries a byte a header may not: \(disposition)")
        FuzzCheck.that(ContentDisposition.cleaned(text).utf8.count <= 255, "a file name past 255 bytes")
        _ = CognitoController.shown(text)
    }
}
