"""A minimal OpenID Connect provider for tests, written here (keys and tokens by joserfc, Authlib's JOSE library):
discovery, a key set, an authorization endpoint that signs in whoever the test names at once, and a token endpoint
that checks the client's secret, the redirect URI and the PKCE verifier before it answers with an ID token.

What the token endpoint answers can be spoiled on purpose (`provider.spoil = "wrong_nonce"` …), so that a test can
see the pool refuse each kind of bad answer a real provider might give.
"""

import base64
import hashlib
import http.server
import json
import secrets
import threading
import time
import urllib.parse

from joserfc import jwt
from joserfc.jwk import RSAKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OIDCProvider:
    # Each way to spoil the answer, and the words the pool's error page gives for it.
    SPOILS = {"wrong_nonce": "wrong nonce", "wrong_audience": "wrong audience", "wrong_issuer": "wrong issuer",
              "expired": "expired", "issued_in_the_future": "issued in the future",
              "foreign_signature": "bad signature", "alg_none": "malformed token", "hs256": "RS256",
              "no_subject": "no subject", "unknown_kid": "unknown key",
              "several_audiences_no_azp": "authorized party", "http_500": "HTTP 500", "not_json": "no ID token",
              "no_id_token": "no ID token", "refuse_code": "invalid_grant"}

    def __init__(self, client_id="pool-client", client_secret=None):
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.key = RSAKey.generate_key(2048, parameters={"kid": "provider-key-1", "use": "sig", "alg": "RS256"},
                                       private=True)
        self.stranger = RSAKey.generate_key(2048, parameters={"kid": "provider-key-1"}, private=True)
        self.subject = "user-1"
        self.claims = {"email": "pat@acme.example", "email_verified": True, "name": "Pat Acme"}
        self.spoil = None
        self.codes = {}
        self.token_requests = []
        self.authorize_requests = []
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                provider.handle_get(self)

            def do_POST(self):
                provider.handle_post(self)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}/tenant"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # HTTP

    @staticmethod
    def answer(handler, status, body, content_type="application/json", location=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        if location:
            handler.send_header("Location", location)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def handle_get(self, handler):
        url = urllib.parse.urlsplit(handler.path)
        base = urllib.parse.urlsplit(self.issuer).path
        if url.path == base + "/.well-known/openid-configuration":
            return self.answer(handler, 200, {
                "issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks.json",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]})
        if url.path == base + "/jwks.json":
            return self.answer(handler, 200, {"keys": [self.key.as_dict(private=False)]})
        if url.path == base + "/authorize":
            query = dict(urllib.parse.parse_qsl(url.query))
            self.authorize_requests.append(query)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": query.get("nonce"), "challenge": query.get("code_challenge"),
                                "redirect_uri": query.get("redirect_uri"), "sub": self.subject}
            back = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
            return self.answer(handler, 302, b"", "text/plain", location=back)
        return self.answer(handler, 404, {"error": "not_found"})

    def handle_post(self, handler):
        length = int(handler.headers.get("Content-Length", "0"))
        fields = dict(urllib.parse.parse_qsl(handler.rfile.read(length).decode()))
        self.token_requests.append({"fields": fields, "authorization": handler.headers.get("Authorization")})
        expected = "Basic " + base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if handler.headers.get("Authorization") != expected:
            return self.answer(handler, 401, {"error": "invalid_client"})
        grant = self.codes.pop(fields.get("code", ""), None)
        verifier = fields.get("code_verifier", "")
        challenge = b64url(hashlib.sha256(verifier.encode()).digest())
        if (grant is None or self.spoil == "refuse_code" or grant["challenge"] != challenge
                or grant["redirect_uri"] != fields.get("redirect_uri")):
            return self.answer(handler, 400, {"error": "invalid_grant"})
        if self.spoil == "http_500":
            return self.answer(handler, 500, b"<html>oops</html>", "text/html")
        if self.spoil == "not_json":
            return self.answer(handler, 200, b"id_token=nope", "text/plain")
        if self.spoil == "no_id_token":
            return self.answer(handler, 200, {"access_token": "x", "token_type": "Bearer"})
        return self.answer(handler, 200, {"id_token": self.id_token(grant), "access_token": secrets.token_urlsafe(),
                                          "token_type": "Bearer", "expires_in": 300})

    # Tokens

    def id_token(self, grant):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": grant["sub"], "nonce": grant["nonce"],
                  "iat": now, "exp": now + 300, **self.claims}
        spoil = self.spoil
        header = {"alg": "RS256", "kid": "provider-key-1"}
        key = self.key
        if spoil == "wrong_nonce":
            claims["nonce"] = "someone-elses-nonce"
        elif spoil == "wrong_audience":
            claims["aud"] = "another-client"
        elif spoil == "wrong_issuer":
            claims["iss"] = "https://impostor.example"
        elif spoil == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif spoil == "issued_in_the_future":
            claims["iat"] = now + 3600
        elif spoil == "foreign_signature":
            key = self.stranger
        elif spoil == "no_subject":
            del claims["sub"]
        elif spoil == "unknown_kid":
            header["kid"] = "provider-key-2"
        elif spoil == "several_audiences_no_azp":
            claims["aud"] = [self.client_id, "another-client"]
        elif spoil == "alg_none":
            return (b64url(json.dumps({"alg": "none", "kid": "provider-key-1"}).encode()) + "."
                    + b64url(json.dumps(claims).encode()) + ".")
        elif spoil == "hs256":
            # Signed with the provider's public key as an HMAC secret (the classic key-confusion forgery).
            import hmac
            public = json.dumps(self.key.as_dict(private=False), sort_keys=True).encode()
            signing_input = (b64url(json.dumps({"alg": "HS256", "kid": "provider-key-1"}).encode()) + "."
                             + b64url(json.dumps(claims).encode()))
            signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
            return signing_input + "." + b64url(signature)
        return jwt.encode(header, claims, key)
