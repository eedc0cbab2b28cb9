"""Hostile input on every route of managed login, against the real handset-cloud: open redirects, state and PKCE
mismatches, replayed codes, forged and missing CSRF tokens, oversized and malformed parameters, script in every
reflected field, a planted session cookie. Nothing may answer 5xx, send the browser to an address the client did
not register, or put a token in a URL; afterwards the logs hold none of the secrets the tests saw.

One cloud for the module (tests are independent of each other's state), raw HTTP through `requests` with redirects
never followed.
"""

import base64
import re
import secrets
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest
import requests

from conftest import Cloud
from hosted_ui import ScriptedBrowser, authorize_url, csrf, pkce_pair, pool_of, query_of, redeem

# One worker runs the whole module: its tests share one module-scoped server, in order (pytest-xdist loadgroup).
pytestmark = pytest.mark.xdist_group("test_hosted_ui_hostile")

SEEN_SECRETS = set()
SCRIPT = '"><script>alert(1)</script>'


@pytest.fixture(scope="module")
def cloud(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-hostile-"))
    instance = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    yield instance
    instance.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pool(cloud):
    return pool_of(cloud)


REDIRECT = "http://127.0.0.1:47001/callback"


def get(cloud, path, **options):
    return requests.get(cloud.url + path, allow_redirects=False, timeout=20, **options)


def post(cloud, path, data=None, **options):
    return requests.post(cloud.url + path, data=data, allow_redirects=False, timeout=20, **options)


def assert_sane(response, what):
    """No server error; HTML pages framed by nobody and scripted by nobody; nothing sent to a stranger."""
    assert response.status_code < 500, (what, response.status_code, response.text[:500])
    if response.headers.get("Content-Type", "").startswith("text/html"):
        policy = response.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy, (what, policy)
        assert response.headers.get("X-Frame-Options") == "DENY", what
        assert "<script" not in response.text.lower(), (what, response.text[:500])
    location = response.headers.get("Location", "")
    for token in re.findall(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", location):
        raise AssertionError(f"{what}: a token in a Location: {token[:24]}…")
    if location and "://" in location:
        host = urllib.parse.urlsplit(location).hostname
        assert host == "127.0.0.1", (what, location)


def signed_in_code(cloud, pool, verifier_challenge=None, username="alice", password="Wonderland-42!"):
    verifier, challenge = verifier_challenge or pkce_pair()
    url, params = authorize_url(cloud, pool, REDIRECT, challenge)
    callback = ScriptedBrowser(cloud.url).sign_in(url, username, password)
    answer = query_of(callback)
    assert answer["state"] == params["state"]
    SEEN_SECRETS.add(answer["code"])
    return answer["code"], verifier


def test_authorize_never_redirects_to_an_unregistered_address(cloud, pool):
    _, challenge = pkce_pair()
    hostile = [
        "https://evil.example/callback", "http://127.0.0.1.evil.example/callback", "http://127.0.0.1:47001/other",
        "http://127.0.0.1:47001/callback/../evil", "http://127.0.0.1:47001/callback?extra=1",
        "http://127.0.0.1:47001/callback#fragment", "http://user@127.0.0.1:47001/callback",
        "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/callback",
        "http://127.0.0.1:47001/callback\r\nSet-Cookie: planted=1", "HTTP://127.0.0.1:47001/callback",
        "http://[::1]:47001/callback", "http://0x7f000001:47001/callback", "", "x" * 5000,
    ]
    for target in hostile:
        url, _ = authorize_url(cloud, pool, target, challenge)
        response = requests.get(url, allow_redirects=False, timeout=20)
        assert_sane(response, target)
        assert response.status_code in (302, 400), (target, response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/error?error="), (target, response.headers["Location"])
        assert "Set-Cookie" not in response.headers or "planted" not in response.headers["Set-Cookie"]


def test_authorize_refusals_go_back_with_the_state_and_never_a_token(cloud, pool):
    _, challenge = pkce_pair()
    cases = [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"response_type": "id_token"}, "unsupported_response_type"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"code_challenge": "a" * 42 + "!"}, "invalid_request"),
        ({"code_challenge": "", "code_challenge_method": ""}, "invalid_request"),
        ({"scope": "openid admin:everything"}, "invalid_scope"),
        ({"identity_provider": "Nobody"}, "invalid_request"),
        ({"idp_identifier": "nowhere.example"}, "invalid_request"),
        ({"prompt": "none"}, "login_required"),
        ({"prompt": "sideways"}, "invalid_request"),
        ({"nonce": "n" * 3000}, "invalid_request"),
    ]
    for extra, error in cases:
        url, params = authorize_url(cloud, pool, REDIRECT, challenge, extra=extra)
        response = requests.get(url, allow_redirects=False, timeout=20)
        assert_sane(response, extra)
        assert response.status_code == 302, (extra, response.status_code, response.text[:300])
        answer = query_of(response.headers["Location"])
        assert response.headers["Location"].startswith(REDIRECT + "?"), extra
        assert answer["error"] == error and answer["state"] == params["state"], (extra, answer)
        assert "code" not in answer and "access_token" not in answer and "id_token" not in answer
    # A parameter given twice (RFC 6749 §3.1): refused, whichever copy a proxy would have read.
    url, params = authorize_url(cloud, pool, REDIRECT, challenge)
    response = requests.get(url + "&state=second", allow_redirects=False, timeout=20)
    assert query_of(response.headers["Location"])["error"] == "invalid_request"


def test_malformed_and_oversized_queries_and_forms(cloud, pool):
    _, challenge = pkce_pair()
    url, _ = authorize_url(cloud, pool, REDIRECT, challenge)
    path = url[len(cloud.url):]
    for bad in [path + "&x=%zz", path + "&%ff%fe=1", path + "&state=" + "s" * 70_000,
                "/oauth2/authorize?" + "a=1&" * 20_000, "/login?client_id=%"]:
        response = get(cloud, bad)
        assert_sane(response, bad[:80])
        assert response.status_code in (302, 400, 414, 431), (bad[:80], response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith(("/error?", REDIRECT + "?error=")), bad[:80]
    # A code no device has: the page asks for a sign-in first and never shows the code back.
    response = get(cloud, "/device?user_code=" + "B" * 50_000)
    assert_sane(response, "a long user code")
    assert response.status_code in (200, 414, 431) and "B" * 100 not in response.text
    for route in ["/login", "/login/challenge", "/signup", "/confirmSignUp", "/forgotPassword",
                  "/confirmForgotPassword", "/device", "/device/confirm", "/oauth2/idpresponse"]:
        for body, headers in [(b"_csrf=%zz", {"Content-Type": "application/x-www-form-urlencoded"}),
                              (b"a=" + b"x" * 200_000, {"Content-Type": "application/x-www-form-urlencoded"}),
                              (b'{"username":"alice"}', {"Content-Type": "application/json"}),
                              (bytes([0xFF, 0xFE, 0x3D, 0x31]), {"Content-Type": "application/x-www-form-urlencoded"})]:
            response = post(cloud, route, body, headers=headers)
            assert_sane(response, (route, body[:20]))
            refused = response.status_code in (400, 403, 413)
            to_error_page = response.status_code == 302 and response.headers["Location"].startswith("/error?")
            assert refused or to_error_page, (route, body[:20], response.status_code)
    for route in ["/oauth2/token", "/oauth2/revoke", "/oauth2/device_authorization"]:
        for body, headers in [(b"grant_type=%zz", {"Content-Type": "application/x-www-form-urlencoded"}),
                              (b"a=" + b"x" * 100_000, {"Content-Type": "application/x-www-form-urlencoded"}),
                              (b'{"grant_type":"authorization_code"}', {"Content-Type": "application/json"}),
                              (b"client_id=" + pool["client"].encode() + b"&client_id=other",
                               {"Content-Type": "application/x-www-form-urlencoded"})]:
            response = post(cloud, route, body, headers=headers)
            assert_sane(response, (route, body[:20]))
            assert response.status_code in (400, 401, 413), (route, body[:20], response.status_code)
            assert response.headers.get("Cache-Control") == "no-store" or response.status_code == 413


def test_codes_are_bound_single_use_and_need_their_verifier(cloud, pool):
    code, verifier = signed_in_code(cloud, pool)
    for wrong in [{"code_verifier": pkce_pair()[0]}, {"code_verifier": ""}, {"code_verifier": "x" * 129},
                  {"redirect_uri": "http://127.0.0.1:47002/callback"}, {"redirect_uri": ""}]:
        fields = {"grant_type": "authorization_code", "client_id": pool["client"], "code": code,
                  "redirect_uri": REDIRECT, "code_verifier": verifier, **wrong}
        response = post(cloud, "/oauth2/token", fields)
        assert_sane(response, wrong)
        assert (response.status_code, response.json()["error"]) in ((400, "invalid_grant"), (400, "invalid_request"))
    # A failed redemption spends the code (a stolen code is worth one guess), and a spent code stays spent.
    again = redeem(cloud, pool, code, REDIRECT, verifier)
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})

    code, verifier = signed_in_code(cloud, pool)
    first = redeem(cloud, pool, code, REDIRECT, verifier)
    assert first.status_code == 200
    tokens = first.json()
    SEEN_SECRETS.update(tokens[name] for name in ("access_token", "id_token", "refresh_token"))
    replay = redeem(cloud, pool, code, REDIRECT, verifier)
    assert (replay.status_code, replay.json()) == (400, {"error": "invalid_grant"})
    # The replay ends the sign-in the code made (RFC 6749 §4.1.2): its refresh token no longer works.
    refreshed = post(cloud, "/oauth2/token", {"grant_type": "refresh_token", "client_id": pool["client"],
                                              "refresh_token": tokens["refresh_token"]})
    assert (refreshed.status_code, refreshed.json()["error"]) == (400, "invalid_grant")
    # Codes are made up of nothing guessable, and a made-up one is just wrong.
    for forged in [code[:-1] + ("A" if code[-1] != "A" else "B"), "", "x" * 5000, "' OR 1=1 --"]:
        response = redeem(cloud, pool, forged, REDIRECT, verifier)
        assert (response.status_code, response.json()["error"]) in ((400, "invalid_grant"), (400, "invalid_request"))


def test_token_endpoint_client_authentication(cloud, pool):
    code, verifier = signed_in_code(cloud, pool)
    garbage = ["Basic", "Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(),
               "Basic " + base64.b64encode(b":").decode(), "Basic " + base64.b64encode(b"%zz:x").decode(),
               "Basic " + base64.b64encode(b"nobody:secret").decode(), "Bearer " + "x" * 20_000]
    for header in garbage:
        response = post(cloud, "/oauth2/token", {"grant_type": "authorization_code", "code": code,
                                                 "redirect_uri": REDIRECT, "code_verifier": verifier},
                        headers={"Authorization": header})
        assert_sane(response, header[:30])
        assert response.status_code in (400, 401), (header[:30], response.status_code)
        assert response.json()["error"] in ("invalid_client", "invalid_request")
    # A public client may not present a secret, nor be named twice in different ways.
    response = post(cloud, "/oauth2/token", {"grant_type": "client_credentials", "client_id": pool["client"],
                                             "client_secret": "guess"})
    assert response.json()["error"] == "invalid_client"
    for grant in ["password", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", ""]:
        response = post(cloud, "/oauth2/token", {"grant_type": grant, "client_id": pool["client"]})
        assert_sane(response, grant)
        assert response.json()["error"] in ("unsupported_grant_type", "invalid_request"), grant


def test_userinfo_and_revoke_refuse_what_is_not_a_live_access_token(cloud, pool):
    code, verifier = signed_in_code(cloud, pool)
    tokens = redeem(cloud, pool, code, REDIRECT, verifier).json()
    SEEN_SECRETS.update(tokens[name] for name in ("access_token", "id_token", "refresh_token"))
    header, payload, signature = tokens["access_token"].split(".")
    for value in ["", "Bearer", "Bearer ", "Bearer " + tokens["id_token"], "Basic " + tokens["access_token"],
                  "Bearer " + header + "." + payload + ".", "Bearer " + header + "." + payload + "." + signature[::-1],
                  "Bearer " + "A" * 20_000]:
        response = get(cloud, "/oauth2/userInfo", headers={"Authorization": value})
        assert_sane(response, value[:30])
        assert response.status_code == 401, (value[:30], response.status_code)
        assert "alice" not in response.text
    assert get(cloud, "/oauth2/userInfo", headers={"Authorization": "Bearer " + tokens["access_token"]}).json()[
        "username"] == "alice"
    # Revocation: nonsense and someone else's token are answered like success (RFC 7009) and change nothing.
    for token in ["", "nonsense", "x" * 10_000]:
        response = post(cloud, "/oauth2/revoke", {"token": token, "client_id": pool["client"]})
        assert_sane(response, token[:20])
        assert response.status_code in (200, 400)
    refreshed = post(cloud, "/oauth2/token", {"grant_type": "refresh_token", "client_id": pool["client"],
                                              "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200
    SEEN_SECRETS.update(v for k, v in refreshed.json().items() if k.endswith("_token"))


def test_every_form_refuses_a_missing_forged_or_foreign_csrf_token(cloud, pool):
    _, challenge = pkce_pair()
    url, _ = authorize_url(cloud, pool, REDIRECT, challenge)
    victim = ScriptedBrowser(cloud.url)
    page, _ = victim.follow(victim.get(url))
    query = urllib.parse.urlsplit(page.url).query
    token = csrf(page.text)
    SEEN_SECRETS.add(token)
    attacker = ScriptedBrowser(cloud.url)
    attacker_page, _ = attacker.follow(attacker.get(url))
    attacker_token = csrf(attacker_page.text)
    forms = {
        "/login?" + query: {"username": "alice", "password": "Wonderland-42!"},
        "/login/challenge?" + query: {"code": "123456"},
        "/signup?" + query: {"username": "mallory", "email": "m@example.com", "password": "Mallory-Password-42!"},
        "/confirmSignUp?" + query: {"username": "mallory", "code": "123456"},
        "/forgotPassword?" + query: {"username": "alice"},
        "/confirmForgotPassword?" + query: {"username": "alice", "code": "123456", "password": "Taken-Over-42!"},
        "/device": {"user_code": "BCDF-GHJK"},
        "/device/confirm": {"user_code": "BCDF-GHJK", "decision": "allow"},
    }
    for path, fields in forms.items():
        for name, forged in [("missing", None), ("empty", ""), ("made up", secrets.token_urlsafe(32)),
                             ("the attacker's own", attacker_token), ("huge", "x" * 50_000)]:
            data = dict(fields)
            if forged is not None:
                data["_csrf"] = forged
            response = victim.post(path, data)
            assert_sane(response, (path, name))
            assert response.status_code in (400, 403), (path, name, response.status_code, response.text[:300])
            assert "Location" not in response.headers, (path, name)
    # A cross-site form post carries no cookie (SameSite=Lax): even the victim's own token gets nowhere.
    response = post(cloud, "/login?" + query, {"_csrf": token, "username": "alice", "password": "Wonderland-42!"},
                    headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    cookie = victim.session.cookies.get(f"handset-ui-{pool['id']}")
    SEEN_SECRETS.add(cookie)
    set_cookie = page.history[0].headers.get("Set-Cookie", "") if page.history else ""
    for response in [page] + list(page.history):
        if "Set-Cookie" in response.headers:
            set_cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie, set_cookie


def test_reflected_fields_are_escaped(cloud, pool):
    _, challenge = pkce_pair()
    url, _ = authorize_url(cloud, pool, REDIRECT, challenge, state=SCRIPT, extra={"nonce": SCRIPT})
    browser = ScriptedBrowser(cloud.url)
    page, _ = browser.follow(browser.get(url))
    assert_sane(page, "login with a scripted state")
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    for path, fields in [(action, {"username": SCRIPT, "password": "x"}),
                         (action.replace("/login?", "/signup?"), {"username": SCRIPT, "email": SCRIPT + "@x",
                                                                  "password": "x"}),
                         (action.replace("/login?", "/forgotPassword?"), {"username": SCRIPT})]:
        response = browser.post(path.replace("&amp;", "&"), {"_csrf": csrf(page.text), **fields})
        assert_sane(response, path[:30])
        assert SCRIPT not in response.text
    for path in ["/error?error=" + urllib.parse.quote(SCRIPT) + "&error_description=" + urllib.parse.quote(SCRIPT),
                 "/device?user_code=" + urllib.parse.quote(SCRIPT), "/logout?client_id=" + urllib.parse.quote(SCRIPT)]:
        response = get(cloud, path)
        assert_sane(response, path)
        assert SCRIPT not in response.text


def test_a_planted_session_cookie_is_worth_nothing_after_sign_in(cloud, pool):
    """Session fixation: an attacker gets a cookie, plants it in the victim's browser, the victim signs in."""
    _, challenge = pkce_pair()
    url, _ = authorize_url(cloud, pool, REDIRECT, challenge)
    attacker = ScriptedBrowser(cloud.url)
    attacker.follow(attacker.get(url))
    name = f"handset-ui-{pool['id']}"
    planted = attacker.session.cookies.get(name)
    victim = ScriptedBrowser(cloud.url)
    victim.session.cookies.set(name, planted, domain="127.0.0.1", path="/")
    callback = victim.sign_in(url, "alice", "Wonderland-42!")
    SEEN_SECRETS.add(query_of(callback)["code"])
    assert victim.session.cookies.get(name) != planted
    # The attacker's copy of the old id signs nobody in.
    again = attacker.get(url.replace("state=", "state=again"))
    assert again.headers["Location"].startswith("/login?")


def test_provider_response_and_logout_refuse_strangers(cloud, pool):
    for path in ["/oauth2/idpresponse", "/oauth2/idpresponse?code=x", "/oauth2/idpresponse?state=forged&code=x",
                 "/oauth2/idpresponse?error=access_denied&state=" + "s" * 5000, "/federate?provider=Corp",
                 "/federate?provider=Nobody&device=1"]:
        response = get(cloud, path)
        assert_sane(response, path)
        assert response.status_code == 400 or response.headers.get("Location", "").startswith("/error?"), path
    for query in ["", "client_id=" + pool["client"], "client_id=nobody&logout_uri=http://127.0.0.1/signed-out",
                  "client_id=" + pool["client"] + "&logout_uri=https://evil.example/",
                  "client_id=" + pool["client"] + "&logout_uri=http://127.0.0.1:5/elsewhere",
                  "client_id=" + pool["client"] + "&redirect_uri=https://evil.example/&response_type=code"]:
        response = get(cloud, "/logout?" + query)
        assert_sane(response, query)
        location = response.headers.get("Location", "")
        assert "evil" not in location.split("?")[0] and "elsewhere" not in location, (query, location)
    response = get(cloud, "/logout?client_id=" + pool["client"] + "&logout_uri=http://127.0.0.1:5/signed-out")
    assert response.status_code == 302 and response.headers["Location"] == "http://127.0.0.1:5/signed-out"


def test_device_authorization_refusals(cloud, pool):
    for fields in [{}, {"client_id": "nobody"}, {"client_id": pool["client"], "scope": "openid superpowers"},
                   {"client_id": pool["client"], "client_secret": "guess"}]:
        response = post(cloud, "/oauth2/device_authorization", fields)
        assert_sane(response, fields)
        assert response.status_code in (400, 401), (fields, response.status_code)
    started = post(cloud, "/oauth2/device_authorization", {"client_id": pool["client"]}).json()
    SEEN_SECRETS.add(started["device_code"])
    # The device code is the secret: it never appears in the addresses the person is given.
    assert started["device_code"] not in started["verification_uri_complete"]
    for device_code in ["", "x" * 10_000, started["device_code"][:-1]]:
        response = post(cloud, "/oauth2/token", {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                                                 "client_id": pool["client"], "device_code": device_code})
        assert_sane(response, device_code[:20])
        assert response.json()["error"] in ("invalid_grant", "invalid_request", "expired_token")


def test_configuration_operations_are_for_this_machine_only(cloud, pool):
    """A web page whose domain an attacker rebinds to 127.0.0.1 cannot register its own callback or provider."""
    for operation, body in [
        ("CreateUserPoolClient", {"UserPoolId": pool["id"], "ClientName": "evil",
                                  "CallbackURLs": ["https://evil.example/cb"]}),
        ("UpdateUserPoolClient", {"UserPoolId": pool["id"], "ClientId": pool["client"],
                                  "CallbackURLs": ["https://evil.example/cb"]}),
        ("CreateIdentityProvider", {"UserPoolId": pool["id"], "ProviderName": "Evil", "ProviderType": "OIDC",
                                    "ProviderDetails": {"client_id": "x", "authorize_scopes": "openid",
                                                        "oidc_issuer": "https://evil.example"}}),
        ("DescribeUserPoolClient", {"UserPoolId": pool["id"], "ClientId": pool["client"]}),
    ]:
        for headers in [{"Host": "rebind.attacker.example"}, {"Origin": "https://attacker.example"}]:
            response = requests.post(cloud.url + "/", json=body, timeout=10, headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}", **headers})
            assert response.status_code == 400 and response.json()["__type"] == "AccessDeniedException", (
                operation, headers, response.text)
    client = requests.post(cloud.url + "/", json={"UserPoolId": pool["id"], "ClientId": pool["client"]}, timeout=10,
                           headers={"Content-Type": "application/x-amz-json-1.1",
                                    "X-Amz-Target": "AWSCognitoIdentityProviderService.DescribeUserPoolClient"})
    assert "https://evil.example/cb" not in client.text


def test_afterwards_the_logs_hold_none_of_the_secrets(cloud):
    secrets_seen = {secret for secret in SEEN_SECRETS if secret and len(secret) >= 8}
    assert len(secrets_seen) >= 10, "the tests above collected the secrets they saw"
    logs = [cloud.data_dir / "logs" / "requests.log", cloud.log_path]
    text = "\n".join(path.read_text(errors="replace") for path in logs if path.exists())
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("  demo user:", "  sign in:")))
    assert "/oauth2/token" in text, "the request log recorded the requests"
    leaked = [secret[:10] + "…" for secret in secrets_seen if secret in text]
    assert not leaked, f"secrets in the logs: {leaked}"
    assert "Wonderland-42!" not in text and "code_verifier" not in text and "state=" not in text
