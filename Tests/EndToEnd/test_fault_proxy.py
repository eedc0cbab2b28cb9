"""Lost acknowledgements and bad server answers: `handset` talks to `handset-cloud` through a fault proxy
(`faultproxy.py`) that drops answers after the server committed, stalls, or answers garbage; the cloud is also
killed with -9 in the middle of a sync. Whatever happens, a failed sync says what went wrong, exits non-zero
without crashing, keeps the outbox, and the next good sync leaves the server with exactly the writes made: none
lost, none applied twice.

Only the REST API goes through the proxy (`custom.handset.api_endpoint` and `custom.API.*.endpoint` of a copy of
the cloud's amplify_outputs.json); Cognito stays direct.

Client timeouts: one setting for every API request (`[network] timeout` in config.toml, `HANDSET_TIMEOUT`,
30 s by default; inbox long-polls get their wait on top). The stall tests set it to a few seconds.

Three bugs were found with this proxy and fixed; each has its test here: a POST dropped on a reused keep-alive
connection hung until the timeout (libcurl re-sent it without its body), a lost acknowledgement followed by
another edit of the same record came back as a conflict with the person's own earlier write, and per-request
timeouts were ignored on Linux (every request waited 60 s).
"""

import json
import os
import signal
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from faultproxy import FaultProxy
from test_offline_sync import Device

PASSWORD = {"alice": "Wonderland-42!", "bob": "Builder-42!"}
API_TIMEOUT = 4  # seconds: HANDSET_TIMEOUT for the stall tests


# Helpers


@pytest.fixture
def proxy_for():
    """Starts a fault proxy in front of a cloud; every proxy is stopped at the end of the test."""
    proxies = []

    def make(cloud, keep_alive=True):
        proxy = FaultProxy(urlparse(cloud.url).port).start()
        proxy.keep_alive = keep_alive
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()


def sign_in_through(device, cloud, proxy, workdir, username="alice"):
    """Imports a copy of the cloud's outputs whose API endpoint is the proxy, then signs in (Cognito is direct)."""
    outputs = proxy.write_outputs(cloud.outputs_file, workdir / f"outputs-via-proxy-{proxy.port}.json")
    device.run("config", "import", str(outputs))
    assert device.json("login", "--username", username, "--password-stdin", stdin=PASSWORD[username] + "\n")[
        "username"] == username
    assert device.json("status")["api"] == f"{proxy.url}/api", "the API must go through the proxy"


def sync(device, limit):
    """Runs `handset sync --json`; kills it if it runs past `limit` seconds. Returns (result or None, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen([device.binary, "sync", "--json"], env=device.env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, time.monotonic() - started
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), time.monotonic() - started


def local_tasks(device):
    return {task["id"]: task for task in device.json("ls", "tasks", "--limit", "100000")}


def pending(device):
    return device.json("status")["pending"]


def assert_clean_failure(result):
    """A failure a person can act on: an exit code, not a signal; one `handset: ...` line, no trace."""
    assert result.returncode > 0, f"exit {result.returncode} (a negative code is a signal: a crash)\n{result.stderr}"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("handset: "), f"not one clear message:\n{result.stderr}"
    for trace in ("Fatal error", "Backtrace", "Stack dump", "Thread 0", "DecodingError", "dataCorrupted",
                  "Swift/", ".swift:"):
        assert trace not in result.stderr, f"internals leak into the message: {result.stderr}"
    assert result.stdout.strip() == "", "a failed sync prints no report"


class Server:
    """The server's truth, read straight from the cloud (not through the proxy) with the user's ID token."""

    def __init__(self, cloud, username="alice"):
        outputs = json.loads(cloud.outputs_file.read_text())
        self.api = outputs["custom"]["handset"]["api_endpoint"]
        body = json.dumps({
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": outputs["auth"]["user_pool_client_id"],
            "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD[username]},
        }).encode()
        answer = self._call(outputs["custom"]["handset"]["cognito_endpoint"], body, {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
        self.token = answer["AuthenticationResult"]["IdToken"]

    @staticmethod
    def _call(url, body=None, headers=None):
        request = urllib.request.Request(url, data=body, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def feed(self, collection):
        """(live records by id, ids of tombstones) from the whole change feed."""
        live, tombstones, since = {}, set(), None
        while True:
            url = f"{self.api}/{collection}/_changes?limit=1000" + (f"&since={since}" if since else "")
            page = self._call(url, headers={"Authorization": self.token})
            for item in page["items"]:
                if item.get("deleted"):
                    live.pop(item["id"], None)
                    tombstones.add(item["id"])
                else:
                    tombstones.discard(item["id"])
                    live[item["id"]] = item
            since = page["cursor"]
            if not page["hasMore"]:
                return live, tombstones

    def records(self, collection):
        return self.feed(collection)[0]

    def batch(self, collection, operations):
        body = json.dumps({"operations": operations}).encode()
        answer = self._call(f"{self.api}/{collection}/_batch", body,
                            {"Authorization": self.token, "Content-Type": "application/json"})
        assert all(200 <= result["status"] < 300 for result in answer["results"]), answer
        return answer


def user_fields(record):
    return {k: v for k, v in record.items() if k not in ("id", "version", "updatedAt", "owner", "_syncState")}


def queue_offline_edits(device, prefix, creates):
    """Saved locally only: `creates` task creates, two task replaces, a task delete and a project replace
    (creates + 4 outbox entries; tasks and projects go in two `_batch` requests). Returns {id: title} of the
    creates."""
    created = {}
    for index in range(creates):
        record = device.json("put", "tasks", "--no-sync", "--field", f"title={prefix} {index}",
                             "--field", "status=todo", "--field", f"priority={index % 5 + 1}")
        created[record["id"]] = f"{prefix} {index}"
    device.run("put", "tasks", "task-0001", "--no-sync", "--field", "status=done")
    device.run("put", "tasks", "task-0003", "--no-sync", "--field", f"title={prefix} renamed",
               "--field", "priority=1")
    device.run("rm", "tasks", "task-0002", "--no-sync")
    device.run("put", "projects", "project-0002", "--no-sync", "--field", "status=active")
    return created


def assert_server_has_exactly(server, device, created, prefix, before):
    """Every queued write applied exactly once, and the device agrees with the server record for record."""
    tasks, tombstones = server.feed("tasks")
    titles = [task["title"] for task in tasks.values()]
    for record_id, title in created.items():
        assert record_id in tasks, f"{title} lost"
        assert titles.count(title) == 1, f"{title} duplicated"
        assert tasks[record_id]["version"] == 1, f"{title} written more than once"
    assert tasks["task-0001"]["status"] == "done"
    assert tasks["task-0001"]["version"] == before["task-0001"] + 1, "the replace was applied twice"
    assert tasks["task-0003"]["title"] == f"{prefix} renamed"
    assert tasks["task-0003"]["version"] == before["task-0003"] + 1, "the replace was applied twice"
    assert "task-0002" not in tasks and "task-0002" in tombstones, "the delete was lost"
    assert len(tasks) == before["count"] + len(created) - 1
    project = server.records("projects")["project-0002"]
    assert project["status"] == "active" and project["version"] == before["project-0002"] + 1

    assert pending(device) == 0, "the outbox is empty"
    assert device.json("conflicts") == [], "a replayed write must not turn into a conflict with oneself"
    local = local_tasks(device)
    assert set(local) == set(tasks), "the device has exactly the server's records"
    for record_id, record in tasks.items():
        assert local[record_id]["_syncState"] == "synced"
        assert local[record_id]["version"] == record["version"]
        assert user_fields(local[record_id]) == user_fields(record)


def versions_before(server):
    tasks = server.records("tasks")
    return {"task-0001": tasks["task-0001"]["version"], "task-0003": tasks["task-0003"]["version"],
            "count": len(tasks), "project-0002": server.records("projects")["project-0002"]["version"]}


def kill_cloud(cloud):
    cloud.process.send_signal(signal.SIGKILL)
    cloud.process.wait()
    cloud.log.close()


# (1) Lost acknowledgement during push


@pytest.mark.parametrize("drop", ["reset", "close"])
def test_lost_ack_during_push_then_retry_loses_and_duplicates_nothing(bin_dir, cloud, workdir, proxy_for, drop):
    # One connection per request: the client sees the dropped answer at once (see the keep-alive test below).
    proxy = proxy_for(cloud, keep_alive=False)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Lost ack", 6)
    queued = pending(laptop)
    assert queued == 10

    proxy.set_fault(drop, match="/_batch")
    result, _ = sync(laptop, limit=30)
    assert result is not None, "sync hung after the answer was dropped"
    assert result.returncode == 3, result.stderr
    assert "offline" in result.stderr and "local changes are kept" in result.stderr
    assert_clean_failure(result)
    dropped = proxy.requests("/_batch", drop)
    assert dropped and all(entry["status"] == 200 for entry in dropped), "the server answered, the client never saw it"
    # The server did commit: this is a lost acknowledgement, not a lost request.
    assert set(created) <= set(server.records("tasks"))
    assert pending(laptop) == queued, "the outbox is kept when the answer is lost"
    assert laptop.json("status")["conflicts"] == 0

    proxy.passthrough()
    report = laptop.json("sync")
    assert (report["accepted"], report["conflicts"], report["rejected"]) == (10, 0, 0), report
    assert_server_has_exactly(server, laptop, created, "Lost ack", before)


def test_lost_ack_on_a_kept_alive_connection_fails_at_once(bin_dir, cloud, workdir, proxy_for):
    proxy = proxy_for(cloud)  # keep-alive, as a real gateway: openapi.json and _batch share one connection
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Kept alive", 3)

    proxy.set_fault("reset", match="/_batch")
    # Regression: libcurl used to re-send the POST on a new connection without its body and hang until the timeout.
    result, seconds = sync(laptop, limit=20)
    assert result is not None, f"sync still running {seconds:.0f} s after its connection was reset"
    assert result.returncode == 3, result.stderr
    assert_clean_failure(result)
    assert pending(laptop) == 7, "the outbox survives"
    assert set(created) <= set(server.records("tasks")), "the first attempt committed"
    proxy.passthrough()
    laptop.json("sync")
    assert_server_has_exactly(server, laptop, created, "Kept alive", before)


def test_lost_ack_then_another_edit_of_the_same_records_is_no_conflict(bin_dir, cloud, workdir, proxy_for):
    proxy = proxy_for(cloud, keep_alive=False)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    created = laptop.json("put", "tasks", "--no-sync", "--field", "title=First draft", "--field", "status=todo")
    laptop.run("put", "tasks", "task-0004", "--no-sync", "--field", "status=doing")
    version = server.records("tasks")["task-0004"]["version"]

    proxy.set_fault("reset", match="/_batch")
    assert sync(laptop, limit=30)[0].returncode == 3
    assert server.records("tasks")[created["id"]]["title"] == "First draft", "the server committed"
    proxy.passthrough()
    # The person keeps working on the same records before the next sync.
    laptop.run("put", "tasks", created["id"], "--no-sync", "--field", "title=Second draft")
    laptop.run("put", "tasks", "task-0004", "--no-sync", "--field", "status=done")

    # Regression: the retry used to meet the person's own first write as a "conflict".
    result, _ = sync(laptop, limit=30)
    assert result.returncode == 0, result.stderr
    assert laptop.json("conflicts") == []
    tasks = server.records("tasks")
    assert tasks[created["id"]]["title"] == "Second draft"
    assert tasks["task-0004"]["status"] == "done" and tasks["task-0004"]["version"] == version + 2
    assert pending(laptop) == 0
    assert laptop.tasks()[created["id"]]["title"] == "Second draft"


# (2) A server that accepts and never answers


def test_stalled_change_feed_times_out_and_nothing_is_lost(bin_dir, cloud, workdir, proxy_for):
    proxy = proxy_for(cloud)
    laptop = Device(bin_dir, workdir / "laptop")
    laptop.env["HANDSET_TIMEOUT"] = str(API_TIMEOUT)
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Stalled pull", 2)
    # Another device writes meanwhile: the stalled pull must still bring it in later.
    other = server.batch("tasks", [{"op": "create", "id": "from-the-phone", "body": {"title": "Phone", "status": "todo"}}])
    assert other["results"][0]["status"] == 201

    proxy.set_fault("stall", match="/_changes")
    # Regression: the timeout used to be ignored on Linux (60 s for every request).
    result, seconds = sync(laptop, limit=API_TIMEOUT + 10)
    assert result is not None, f"sync still waiting {seconds:.0f} s into a stalled {API_TIMEOUT} s request"
    assert API_TIMEOUT - 1 <= seconds, f"gave up after {seconds:.1f} s, before its timeout"
    assert result.returncode == 3, result.stderr
    assert "no answer" in result.stderr and "in time" in result.stderr, result.stderr
    assert_clean_failure(result)
    assert len(proxy.requests("/_changes", "stall")) == 1
    # The push before the pull went through; nothing queued is lost or left behind.
    assert pending(laptop) == 0
    assert "from-the-phone" not in laptop.tasks()

    proxy.passthrough()
    laptop.json("sync")
    assert laptop.tasks()["from-the-phone"]["title"] == "Phone"
    created["from-the-phone"] = "Phone"
    assert_server_has_exactly(server, laptop, created, "Stalled pull", before)


def test_stalled_server_during_push_times_out_and_keeps_the_outbox(bin_dir, cloud, workdir, proxy_for):
    proxy = proxy_for(cloud)
    laptop = Device(bin_dir, workdir / "laptop")
    laptop.env["HANDSET_TIMEOUT"] = str(API_TIMEOUT)
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Stalled push", 2)

    proxy.set_fault("stall")  # every API request: openapi.json (then the cached schema), then _batch
    result, seconds = sync(laptop, limit=3 * API_TIMEOUT + 10)
    assert result is not None, f"sync still running {seconds:.0f} s into a stall ({API_TIMEOUT} s timeouts)"
    assert result.returncode == 3 and "no answer" in result.stderr, result.stderr
    assert_clean_failure(result)
    # A timeout is not retried: one wait for the document (then the cached schema), one for the batch.
    assert [e["path"] for e in proxy.requests(action="stall")] == ["/api/openapi.json", "/api/tasks/_batch"]
    assert pending(laptop) == 6
    assert not set(created) & set(server.records("tasks")), "a stalled request never reached the server"

    proxy.passthrough()
    laptop.json("sync")
    assert_server_has_exactly(server, laptop, created, "Stalled push", before)


# (3) Garbage answers


GARBAGE = {
    # fault: words the message must contain
    "html502": ["502", "web page instead of JSON"],
    "error500": ["Internal server error"],
    "truncated": ["Unexpected answer from the server", "could not be read"],
    "wrong_types": ["Unexpected answer from the server", "could not be read"],
}


@pytest.mark.parametrize("fault", list(GARBAGE))
def test_garbage_answer_to_a_push_is_reported_and_the_outbox_kept(bin_dir, cloud, workdir, proxy_for, fault):
    proxy = proxy_for(cloud)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, f"Garbage {fault}", 3)

    proxy.set_fault(fault, match="/_batch")
    result, _ = sync(laptop, limit=30)
    assert result is not None, "sync hung on a bad answer"
    assert result.returncode == 1, result.stderr
    assert_clean_failure(result)
    for words in GARBAGE[fault]:
        assert words in result.stderr, f"{words!r} not in {result.stderr!r}"
    if fault in ("truncated", "wrong_types"):
        assert "batch answer" in result.stderr, "the message says which answer was bad"
    assert pending(laptop) == 7, "a bad answer keeps every queued write"
    assert laptop.json("status")["conflicts"] == 0
    # A 502 or 500 says "try again": the batch (safe to repeat, it carries an Idempotency-Key) is retried with
    # backoff up to 3 attempts; an unreadable 200 is not retried.
    assert len(proxy.requests("/_batch", fault)) == (3 if fault in ("html502",) else 1)
    # truncated and wrong_types forward the write first (the retry replays committed writes); the gateway
    # errors answer in the server's place (the retry sends them for the first time).
    committed = set(created) & set(server.records("tasks"))
    assert committed == (set(created) if fault in ("truncated", "wrong_types") else set()), committed

    proxy.passthrough()
    report = laptop.json("sync")
    assert (report["accepted"], report["conflicts"], report["rejected"]) == (7, 0, 0), report
    assert_server_has_exactly(server, laptop, created, f"Garbage {fault}", before)


@pytest.mark.parametrize("fault", list(GARBAGE))
def test_garbage_in_the_change_feed_is_reported_and_the_pull_resumes(bin_dir, cloud, workdir, proxy_for, fault):
    proxy = proxy_for(cloud)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    server.batch("tasks", [{"op": "create", "id": f"phone-{i}", "body": {"title": f"Phone {i}", "status": "todo"}}
                           for i in range(3)])
    laptop.run("put", "tasks", "task-0005", "--no-sync", "--field", "status=done")

    proxy.set_fault(fault, match="/tasks/_changes")
    result, _ = sync(laptop, limit=30)
    assert result is not None, "sync hung on a bad answer"
    assert result.returncode == 1, result.stderr
    assert_clean_failure(result)
    for words in GARBAGE[fault]:
        assert words in result.stderr, f"{words!r} not in {result.stderr!r}"
    if fault in ("truncated", "wrong_types"):
        assert "tasks change feed" in result.stderr, "the message says which answer was bad"
    assert not any(key.startswith("phone-") for key in laptop.tasks()), "nothing applied from a bad page"
    assert pending(laptop) == 0

    proxy.passthrough()
    laptop.json("sync")
    tasks = server.records("tasks")
    local = laptop.tasks()
    assert set(local) == set(tasks)
    assert {local[f"phone-{i}"]["title"] for i in range(3)} == {"Phone 0", "Phone 1", "Phone 2"}
    assert tasks["task-0005"]["status"] == "done"


def test_garbage_api_document_keeps_the_cached_schema_and_the_outbox(bin_dir, cloud, workdir, proxy_for):
    proxy = proxy_for(cloud)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Bad document", 2)
    expected = {
        # A gateway error is transient: the cached schema is used and the sync goes on to the push.
        "html502": ["502", "web page instead of JSON"],
        "error500": ["Internal server error"],
        # A document that is not one is an error of its own.
        "truncated": ["Unexpected answer from the server", "openapi.json is not JSON"],
        "wrong_types": ["API document"],
    }
    for fault, words in expected.items():
        transient = fault in ("html502", "error500")
        # After a transient failure the sync goes on with the cached schema: the push gets the same answer.
        proxy.set_fault(fault, match="/api/" if transient else "/openapi.json")
        result, _ = sync(laptop, limit=30)
        assert result is not None, f"sync hung on a bad API document ({fault})"
        assert result.returncode == 1, (fault, result.stderr)
        assert_clean_failure(result)
        for word in words:
            assert word in result.stderr, (fault, result.stderr)
        assert proxy.requests("/openapi.json", fault), fault
        assert bool(proxy.requests("/_batch", fault)) == transient, f"cached schema used only if transient ({fault})"
        assert pending(laptop) == 6, f"the outbox is kept ({fault})"
        assert len(laptop.tasks()) == before["count"] + 2 - 1, f"the cached schema still reads the cache ({fault})"

    proxy.passthrough()
    report = laptop.json("sync")
    assert (report["accepted"], report["conflicts"], report["rejected"]) == (6, 0, 0), report
    assert_server_has_exactly(server, laptop, created, "Bad document", before)


# (4) The cloud killed with -9 in the middle of a sync


def test_cloud_killed_during_a_large_pull_then_restarted(bin_dir, fixed_cloud, workdir, proxy_for):
    server = Server(fixed_cloud)
    for start in range(0, 1600, 100):
        server.batch("tasks", [{"op": "create", "id": f"bulk-{n:05d}",
                                "body": {"title": f"Bulk {n}", "status": "todo", "priority": n % 5 + 1}}
                               for n in range(start, start + 100)])
    expected = server.records("tasks")
    assert len(expected) == 1612

    proxy = proxy_for(fixed_cloud, keep_alive=False)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, fixed_cloud, proxy, workdir)

    def kill_before_the_second_page(request):
        if "/tasks/_changes" in request.target and len(proxy.requests("/tasks/_changes")) == 1:
            kill_cloud(fixed_cloud)  # the first page is applied, the second one is asked of a dead cloud

    proxy.before_forward = kill_before_the_second_page
    result, _ = sync(laptop, limit=60)
    proxy.before_forward = None
    assert result is not None and result.returncode == 3, result and result.stderr
    assert_clean_failure(result)
    partial = len(local_tasks(laptop))
    assert 0 < partial < len(expected), f"the kill was not mid-pull ({partial} of {len(expected)} applied)"
    # A GET that finds nobody there is retried with backoff (3 attempts) before the sync reports offline.
    assert [e["action"] for e in proxy.requests("/tasks/_changes")] == ["pass"] + ["upstream-down"] * 3

    fixed_cloud.start()
    others = {name: len(server_view) for name, server_view in
              (("projects", Server(fixed_cloud).records("projects")),
               ("announcements", Server(fixed_cloud).records("announcements")))}
    report = laptop.json("sync")
    local = local_tasks(laptop)
    assert set(local) == set(expected), "records lost or extra after the restart"
    # The applied page's cursor was kept: the second sync applies each remaining change once.
    assert report["pulled"] == len(expected) - partial + sum(others.values()), report
    for record_id, record in expected.items():
        assert local[record_id]["version"] == record["version"]
        assert user_fields(local[record_id]) == user_fields(record)


def test_cloud_killed_during_a_push_then_restarted(bin_dir, fixed_cloud, workdir, proxy_for):
    proxy = proxy_for(fixed_cloud, keep_alive=False)
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in_through(laptop, fixed_cloud, proxy, workdir)
    laptop.json("sync")
    server = Server(fixed_cloud)
    before = versions_before(server)
    created = queue_offline_edits(laptop, "Restart", 20)

    def kill_after_the_tasks_batch(request, response):
        if "/tasks/_batch" in request.target:
            kill_cloud(fixed_cloud)  # the tasks batch is committed; its answer is lost with the cloud

    proxy.after_upstream = kill_after_the_tasks_batch
    proxy.set_fault("reset", match="/tasks/_batch", times=1)
    result, _ = sync(laptop, limit=60)
    proxy.after_upstream = None
    assert result is not None and result.returncode == 3, result and result.stderr
    assert_clean_failure(result)
    assert pending(laptop) == 24
    # The lost answer, then two retries (same Idempotency-Key) that find the cloud gone.
    assert [(e["path"], e["action"]) for e in proxy.requests("/_batch")] == [("/api/tasks/_batch", "reset")] + [
        ("/api/tasks/_batch", "upstream-down")] * 2

    fixed_cloud.start()
    server = Server(fixed_cloud)
    assert set(created) <= set(server.records("tasks")), "the tasks batch committed before the kill"
    report = laptop.json("sync")
    assert (report["accepted"], report["conflicts"], report["rejected"]) == (24, 0, 0), report
    assert_server_has_exactly(server, laptop, created, "Restart", before)
