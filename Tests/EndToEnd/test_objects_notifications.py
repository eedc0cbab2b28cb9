"""Attachments through signed URLs, and notifications by long-poll, against the real handset-cloud."""

import hashlib
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from conftest import storage_args, wait_until


class User:
    """A signed-in demo user calling the API with the raw ID token, as the app does."""

    def __init__(self, cloud, username, password):
        self.cloud = cloud
        outputs = json.loads(cloud.outputs_file.read_text())
        body = {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": outputs["auth"]["user_pool_client_id"],
            "AuthParameters": {"USERNAME": username, "PASSWORD": password},
        }
        request = urllib.request.Request(
            cloud.url + "/", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/x-amz-json-1.1",
                     "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
        with urllib.request.urlopen(request, timeout=10) as response:
            self.token = json.load(response)["AuthenticationResult"]["IdToken"]

    def call(self, method, path, body=None, headers=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.cloud.url + "/api" + path, data=data, method=method,
            headers={"Authorization": self.token, "Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            text = error.read()
            return error.code, json.loads(text) if text else None

    def create_task(self, title):
        status, record = self.call("POST", "/tasks", {"title": title, "status": "todo"})
        assert status == 201, record
        return record["id"]

    def presign_upload(self, task, size, content_type="application/pdf", file_name="report.pdf"):
        return self.call("POST", "/_objects/presign", {
            "operation": "upload", "collection": "tasks", "recordId": task, "field": "attachment",
            "fileName": file_name, "contentType": content_type, "size": size})

    def presign_download(self, key):
        return self.call("POST", "/_objects/presign", {"operation": "download", "key": key})

    def attach(self, task, key, version):
        status, record = self.call("PATCH", f"/tasks/{task}", {"attachment": key}, {"If-Match": f'"{version}"'})
        assert status == 200, record


def curl_upload(signed, path):
    headers = []
    for name, value in signed["headers"].items():
        headers += ["-H", f"{name}: {value}"]
    # Expect: 100-continue is not answered by the server; curl would wait a second before sending the body.
    result = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-T", str(path), "-H", "Expect:",
         *headers, signed["url"]], capture_output=True, text=True, timeout=60)
    return int(result.stdout)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


DEMO_ATTACHMENT = "tasks/task-0005/attachment/demo0000000000000001/screenshot-checklist.txt"


def objects(bin_dir, data_dir, include_demo=False):
    """The stored objects; without the demo's own attachment (alice's task-0005) unless asked."""
    result = subprocess.run(
        [str(bin_dir / "handset-cloud"), "objects", "list", "--json", *storage_args(data_dir)],
        check=True, capture_output=True, text=True, timeout=30)
    listed = [json.loads(line) for line in result.stdout.splitlines()]
    return [item for item in listed if include_demo or item["info"]["key"] != DEMO_ATTACHMENT]


def test_attach_download_and_every_limit(bin_dir, cloud, workdir):
    alice = User(cloud, "alice", "Wonderland-42!")
    bob = User(cloud, "bob", "Builder-42!")
    task = alice.create_task("Quarterly report")
    data = os.urandom(3 * 1024 * 1024 + 17)
    source = workdir / "report.pdf"
    source.write_bytes(data)

    status, signed = alice.presign_upload(task, len(data))
    assert status == 200, signed
    assert alice.token not in signed["url"] and signed["method"] == "PUT"
    assert curl_upload(signed, source) == 200
    alice.attach(task, signed["key"], 1)

    status, download = alice.presign_download(signed["key"])
    assert status == 200
    status, body, headers = fetch(download["url"])
    assert status == 200 and body == data
    assert headers["ETag"] == '"' + hashlib.md5(data).hexdigest() + '"'
    assert headers["Content-Type"] == "application/pdf"
    copy = workdir / "copy.pdf"
    subprocess.run(["curl", "-sS", "-f", "-o", str(copy), download["url"]], check=True, timeout=60)
    assert copy.read_bytes() == data

    # Tampered and other users' URLs: 403.
    tampered = download["url"].replace("X-Amz-Expires=900", "X-Amz-Expires=9000")
    status, body, _ = fetch(tampered)
    assert status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in body
    assert bob.presign_download(signed["key"])[0] == 403
    assert bob.presign_upload(task, 10)[0] == 403
    assert bob.call("GET", "/_objects/info?key=" + urllib.parse.quote(signed["key"]))[0] == 403

    # The signed size and type: a different file or type is refused, an oversized one never signed.
    status, second = alice.presign_upload(task, 10)
    assert curl_upload(second, source) == 403
    wrong_type = dict(second, headers={"Content-Type": "text/plain"})
    (workdir / "ten").write_bytes(b"0123456789")
    assert curl_upload(wrong_type, workdir / "ten") == 403
    assert curl_upload(second, workdir / "ten") == 200
    assert alice.presign_upload(task, 10 * 1024 ** 3)[0] == 413
    assert alice.presign_upload(task, 10, content_type="application/x-sh")[0] == 415

    listed = objects(bin_dir, cloud.data_dir)
    assert sorted(item["info"]["key"] for item in listed) == sorted([signed["key"], second["key"]])
    assert {item["info"]["tier"] for item in listed} == {"STANDARD"}

    # Deleting the record removes its objects once the delete commits.
    status, _ = alice.call("DELETE", f"/tasks/{task}", headers={"If-Match": '"2"'})
    assert status == 204
    assert objects(bin_dir, cloud.data_dir) == []
    assert fetch(download["url"])[0] == 404


def test_an_interrupted_upload_leaves_nothing(bin_dir, cloud):
    alice = User(cloud, "alice", "Wonderland-42!")
    task = alice.create_task("Photos")
    status, signed = alice.presign_upload(task, 2_000_000, content_type="image/jpeg", file_name="beach.jpg")
    assert status == 200
    target = urllib.parse.urlsplit(signed["url"])
    head = (f"PUT {target.path}?{target.query} HTTP/1.1\r\nHost: {target.netloc}\r\nContent-Type: image/jpeg\r\n"
            f"Content-Length: 2000000\r\n\r\n").encode()
    with socket.create_connection((target.hostname, target.port), timeout=10) as connection:
        connection.sendall(head + b"x" * 700_000)
    # Looked at only once the server has given up on the upload (it logs a request when it has answered it): an
    # empty folder before the server even began would prove nothing.
    log = cloud.data_dir / "logs" / "requests.log"
    wait_until(lambda: '"function":"s3.putObject"' in log.read_text(), timeout=10,
               what="the server to finish with the broken upload")
    incoming = cloud.data_dir / "objects" / "incoming"
    assert not any(incoming.iterdir()), "no partial upload left behind"
    assert objects(bin_dir, cloud.data_dir) == []
    assert len(list((cloud.data_dir / "objects" / "standard").iterdir())) == len(
        objects(bin_dir, cloud.data_dir, include_demo=True)), "no file but the demo's own attachment"
    status, _ = alice.call("GET", "/_objects/info?key=" + urllib.parse.quote(signed["key"]))
    assert status == 403


def test_archive_then_restore(bin_dir, storage_cloud, workdir):
    alice = User(storage_cloud, "alice", "Wonderland-42!")
    task = alice.create_task("Old scans")
    source = workdir / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 scanned")
    status, signed = alice.presign_upload(task, source.stat().st_size)
    assert curl_upload(signed, source) == 200
    alice.attach(task, signed["key"], 1)

    result = subprocess.run(
        [str(bin_dir / "handset-cloud"), "objects", "lifecycle", *storage_args(storage_cloud.data_dir)],
        check=True, capture_output=True, text=True, timeout=30)
    assert "archived 1" in result.stdout
    table = subprocess.run(
        [str(bin_dir / "handset-cloud"), "objects", *storage_args(storage_cloud.data_dir)],
        check=True, capture_output=True, text=True, timeout=30).stdout
    assert "GLACIER" in table and signed["key"] in table

    status, download = alice.presign_download(signed["key"])
    status, body, _ = fetch(download["url"])
    assert status == 403 and b"<Code>InvalidObjectState</Code>" in body

    status, info = alice.call("POST", "/_objects/restore?key=" + urllib.parse.quote(signed["key"]))
    assert status == 202 and info["restore"] == "in-progress" and info["tier"] == "GLACIER"
    wait_until(lambda: fetch(download["url"])[0] == 200, timeout=10, what="the restore to complete")
    assert fetch(download["url"])[1] == source.read_bytes()


def long_poll(user, query, result):
    started = time.monotonic()
    result["page"] = user.call("GET", "/_inbox" + query, timeout=30)[1]
    result["returned"] = time.monotonic()
    result["held"] = result["returned"] - started


def test_cli_notify_and_publish_reach_a_long_poll_within_a_second(bin_dir, cloud):
    alice = User(cloud, "alice", "Wonderland-42!")
    cursor = alice.call("GET", "/_inbox")[1]["cursor"]
    cli = str(bin_dir / "handset-cloud")
    data_dir = str(cloud.data_dir)

    result = {}
    poll = threading.Thread(target=long_poll, args=(alice, f"?since={cursor}&wait=20", result))
    poll.start()
    time.sleep(0.5)
    subprocess.run([cli, "notify", *storage_args(data_dir), "--user", "alice", "--title", "Build finished",
                    "--body", "All green", "--link", "tasks/t-42"], check=True, capture_output=True, timeout=30)
    delivered = time.monotonic()
    poll.join(timeout=25)
    assert result["page"]["items"][0]["title"] == "Build finished"
    assert result["page"]["items"][0]["link"] == {"collection": "tasks", "id": "t-42"}
    assert result["returned"] - delivered < 1.0, f"the poll returned {result['returned'] - delivered:.2f} s late"

    # A topic: created from the CLI, alice subscribes herself, a publish wakes her poll.
    subprocess.run([cli, "publish", *storage_args(data_dir), "--topic", "deploys", "--create", "--title", "First"],
                   check=True, capture_output=True, timeout=30)
    assert alice.call("POST", "/_topics/deploys/subscriptions", {"user": "alice"})[0] == 201
    cursor = result["page"]["cursor"]
    result = {}
    poll = threading.Thread(target=long_poll, args=(alice, f"?since={cursor}&wait=20", result))
    poll.start()
    time.sleep(0.5)
    published = subprocess.run(
        [cli, "publish", *storage_args(data_dir), "--topic", "deploys", "--title", "Deployed v2"],
        check=True, capture_output=True, text=True, timeout=30)
    delivered = time.monotonic()
    poll.join(timeout=25)
    assert "1 inbox" in published.stdout
    assert [item["title"] for item in result["page"]["items"]] == ["Deployed v2"]
    assert result["returned"] - delivered < 1.0

    # An empty long-poll is held for its wait, then answers empty.
    result = {}
    long_poll(alice, f"?since={result.get('cursor', '999999999')}&wait=1", result)
    assert result["page"]["items"] == [] and 0.9 <= result["held"] < 5
    assert alice.call("GET", "/_inbox")[1]["unread"] == 2
