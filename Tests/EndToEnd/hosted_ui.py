"""Helpers for tests of the pool's managed login: a scripted browser over `requests`, PKCE, the app's callback."""

import base64
import hashlib
import html
import http.server
import json
import re
import secrets
import threading
import urllib.parse
from pathlib import Path

import requests

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def pkce_pair():
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def pool_of(cloud):
    outputs = json.loads(cloud.outputs_file.read_text())
    auth = outputs["auth"]
    return {"id": auth["user_pool_id"], "client": auth["user_pool_client_id"], "region": auth["aws_region"],
            "issuer": f"{cloud.url}/{auth['user_pool_id']}", "outputs": outputs}


def csrf(page_text):
    match = re.search(r'name="_csrf" value="([^"]+)"', page_text)
    assert match, f"no form on the page:\n{page_text[:2000]}"
    return html.unescape(match.group(1))


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


class ScriptedBrowser:
    """A browser for tests that do not need a real one: keeps cookies, follows the pool's redirects by hand and
    stops at the first address outside the cloud (the app's callback), which it returns."""

    def __init__(self, base_url):
        self.base = base_url.rstrip("/")
        self.session = requests.Session()

    def absolute(self, location):
        return location if "://" in location else self.base + location

    def get(self, url):
        return self.session.get(self.absolute(url), allow_redirects=False, timeout=20)

    def post(self, url, fields):
        return self.session.post(self.absolute(url), data=fields, allow_redirects=False, timeout=20)

    def follow(self, response):
        """Follows redirects inside the cloud; returns (the last response, the first outside address or None)."""
        for _ in range(10):
            if response.status_code not in (301, 302, 303, 307):
                return response, None
            location = self.absolute(response.headers["Location"])
            if not location.startswith(self.base):
                return response, location
            response = self.get(location)
        raise AssertionError("too many redirects")

    def sign_in(self, start_url, username, password, totp=None):
        """From an authorize (or device) address through the sign-in form; returns the address the pool sends the
        browser to afterwards (the app's callback with a code)."""
        page, outside = self.follow(self.get(start_url))
        if outside:
            return outside
        assert page.status_code == 200, page.text[:2000]
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        answer = self.post(html.unescape(action), {"_csrf": csrf(page.text), "username": username,
                                                   "password": password})
        if totp is not None:
            assert answer.status_code == 200, answer.text[:2000]
            action = re.search(r'<form method="post" action="([^"]+)"', answer.text).group(1)
            answer = self.post(html.unescape(action), {"_csrf": csrf(answer.text), "code": totp()})
        page, outside = self.follow(answer)
        if outside:
            return outside
        return page


class CallbackCatcher:
    """The app's redirect target: a loopback HTTP server that records what the browser brings back."""

    def __init__(self, path="/callback"):
        self.path = path
        self.requests = []
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                # Only the callback counts: a browser asks for /favicon.ico afterwards too.
                if self.path.split("?")[0] == catcher.path:
                    catcher.requests.append(self.path)
                body = b"<!doctype html><title>app</title><p>callback received</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.redirect_uri = f"http://127.0.0.1:{self.port}{path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def last_query(self):
        return query_of(self.requests[-1]) if self.requests else None

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def authorize_url(cloud, pool, redirect_uri, challenge, state=None, scope="openid email profile", extra=None):
    params = {"response_type": "code", "client_id": pool["client"], "redirect_uri": redirect_uri,
              "state": state or secrets.token_urlsafe(16), "scope": scope, "code_challenge": challenge,
              "code_challenge_method": "S256", "nonce": secrets.token_urlsafe(16)}
    params.update(extra or {})
    return f"{cloud.url}/oauth2/authorize?" + urllib.parse.urlencode(params), params


def redeem(cloud, pool, code, redirect_uri, verifier):
    return requests.post(f"{cloud.url}/oauth2/token", data={
        "grant_type": "authorization_code", "client_id": pool["client"], "code": code,
        "redirect_uri": redirect_uri, "code_verifier": verifier}, timeout=20)


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
