#!/usr/bin/env python3
"""Writes requests exactly as botocore signs and sends them, for the cloud's SigV4 verifier tests.

    python3 Tests/Fixtures/sigv4/make_fixtures.py   # rewrites Tests/Fixtures/sigv4/botocore-requests.json

Nothing is sent: a `before-send` handler captures each prepared request and answers it locally. The keys are test
keys made up for these fixtures. Each fixture records the moment it was signed (`amzDate`), which the Swift tests
use as the server's clock.
"""

import base64
import json
from pathlib import Path

import boto3
import botocore
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

ACCESS_KEY = "AKIAHANDSETTEST00001"
SECRET_KEY = "hAnDsEt/TeSt+SeCrEt/KeY0000000000000000"
TOKEN_KEY = "ASIAHANDSETTEST00002"
TOKEN_SECRET = "sEsSiOn/SeCrEt+KeY/1111111111111111111111"
SESSION_TOKEN = "FwoGZXIvYXdzEHandsetTestSessionToken//////////wEaDA=="
REGION = "us-east-1"
POOL = "us-east-1_HandsetT1"


def fixture(name, request, access_key, secret, session_token=None, service="cognito-idp"):
    url = botocore.compat.urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    headers = [[key, value.decode() if isinstance(value, bytes) else value] for key, value in request.headers.items()]
    return {
        "name": name,
        "method": request.method,
        "host": url.netloc,
        "path": url.path or "/",
        "query": url.query,
        "headers": headers,
        "body": base64.b64encode(body).decode(),
        "accessKeyId": access_key,
        "secretAccessKey": secret,
        "sessionToken": session_token,
        "region": REGION,
        "service": service,
        "amzDate": dict((k.lower(), v) for k, v in headers)["x-amz-date"],
    }


def captured_calls(endpoint, access_key, secret, session_token, calls):
    """Runs boto3 calls against `endpoint`, capturing each signed request instead of sending it."""
    captured = []

    def capture(request, **_):
        captured.append(request)
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"},
                           _Raw(b"{}"))

    client = boto3.client(
        "cognito-idp", region_name=REGION, endpoint_url=endpoint, aws_access_key_id=access_key,
        aws_secret_access_key=secret, aws_session_token=session_token)
    client.meta.events.register("before-send", capture)
    for call in calls:
        try:
            call(client)
        except Exception:  # the empty answer may not satisfy the output shape; the request is what matters
            pass
    return captured


class _Raw:
    def __init__(self, data):
        self.data = data

    def stream(self, *_args, **_kwargs):
        yield self.data


def main():
    fixtures = []
    direct = captured_calls(
        "http://127.0.0.1:8900", ACCESS_KEY, SECRET_KEY, None,
        [
            lambda c: c.admin_get_user(UserPoolId=POOL, Username="alice"),
            lambda c: c.list_users(UserPoolId=POOL, Filter='username ^= "zoë ✓"', Limit=5),
            lambda c: c.admin_create_user(
                UserPoolId=POOL, Username="carol", TemporaryPassword="Temp-Pass-42!",
                UserAttributes=[{"Name": "email", "Value": "carol@example.com"}], MessageAction="SUPPRESS"),
        ])
    for name, request in zip(["AdminGetUser", "ListUsers with a Unicode filter", "AdminCreateUser"], direct):
        fixtures.append(fixture(name, request, ACCESS_KEY, SECRET_KEY))

    proxied = captured_calls(
        "http://localhost:18080", TOKEN_KEY, TOKEN_SECRET, SESSION_TOKEN,
        [lambda c: c.admin_delete_user(UserPoolId=POOL, Username="carol")])
    fixtures.append(fixture("AdminDeleteUser with a session token, via a proxy", proxied[0], TOKEN_KEY,
                            TOKEN_SECRET, SESSION_TOKEN))

    # A path and a query to canonicalize (dot segments, doubled slashes, encoded bytes, repeated and bare names),
    # signed by botocore's SigV4Auth as any service's request would be.
    request = AWSRequest(
        method="POST", url="http://127.0.0.1:8900/a%20b/./c/../d//e%2Ff?b=2&a=1&a=0&c=%E2%9C%93&e&f=x%2By~",
        data=b'{"k": "v"}', headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "Svc.Op"})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "cognito-idp", REGION).add_auth(request)
    fixtures.append(fixture("a path and query to canonicalize", request, ACCESS_KEY, SECRET_KEY))

    out = Path(__file__).with_name("botocore-requests.json")
    out.write_text(json.dumps({"botocore": botocore.__version__, "fixtures": fixtures}, indent=2,
                              ensure_ascii=False) + "\n")
    print(f"wrote {len(fixtures)} fixtures to {out}")


if __name__ == "__main__":
    main()
