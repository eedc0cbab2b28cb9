import Foundation
import HTTPTypes
import HandsetWire
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HandsetCloud

/// The hosted pages: headers, cookies, CSRF, the MFA step, errors, escaping.
@Suite("Hosted sign-in pages")
struct HostedUIPageTests {
    @Test("pages forbid framing and scripts, set a private cookie, and carry a CSRF token")
    func headersAndCookie() async throws {
        try await withCloud(demo: false) { client, fixture in
            let browser = TestBrowser(client)
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let page = try await browser.get("/login?" + request.query)
            #expect(page.status == .ok)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("default-src 'none'") && !policy.contains("script-src"))
            #expect(policy.contains("base-uri 'none'") && policy.contains("style-src 'self'"))
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[.cacheControl] == "no-store")
            let cookie = try #require(page.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            #expect(!page.text.contains("<script"))
            #expect(
                page.text.contains("<label for=\"username\">")
                    && page.text.contains("autocomplete=\"current-password\""))
            let css = try await client.get("/hosted-ui/style.css")
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true)
        }
    }

    @Test("a form without the session's CSRF token is refused, and so is one from another session")
    func csrf() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let token = try TestBrowser.csrf(page)
            let form = [("username", "alice"), ("password", DemoData.alice.user.password)]
            #expect(try await browser.post("/login?" + request.query, form).status == .forbidden)
            #expect(
                try await browser.post("/login?" + request.query, form + [("_csrf", "x" + token)]).status == .forbidden)
            let other = TestBrowser(client)
            _ = try await other.get("/login?" + request.query)
            let crossSession = try await other.post("/login?" + request.query, form + [("_csrf", token)])
            #expect(crossSession.status == .forbidden)
            let noCookie = TestBrowser(client)
            #expect(try await noCookie.post("/login?" + request.query, form + [("_csrf", token)]).status == .forbidden)
            let signedIn = try await browser.post("/login?" + request.query, form + [("_csrf", token)])
            #expect(signedIn.status == .seeOther)
        }
    }

    @Test("signing in gives the browser a new session id (no fixation) and the old id is worthless")
    func sessionRotation() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let before = try #require(browser.cookie)
            _ = try await browser.post(
                "/login?" + request.query,
                [
                    ("_csrf", try TestBrowser.csrf(page)), ("username", "alice"),
                    ("password", DemoData.alice.user.password),
                ])
            let after = try #require(browser.cookie)
            #expect(before != after)
            let planted = TestBrowser(client)
            planted.cookie = before
            let authorize = try await planted.get("/oauth2/authorize?" + request.query)
            #expect(authorize.status == .found, "the old session id signs nobody in")
        }
    }

    @Test("a wrong password shows Cognito's message on the page, and the name typed comes back escaped")
    func wrongPasswordAndEscaping() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let hostile = "\"><script>alert(1)</script>"
            let answer = try await browser.post(
                "/login?" + request.query,
                [("_csrf", try TestBrowser.csrf(page)), ("username", hostile), ("password", "wrong")])
            #expect(answer.status == .badRequest)
            #expect(answer.text.contains("Incorrect username or password."))
            #expect(!answer.text.contains("<script>alert(1)"))
            #expect(answer.text.contains("&quot;&gt;&lt;script&gt;"))
            #expect(answer.text.contains("role=\"alert\""))
        }
    }

    @Test("TOTP: the challenge page after the password, a wrong code shown, the right one gives a code")
    func totp() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let challenge = try await browser.post(
                "/login?" + request.query,
                [
                    ("_csrf", try TestBrowser.csrf(page)), ("username", "tina"),
                    ("password", DemoData.tina.user.password),
                ])
            #expect(challenge.status == .ok)
            #expect(challenge.text.contains("authenticator app"))
            #expect(challenge.text.contains("autocomplete=\"one-time-code\""))
            #expect(!challenge.text.contains("Session"), "the challenge session stays on the server")
            let wrong = try await browser.post(
                "/login/challenge?" + request.query, [("_csrf", try TestBrowser.csrf(challenge)), ("code", "000000")])
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("That code is not right"))
            let right = try await browser.post(
                "/login/challenge?" + request.query, [("_csrf", try TestBrowser.csrf(wrong)), ("code", fixture.totp())])
            #expect(right.status == .seeOther, "\(right.text)")
            _ = try request.code(from: try TestBrowser.location(right))

            // Both sign-ins on the pages are tina's auth events, as API sign-ins are (the test clock stands
            // still: events of one instant come in no particular order).
            let listed = try await client.call(
                "AdminListUserAuthEvents", ["UserPoolId": fixture.pool.userPoolId, "Username": "tina"])
            let events = try #require(try listed.jsonObject["AuthEvents"] as? [[String: Any]])
            #expect(
                events.compactMap { $0["EventResponse"] as? String }.sorted() == ["Fail", "Pass"], "\(listed.text)")
            #expect(events.allSatisfy { $0["EventType"] as? String == "SignIn" })
            let failed = try #require(
                events.first { $0["EventResponse"] as? String == "Fail" }?["ChallengeResponses"] as? [[String: String]])
            #expect(failed.contains(["ChallengeName": "Mfa", "ChallengeResponse": "Failure"]))
        }
    }

    @Test("a wrong password on the pages is a failed auth event of the user's")
    func wrongPasswordIsAnEvent() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let answer = try await browser.post(
                "/login?" + request.query,
                [("_csrf", try TestBrowser.csrf(page)), ("username", "alice"), ("password", "not-hers")])
            #expect(answer.status == .badRequest)
            let listed = try await client.call(
                "AdminListUserAuthEvents", ["UserPoolId": fixture.pool.userPoolId, "Username": "alice"])
            let events = try #require(try listed.jsonObject["AuthEvents"] as? [[String: Any]])
            #expect(events.map { $0["EventResponse"] as? String } == ["Fail"], "\(listed.text)")
        }
    }

    @Test("a temporary password leads to the new-password page, then the code")
    func newPassword() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let page = try await browser.get("/login?" + request.query)
            let challenge = try await browser.post(
                "/login?" + request.query,
                [
                    ("_csrf", try TestBrowser.csrf(page)), ("username", "nora"),
                    ("password", DemoData.nora.user.password),
                ])
            #expect(challenge.text.contains("Choose a new password"))
            let csrf = try TestBrowser.csrf(challenge)
            let mismatch = try await browser.post(
                "/login/challenge?" + request.query,
                [("_csrf", csrf), ("password", "New-Password-1!"), ("confirm", "x")])
            #expect(mismatch.text.contains("The two passwords differ."))
            let done = try await browser.post(
                "/login/challenge?" + request.query,
                [("_csrf", csrf), ("password", "New-Password-1!"), ("confirm", "New-Password-1!")])
            #expect(done.status == .seeOther, "\(done.text)")
        }
    }

    @Test("sign-up and confirmation on the pages, then sign-in")
    func signUp() async throws {
        try await withCloud(demo: false) { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            let form = try await browser.get("/signup?" + request.query)
            let sent = try await browser.post(
                "/signup?" + request.query,
                [
                    ("_csrf", try TestBrowser.csrf(form)), ("username", "walt"), ("email", "walt@example.com"),
                    ("password", "Walker-42!x"),
                ])
            #expect(sent.text.contains("Confirm your account"), "\(sent.text)")
            let confirmed = try await browser.post(
                "/confirmSignUp?" + request.query,
                [
                    ("_csrf", try TestBrowser.csrf(sent)), ("username", "walt"),
                    ("code", try fixture.lastCode(for: "walt")),
                ])
            #expect(confirmed.text.contains("Account confirmed. Sign in."))
            let code = try await request.signIn(browser, username: "walt", password: "Walker-42!x")
            #expect(!code.isEmpty)
        }
    }

    @Test("/logout ends the browser session and goes to a registered sign-out URL only")
    func logout() async throws {
        try await withCloud { client, fixture in
            let request = AuthorizeFixture(clientId: fixture.clientId)
            let browser = TestBrowser(client)
            _ = try await request.signIn(browser, username: "alice", password: DemoData.alice.user.password)
            let refused = try await browser.get(
                "/logout?client_id=\(fixture.clientId)&logout_uri=" + FormFields.encode("https://evil.example/"))
            #expect(refused.status == .badRequest)
            let out = try await browser.get(
                "/logout?client_id=\(fixture.clientId)&logout_uri="
                    + FormFields.encode("http://127.0.0.1:40000/signed-out"))
            #expect(out.status == .found)
            #expect(try TestBrowser.location(out) == "http://127.0.0.1:40000/signed-out")
            let authorize = try await browser.get("/oauth2/authorize?" + request.query)
            #expect(authorize.status == .found, "signed out: the sign-in page again")
        }
    }

    @Test("every page escapes every value: hostile text never comes out as markup")
    func escapingFuzz() throws {
        let pages = try HostedPages(poolName: "<b>pool</b>")
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "<", ">", "&", "\"", "'", "<script>", "</textarea>", "javascript:", "{{", "}}", "é", "\u{0}", "`",
        ]
        for _ in 0..<500 {
            let hostile =
                (0..<Int.random(in: 1...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined() + "<x-marker>"
            for template in HostedPageTemplates.all.keys where template != "layout" {
                let values: [String: Any] = [
                    "query": hostile, "csrf": hostile, "username": hostile, "prompt": hostile, "policy": hostile,
                    "destination": hostile, "user": hostile, "userCode": hostile, "clientName": hostile,
                    "text": hostile, "secretGroups": hostile, "uri": hostile, "email": hostile, "poolUsers": true,
                    "hasProviders": true, "providers": [["name": hostile, "href": hostile]],
                    "choices": [["value": hostile, "label": hostile]], "link": ["href": hostile, "label": hostile],
                ]
                let html = pages.render(
                    template, title: hostile, values: values, notice: hostile, error: hostile, footer: hostile)
                #expect(!html.contains("<x-marker>"), "\(template) let markup through")
                #expect(!html.contains("<b>pool"))
            }
        }
    }
}
