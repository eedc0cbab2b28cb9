"""What an operator relies on, against the real handset-cloud process: probes and metrics, the request log on
standard output, a graceful stop on SIGTERM, and admin operations off loopback signed with SigV4 by boto3 and the
AWS CLI."""

import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore
import pytest
from botocore.config import Config

from conftest import Cloud, free_port, wait_until
from test_objects_notifications import User, fetch

ADMIN_KEY = "AKIAHANDSETADMIN0001"
ADMIN_SECRET = "e2e/Admin+Secret/0123456789abcdefghijklmn"


def get(url, headers=None, timeout=10):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def credentials_file(directory: Path) -> Path:
    path = directory / "admin-credentials"
    path.write_text(f"[default]\naws_access_key_id = {ADMIN_KEY}\naws_secret_access_key = {ADMIN_SECRET}\n")
    path.chmod(0o600)
    return path


def pool_id(cloud):
    return json.loads(cloud.outputs_file.read_text())["auth"]["user_pool_id"]


def admin_client(endpoint, secret=ADMIN_SECRET, key=ADMIN_KEY, unsigned=False, proxied=False):
    config = Config(retries={"max_attempts": 1}, signature_version=botocore.UNSIGNED if unsigned else None)
    client = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=key,
        aws_secret_access_key=secret, config=config)
    if proxied:
        # What a proxy in front adds: the request is then no longer "from this machine".
        def relay(request, **_):
            request.headers["X-Forwarded-For"] = "203.0.113.9"

        client.meta.events.register("before-send.cognito-idp.*", relay)
    return client


def error_code(call):
    with pytest.raises(botocore.exceptions.ClientError) as info:
        call()
    return info.value.response["Error"]["Code"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_probes_metrics_and_the_request_log_on_standard_output(bin_dir, workdir):
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud",
                  extra_args=["--instance-id", "e2e-instance-1", "--request-log", "stdout"]).start()
    try:
        status, body = get(cloud.url + "/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok", "instance": "e2e-instance-1"}
        status, body = get(cloud.url + "/readyz")
        assert status == 200 and json.loads(body)["status"] == "ready"

        alice = User(cloud, "alice", "Wonderland-42!")
        assert alice.call("GET", "/tasks")[0] == 200
        status, scrape = get(cloud.url + "/metrics")
        assert status == 200
        assert 'handset_http_requests_total{method="GET",route="/api/{collection}",function="api.list",status="200"} 1' in scrape
        assert 'handset_sign_ins_total{outcome="succeeded"} 1' in scrape
        assert alice.token not in scrape

        def log_lines():
            lines = [json.loads(line) for line in cloud.log_path.read_text().splitlines() if line.startswith("{")]
            # Written after each response has gone: wait for the two lines asserted below, not any two.
            return lines if {line["function"] for line in lines} >= {"cognito.InitiateAuth", "api.list"} else None

        lines = wait_until(log_lines, timeout=10, what="request log lines on standard output")
        assert {line["instance"] for line in lines} == {"e2e-instance-1"}
        assert {line["function"] for line in lines} >= {"cognito.InitiateAuth", "api.list"}
        assert not (cloud.data_dir / "logs" / "requests.log").exists()
        assert alice.token not in cloud.log_path.read_text()
    finally:
        cloud.stop()


def begin_upload(port, signed, payload, sent):
    """A raw connection that has sent the signed upload's head and the first `sent` bytes of its body."""
    target = signed["url"].split(str(port), 1)[1]
    headers = "".join(f"{name}: {value}\r\n" for name, value in signed["headers"].items())
    connection = socket.create_connection(("127.0.0.1", port))
    connection.sendall(
        f"PUT {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload[:sent])
    return connection


def finish_upload(connection, rest):
    connection.sendall(rest)
    connection.settimeout(15)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(4096)
        if not chunk:
            break
        answer += chunk
    connection.close()
    return answer


def test_sigterm_answers_held_polls_finishes_in_flight_requests_and_exits_zero(bin_dir, workdir):
    port = free_port()
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud", port=port).start()
    alice = User(cloud, "alice", "Wonderland-42!")
    cursor = alice.call("GET", "/_inbox")[1]["cursor"]

    # A long-poll held for up to 20 s (the most the server waits).
    poll = {}

    def hold():
        started = time.monotonic()
        poll["answer"] = alice.call("GET", f"/_inbox?since={cursor}&wait=20", timeout=60)
        poll["seconds"] = time.monotonic() - started

    holder = threading.Thread(target=hold)
    holder.start()
    status, scrape = wait_until(
        lambda: (lambda r: r if 'handset_inbox_long_polls_waiting 1' in r[1] else None)(get(cloud.url + "/metrics")),
        timeout=10, what="the poll to be held")

    # An upload in flight: headers and half of the body sent.
    task = alice.create_task("in flight at shutdown")
    payload = b"x" * 4000
    status, signed = alice.presign_upload(task, len(payload), content_type="text/plain", file_name="a.txt")
    assert status == 200, signed
    upload = begin_upload(port, signed, payload, sent=2000)
    # Signalled only once the server has begun the upload: a connection whose request it has not read yet is idle,
    # and an idle connection is closed at shutdown.
    wait_until(
        lambda: 'handset_http_requests_in_flight 2' in get(cloud.url + "/metrics")[1], timeout=10,
        what="the upload to be in flight beside the poll")

    cloud.process.send_signal(signal.SIGTERM)

    # The held poll is answered at once, empty.
    holder.join(timeout=15)
    assert not holder.is_alive(), "the held poll was not answered"
    assert poll["answer"][0] == 200 and poll["answer"][1]["items"] == []
    # Answered by the shutdown, not by the end of its 20 s wait.
    assert poll["seconds"] < 10, poll["seconds"]

    # No new connections.
    def refused():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return False
        except OSError:
            return True

    wait_until(refused, timeout=10, what="the listener to close")
    assert cloud.process.poll() is None, "exited with a request in flight"

    # The in-flight upload finishes and is answered.
    answer = finish_upload(upload, payload[2000:])
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]

    assert cloud.process.wait(timeout=20) == 0
    cloud.stop()
    # The request log is written off the request path; a clean stop writes every answered request's line first,
    # the upload answered during the shutdown included.
    logged = [json.loads(line) for line in (cloud.data_dir / "logs" / "requests.log").read_text().splitlines()]
    assert {"function": "s3.putObject", "status": 200} in [
        {"function": line["function"], "status": line["status"]} for line in logged]

    # The upload was kept: a restarted server lists it.
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud", port=port).start()
    try:
        listing = subprocess.run(
            [str(bin_dir / "handset-cloud"), "objects", "list", *cloud.storage_args()],
            capture_output=True, text=True, check=True).stdout
        assert task in listing
    finally:
        cloud.stop()


def test_a_burst_of_requests_is_all_in_the_request_log_after_sigterm(bin_dir, workdir):
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud").start()
    burst = 400

    def refused(_):
        return get(cloud.url + "/api/tasks", headers={"Authorization": "Bearer not-a-token"})[0]

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(refused, range(burst))) == {401}
    # Stopped at once: lines still in the writer's buffer are written before the process exits.
    cloud.process.send_signal(signal.SIGTERM)
    assert cloud.process.wait(timeout=20) == 0
    cloud.stop()
    lines = (cloud.data_dir / "logs" / "requests.log").read_text().splitlines()
    refusals = [json.loads(line) for line in lines if '"api.authorizer"' in line]
    assert len(refusals) == burst and all(line["status"] == 401 for line in refusals)


def test_another_instance_starting_on_the_shared_blob_store_leaves_an_upload_in_progress_alone(bin_dir, workdir):
    shared = workdir / "shared-objects"
    port = free_port()
    first = Cloud(bin_dir / "handset-cloud", workdir / "first", port=port,
                  extra_args=["--objects-dir", str(shared)]).start()
    try:
        alice = User(first, "alice", "Wonderland-42!")
        task = alice.create_task("uploaded while another instance starts")
        payload = os.urandom(64 * 1024)
        status, signed = alice.presign_upload(task, len(payload), content_type="application/octet-stream",
                                              file_name="data.bin")
        assert status == 200, signed
        upload = begin_upload(port, signed, payload, sent=len(payload) // 2)
        wait_until(lambda: "handset_http_requests_in_flight 1" in get(first.url + "/metrics")[1], timeout=10,
                   what="the upload to begin")

        # A second instance starts on the same blob store (and, on MariaDB, the same database), and the lifecycle
        # sweep runs over the store, as a fleet's would.
        second = Cloud(bin_dir / "handset-cloud", workdir / "second", shares_database_of=workdir / "first",
                       extra_args=["--objects-dir", str(shared)]).start()
        second.stop()
        subprocess.run(
            [str(bin_dir / "handset-cloud"), "objects", "lifecycle", *second.storage_args(),
             "--objects-dir", str(shared)], check=True, capture_output=True, timeout=60)

        answer = finish_upload(upload, payload[len(payload) // 2:])
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
        status, download = alice.presign_download(signed["key"])
        assert status == 200, download
        status, body, _ = fetch(download["url"])
        assert status == 200 and body == payload
        assert not (workdir / "first" / "objects").exists(), "bytes live in the shared store only"
    finally:
        first.stop()


def test_admin_operations_through_a_proxy_need_a_sigv4_signature(bin_dir, workdir):
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud",
                  extra_args=["--admin-credentials", str(credentials_file(workdir))]).start()
    try:
        pool = pool_id(cloud)
        # On loopback, as before: open, signed or not.
        assert admin_client(cloud.url, unsigned=True).admin_get_user(UserPoolId=pool, Username="alice")["Username"] == "alice"
        # Relayed by a proxy: only a valid signature passes.
        signed = admin_client(cloud.url, proxied=True)
        assert signed.admin_get_user(UserPoolId=pool, Username="alice")["Username"] == "alice"
        assert error_code(lambda: admin_client(cloud.url, unsigned=True, proxied=True).admin_get_user(
            UserPoolId=pool, Username="alice")) == ("MissingAuthenticationTokenException", 403)
        assert error_code(lambda: admin_client(cloud.url, secret="wrong", proxied=True).admin_get_user(
            UserPoolId=pool, Username="alice"))[0] == "InvalidSignatureException"
        assert error_code(lambda: admin_client(cloud.url, key="AKIAUNKNOWNKEY000000", proxied=True).admin_get_user(
            UserPoolId=pool, Username="alice"))[0] == "UnrecognizedClientException"
        # Public operations need nothing.
        assert User(cloud, "bob", "Builder-42!").token
    finally:
        cloud.stop()


def test_bound_off_loopback_boto3_and_the_aws_cli_administer_the_pool_with_access_keys(bin_dir, workdir):
    credentials = credentials_file(workdir)
    port = free_port()
    cloud = Cloud(bin_dir / "handset-cloud", workdir / "cloud", port=port,
                  extra_args=["--host", "0.0.0.0", "--admin-credentials", str(credentials)]).start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        pool = pool_id(cloud)
        client = admin_client(endpoint)
        client.admin_create_user(UserPoolId=pool, Username="carol", TemporaryPassword="Temp-Pass-42!",
                                 MessageAction="SUPPRESS")
        assert client.admin_get_user(UserPoolId=pool, Username="carol")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
        assert error_code(lambda: admin_client(endpoint, unsigned=True).list_users(UserPoolId=pool)) == (
            "MissingAuthenticationTokenException", 403)

        environment = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
                       "AWS_CONFIG_FILE": str(workdir / "no-config"), "AWS_DEFAULT_REGION": "us-east-1",
                       "AWS_EC2_METADATA_DISABLED": "true"}
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
            environment.pop(name, None)
        result = subprocess.run(
            ["aws", "cognito-idp", "list-users", "--user-pool-id", pool, "--endpoint-url", endpoint,
             "--output", "json"], capture_output=True, text=True, env=environment, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "carol" in {user["Username"] for user in json.loads(result.stdout)["Users"]}

        (workdir / "wrong").write_text(f"[default]\naws_access_key_id = {ADMIN_KEY}\naws_secret_access_key = nope\n")
        result = subprocess.run(
            ["aws", "cognito-idp", "admin-delete-user", "--user-pool-id", pool, "--username", "carol",
             "--endpoint-url", endpoint],
            capture_output=True, text=True, env={**environment, "AWS_SHARED_CREDENTIALS_FILE": str(workdir / "wrong")},
            timeout=60)
        assert result.returncode != 0 and "InvalidSignatureException" in result.stderr
        assert client.admin_get_user(UserPoolId=pool, Username="carol")["Username"] == "carol"
    finally:
        cloud.stop()


def test_a_credentials_file_others_can_read_stops_the_start(bin_dir, workdir):
    credentials = credentials_file(workdir)
    credentials.chmod(0o644)
    result = subprocess.run(
        [str(bin_dir / "handset-cloud"), "serve", "--port", "0", "--data-dir", str(workdir / "cloud"),
         "--admin-credentials", str(credentials)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "chmod 600" in result.stderr
    assert ADMIN_SECRET not in result.stderr + result.stdout
