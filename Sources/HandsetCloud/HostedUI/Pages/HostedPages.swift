import Foundation
import HTTPTypes
import HandsetCloudStorage
import Hummingbird
import Mustache

/// Renders the hosted pages from `HostedPageTemplates` and wraps them in the headers every page carries.
///
/// Why a template engine rather than string building: every value shown on these pages (usernames, provider and
/// client names, error messages, query strings) is outside input, and swift-mustache escapes every `{{value}}` by
/// default, so an unescaped value would have to be written `{{{value}}}` on purpose; a page assembled by hand
/// would escape only where someone remembered to.
struct HostedPages: Sendable {
    let library: MustacheLibrary
    let poolName: String
    let appName: String

    init(poolName: String, appName: String = "Handset") throws {
        var library = MustacheLibrary()
        for (name, text) in HostedPageTemplates.all { try library.register(text, named: name) }
        self.library = library
        self.poolName = poolName
        self.appName = appName
    }

    /// A page: `template` rendered with `values`, inside the layout.
    func render(
        _ template: String, title: String, values: [String: Any] = [:], notice: String? = nil, error: String? = nil,
        footer: String = ""
    ) -> String {
        var values = values
        // Fields point at the error (`aria-describedby`, `aria-invalid`) when there is one.
        if let error { values["error"] = error }
        let body = library.render(values, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "poolName": poolName, "appName": appName, "body": body, "footer": footer,
        ]
        if let notice { layout["notice"] = notice }
        if let error { layout["error"] = error }
        return library.render(layout, withTemplate: "layout") ?? ""
    }
}

/// A hosted page's response: HTML with a Content-Security-Policy that allows no script at all and no framing
/// (`frame-ancestors 'none'`, and `X-Frame-Options` for older browsers), no referrer (a callback URL with a code
/// must not leak onwards), and no caching.
///
/// No `form-action`: browsers apply it to every redirect that follows a form's post, and a sign-in's post is
/// followed by a chain through other origins (a provider's page back to the pool, the pool on to the app's
/// callback), which no list written when the page is served can name.
enum HostedResponse {
    /// The browser-session cookie's name, per pool: two local clouds on one host (ports do not separate cookies)
    /// keep their sessions apart.
    static func cookieName(_ poolId: String) -> String { "handset-ui-" + poolId }

    static func page(_ html: String, status: HTTPResponse.Status = .ok, cookie: String? = nil) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect (302 after a GET, 303 after a form's POST so the browser follows with a GET).
    static func redirect(_ location: String, status: HTTPResponse.Status = .found, cookie: String? = nil) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: status, headers: headers)
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "no-referrer", .cacheControl: "no-store",
    ]

    /// The browser-session cookie: HttpOnly, SameSite=Lax (sent on the top-level navigation back from an identity
    /// provider, not on cross-site posts), Secure when the pool is served over https.
    static func sessionCookie(
        _ value: String, poolId: String, secure: Bool, maxAge: Int = Int(BrowserSession.lifetime)
    ) -> String {
        "\(cookieName(poolId))=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    static func expiredCookie(poolId: String, secure: Bool) -> String {
        sessionCookie("", poolId: poolId, secure: secure, maxAge: 0)
    }
}
