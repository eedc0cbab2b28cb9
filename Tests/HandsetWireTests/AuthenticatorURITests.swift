import Foundation
import Testing

@testable import HandsetWire

@Suite struct AuthenticatorURITests {
    @Test func keyURIFormat() {
        #expect(
            AuthenticatorURI.totp(secret: "MZXW6YTBOI", account: "tina")
                == "otpauth://totp/Handset:tina?secret=MZXW6YTBOI&issuer=Handset")
        #expect(
            AuthenticatorURI.totp(secret: "MZXW6YTBOI", account: "tina@example.com", issuer: "Field Notes")
                == "otpauth://totp/Field%20Notes:tina@example.com?secret=MZXW6YTBOI&issuer=Field%20Notes")
    }

    @Test func aLabelCannotEndEarlyOrStartTheQuery() throws {
        let uri = AuthenticatorURI.totp(secret: "MZXW6YTBOI", account: "a:b?secret=EVIL&x=/é")
        #expect(uri == "otpauth://totp/Handset:a%3Ab%3Fsecret%3DEVIL%26x%3D%2F%C3%A9?secret=MZXW6YTBOI&issuer=Handset")
        let components = try #require(URLComponents(string: uri))
        #expect(components.queryItems?.filter { $0.name == "secret" }.map(\.value) == ["MZXW6YTBOI"])
    }
}
