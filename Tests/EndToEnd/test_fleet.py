"""A fleet: three `handset-cloud serve` instances on one database behind nginx round-robin (`scripts/fleet`), with
every client (pycognito, boto3, `handset`, plain HTTP) going through nginx, as they would through an ALB.

The instances share a MariaDB database (`serve --database`) when this build has it, else one SQLite data directory
(`scripts/fleet --sqlite`); HANDSET_FLEET_BACKEND=sqlite|mariadb chooses. One fleet serves the whole module.

What is checked: an SRP sign-in with TOTP whose steps reach different instances; lockout counted across instances;
offline edits synced through the fleet; a long-poll held on one instance woken by a publish through another and by
the admin command; concurrent writers on every instance while change-feed readers follow, through a kill -9 of one
instance and a rolling restart, with a Jepsen-style set check (every acknowledged write seen exactly once by every
reader, nothing unacknowledged, nothing duplicated by retries).
"""

import collections
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pyotp
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from conftest import ROOT, wait_until
from test_offline_sync import Device

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def backend(bin_dir):
    chosen = os.environ.get("HANDSET_FLEET_BACKEND")
    if chosen:
        return chosen
    help_text = subprocess.run([str(bin_dir / "handset-cloud"), "serve", "--help"], capture_output=True,
                               text=True).stdout
    return "mariadb" if "--database" in help_text else "sqlite"


class Fleet:
    def __init__(self, bin_dir, directory):
        self.bin_dir = bin_dir
        self.directory = directory

    def script(self, *args, timeout=180):
        result = subprocess.run([str(ROOT / "scripts" / "fleet"), *args, "--dir", str(self.directory)],
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"scripts/fleet {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    @property
    def info(self):
        return json.loads((self.directory / "fleet.json").read_text())

    @property
    def url(self):
        # Read once: `scripts/fleet restart` rewrites fleet.json while writers run.
        if not hasattr(self, "_url"):
            self._url = self.info["url"]
        return self._url

    @property
    def instances(self):
        return self.info["instances"]

    @property
    def outputs_file(self):
        """The first instance's `amplify_outputs.json` (every instance's names the balancer)."""
        return self.directory / "instance-1" / "amplify_outputs.json"

    @property
    def outputs(self):
        return json.loads(self.outputs_file.read_text())

    def log_marks(self):
        """How many request-log lines each instance has written so far."""
        return {instance["id"]: len(self._lines(instance)) for instance in self.instances}

    def log_since(self, marks):
        """The request-log entries written since `marks`, from every instance."""
        entries = []
        for instance in self.instances:
            entries += [json.loads(line) for line in self._lines(instance)[marks.get(instance["id"], 0):]]
        return entries

    @staticmethod
    def _lines(instance):
        try:
            with open(instance["requestLog"]) as file:
                return [line for line in file.read().splitlines() if line.startswith("{")]
        except FileNotFoundError:
            return []


def http(method, url, body=None, token=None, headers=None, timeout=30):
    """(status, parsed JSON or None); status None when the connection failed."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **({"Authorization": token} if token else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text) if text else None
        except ValueError:
            return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, None


@pytest.fixture(scope="module")
def fleet(bin_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("fleet") / "run"
    instance = Fleet(bin_dir, directory)
    arguments = ["start", "--instances", "3", "--bin", str(bin_dir)]
    if backend(bin_dir) == "sqlite":
        arguments.append("--sqlite")
    instance.script(*arguments)
    try:
        first = instance.instances[0]["dataDirectory"]
        instance.outputs_file.write_text(open(os.path.join(first, "amplify_outputs.json")).read())
        yield instance
    finally:
        instance.script("stop")


@pytest.fixture(scope="module")
def pool(fleet):
    auth = fleet.outputs["auth"]
    return {"id": auth["user_pool_id"], "client": auth["user_pool_client_id"], "region": auth["aws_region"]}


def id_token(fleet, pool, username, password):
    status, answer = http("POST", fleet.url + "/", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": pool["client"],
        "AuthParameters": {"USERNAME": username, "PASSWORD": password}},
        headers={"Content-Type": "application/x-amz-json-1.1",
                 "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth"})
    assert status == 200, answer
    return answer["AuthenticationResult"]["IdToken"]


@pytest.fixture(scope="module")
def tina(fleet, pool):
    """tina signed in once for the module (SRP, then TOTP: a code may be used only once), and the request-log
    entries of her sign-in."""
    marks = fleet.log_marks()
    user = Cognito(pool["id"], pool["client"], user_pool_region=pool["region"], username="tina",
                   boto3_client_kwargs={"endpoint_url": fleet.url, "aws_access_key_id": "x",
                                        "aws_secret_access_key": "x"})
    with pytest.raises(SoftwareTokenMFAChallengeException):
        user.authenticate(password="Authenticator-42!")
    user.respond_to_software_token_mfa_challenge(pyotp.TOTP(TINA_SECRET).now())
    steps = [entry for entry in fleet.log_since(marks) if entry["function"].startswith("cognito.")]
    return user, steps


def periodic_runs(fleet):
    """`handset_periodic_runs_total` by task, summed over the instances."""
    totals = collections.Counter()
    for instance in fleet.instances:
        with urllib.request.urlopen(instance["url"] + "/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith("handset_periodic_runs_total{"):
                    task = line.split('task="', 1)[1].split('"', 1)[0]
                    totals[task] += float(line.rsplit(" ", 1)[1])
    return totals


def test_periodic_work_runs_once_per_interval_across_the_fleet(fleet):
    # First in the module: no instance has restarted yet. Each instance runs its timers at start; within the
    # hour-long intervals of the lifecycle rule and the notification purge only one of the three may do the work.
    totals = wait_until(lambda: (lambda t: t if t["object lifecycle"] and t["notification retention"] else None)(
        periodic_runs(fleet)), timeout=20, what="the first runs of the periodic work")
    assert totals["object lifecycle"] == 1 and totals["notification retention"] == 1, totals


def test_an_srp_sign_in_with_totp_whose_steps_reach_different_instances(fleet, pool, tina):
    user, steps = tina
    # Verified by pycognito against the JWKS, fetched through the balancer from whichever instance.
    claims = user.verify_token(user.id_token, "id_token", "id")
    assert claims["cognito:groups"] == ["admins"]
    assert claims["iss"] == f"{fleet.url}/{pool['id']}"
    assert [step["function"] for step in steps] == [
        "cognito.InitiateAuth", "cognito.RespondToAuthChallenge", "cognito.RespondToAuthChallenge"]
    assert len({step["instance"] for step in steps}) >= 2, steps


def test_lockout_counts_failures_across_instances(fleet, pool):
    idp = boto3.client("cognito-idp", endpoint_url=fleet.url, region_name=pool["region"], aws_access_key_id="x",
                       aws_secret_access_key="x")

    def attempt(password):
        with pytest.raises(ClientError) as info:
            idp.initiate_auth(AuthFlow="USER_PASSWORD_AUTH", ClientId=pool["client"],
                              AuthParameters={"USERNAME": "emma", "PASSWORD": password})
        return info.value.response["Error"]

    marks = fleet.log_marks()
    for _ in range(5):
        assert attempt("Not-her-password-1")["Message"] == "Incorrect username or password."
    # The fifth failure locked her, whichever instance counted which failure: the right password is refused now.
    assert attempt("Envelope-42!")["Message"] == "Password attempts exceeded"
    answered_by = {entry["instance"] for entry in fleet.log_since(marks)}
    assert len(answered_by) >= 2, answered_by


def test_a_long_poll_on_one_instance_wakes_for_a_publish_through_another_and_for_the_admin_command(
        fleet, pool, tina):
    alice = id_token(fleet, pool, "alice", "Wonderland-42!")
    admin = tina[0].id_token
    first, second, third = (instance["url"] for instance in fleet.instances)
    topic = f"fleet-{uuid.uuid4().hex[:8]}"
    assert http("POST", second + "/api/_topics", {"name": topic}, admin)[0] == 201
    assert http("POST", second + f"/api/_topics/{topic}/subscriptions", {"user": "alice"}, admin)[0] in (200, 201)
    status, page = http("GET", first + "/api/_inbox", token=alice)
    assert status == 200, page

    def held_poll(base, cursor, answer):
        started = time.monotonic()
        answer["page"] = http("GET", base + f"/api/_inbox?since={cursor}&wait=20", token=alice, timeout=60)
        answer["seconds"] = time.monotonic() - started

    def waiting(base):
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
            return "handset_inbox_long_polls_waiting 1" in response.read().decode()

    # Held on the first instance; published through the second.
    answer = {}
    poll = threading.Thread(target=held_poll, args=(first, page["cursor"], answer))
    poll.start()
    wait_until(lambda: waiting(first), timeout=10, what="the poll to be held on the first instance")
    published_at = time.monotonic()
    status, published = http("POST", second + f"/api/_topics/{topic}/publish", {"title": "Across", "body": "b"}, admin)
    assert status == 200 and published["delivered"] == 1, published
    poll.join(timeout=40)
    status, woken = answer["page"]
    assert status == 200 and [item["title"] for item in woken["items"]] == ["Across"]
    # Woken, not answered at the end of its 20 s wait (the margin is for a loaded machine).
    assert answer["seconds"] < 10, answer
    print(f"\nfleet: publish through another instance to a woken poll: {time.monotonic() - published_at:.3f} s")

    # Held on the third instance; written by the admin command straight into the storage.
    answer = {}
    poll = threading.Thread(target=held_poll, args=(third, woken["cursor"], answer))
    poll.start()
    wait_until(lambda: waiting(third), timeout=10, what="the poll to be held on the third instance")
    published_at = time.monotonic()
    subprocess.run([str(fleet.bin_dir / "handset-cloud"), "notify", *fleet.info["storageArguments"], "--user",
                    "alice", "--title", "From the command"], check=True, capture_output=True, timeout=60)
    poll.join(timeout=40)
    status, woken = answer["page"]
    assert status == 200 and [item["title"] for item in woken["items"]] == ["From the command"]
    assert answer["seconds"] < 10, answer
    print(f"fleet: the admin command to a woken poll: {time.monotonic() - published_at:.3f} s")


def test_offline_edits_sync_through_the_fleet(fleet, tmp_path):
    laptop = Device(fleet.bin_dir, tmp_path / "laptop")
    laptop.run("config", "import", str(fleet.outputs_file))
    marks = fleet.log_marks()
    # An SRP sign-in through the balancer: its steps reach different instances.
    assert laptop.json("login", "--username", "bob", "--password-stdin", stdin="Builder-42!\n")["username"] == "bob"
    laptop.json("sync")
    before = laptop.tasks()

    fleet.script("balancer", "stop")
    try:
        assert laptop.run("put", "tasks", "--field", "title=Written offline", "--field", "status=todo",
                          check=False).returncode == 3
        edited = next(iter(before))
        assert laptop.run("put", "tasks", edited, "--field", "status=done", check=False).returncode == 3
        assert laptop.json("status")["pending"] == 2
    finally:
        fleet.script("balancer", "start")
    report = wait_until(lambda: (lambda r: r if r.returncode == 0 else None)(laptop.run("sync", "--json", check=False)),
                        timeout=20, what="the fleet to be reachable again")
    assert json.loads(report.stdout)["accepted"] == 2
    assert laptop.json("status")["pending"] == 0

    phone = Device(fleet.bin_dir, tmp_path / "phone")
    phone.run("config", "import", str(fleet.outputs_file))
    phone.json("login", "--username", "bob", "--password-stdin", stdin="Builder-42!\n")
    phone.json("sync")
    tasks = phone.tasks()
    assert [task["title"] for task in tasks.values()].count("Written offline") == 1
    assert tasks[edited]["status"] == "done"
    answered_by = {entry["instance"] for entry in fleet.log_since(marks) if entry["function"].startswith("api.")}
    assert len(answered_by) >= 2, answered_by


def test_writers_and_feed_readers_through_a_kill_and_a_rolling_restart(fleet, pool):
    """Jepsen-style: record what was acknowledged, read back what each reader observed, and compare."""
    token = id_token(fleet, pool, "alice", "Wonderland-42!")
    prefix = f"set-{uuid.uuid4().hex[:8]}-"

    def feed_end():
        cursor = ""
        while True:
            status, page = http("GET", fleet.url + f"/api/tasks/_changes?since={cursor}&limit=500", token=token)
            assert status == 200, page
            cursor = page["cursor"]
            if not page["hasMore"]:
                return cursor

    start = feed_end()
    lock = threading.Lock()
    acknowledged = {}  # id -> title
    retried = collections.Counter()
    refused = []
    stop_writing = threading.Event()
    writers_done = threading.Event()

    def writer(number):
        count = 0
        while not stop_writing.is_set():
            title = f"{prefix}{number}-{count}"
            key = str(uuid.uuid4())
            while True:
                status, record = http("POST", fleet.url + "/api/tasks", {"title": title, "status": "todo"}, token,
                                      headers={"Idempotency-Key": key}, timeout=30)
                if status in (200, 201):
                    with lock:
                        acknowledged[record["id"]] = title
                    break
                if status in (None, 502, 503, 504):
                    # The instance died or is draining: the same request again, under the same key.
                    with lock:
                        retried[status] += 1
                    time.sleep(0.05)
                    continue
                with lock:
                    refused.append((status, record))
                break
            count += 1
            time.sleep(0.01)

    observations = {}

    def reader(number):
        seen = collections.Counter()
        cursor = start
        deadline = None
        while True:
            status, page = http("GET", fleet.url + f"/api/tasks/_changes?since={cursor}&limit=200", token=token)
            if status != 200:
                time.sleep(0.05)
                continue
            for item in page["items"]:
                if item.get("title", "").startswith(prefix):
                    seen[item["id"]] += 1
            cursor = page["cursor"]
            if page["hasMore"]:
                continue
            if writers_done.is_set():
                deadline = deadline or time.monotonic() + 60
                with lock:
                    caught_up = set(acknowledged) <= set(seen)
                if caught_up or time.monotonic() > deadline:
                    break
            time.sleep(0.05)
        observations[number] = seen

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    readers = [threading.Thread(target=reader, args=(n,)) for n in range(2)]
    for thread in writers + readers:
        thread.start()

    def acknowledged_count():
        with lock:
            return len(acknowledged)

    try:
        wait_until(lambda: acknowledged_count() >= 30, timeout=60, what="30 acknowledged writes")
        fleet.script("kill", "2")
        at_kill = acknowledged_count()
        # Clients carry on through the other instances.
        wait_until(lambda: acknowledged_count() >= at_kill + 30, timeout=60, what="writes with an instance dead")
        fleet.script("launch", "2")
        fleet.script("restart")
        after_restart = acknowledged_count()
        wait_until(lambda: acknowledged_count() >= after_restart + 30, timeout=60, what="writes after the restart")
    finally:
        stop_writing.set()
        for thread in writers:
            thread.join(timeout=60)
        writers_done.set()
        for thread in readers:
            thread.join(timeout=120)

    assert not refused, refused[:5]
    acknowledged_ids = set(acknowledged)
    titles = list(acknowledged.values())
    assert len(titles) == len(set(titles)), "a retried create made a second record"
    for number, seen in observations.items():
        missing = acknowledged_ids - set(seen)
        duplicated = {record: count for record, count in seen.items() if count > 1}
        unexpected = set(seen) - acknowledged_ids
        assert not missing, f"reader {number} never saw {len(missing)} acknowledged writes"
        assert not duplicated, f"reader {number} saw writes more than once: {list(duplicated.items())[:5]}"
        assert not unexpected, f"reader {number} saw {len(unexpected)} writes nobody was told of"
    assert len(observations) == 2

    # After the kill and the restart every acknowledged write is still there, once, for a fresh reader.
    stored = collections.Counter()
    cursor = start
    while True:
        status, page = http("GET", fleet.url + f"/api/tasks/_changes?since={cursor}&limit=1000", token=token)
        assert status == 200, page
        for item in page["items"]:
            if item.get("title", "").startswith(prefix):
                stored[item["id"]] += 1
        cursor = page["cursor"]
        if not page["hasMore"]:
            break
    assert set(stored) == acknowledged_ids and max(stored.values()) == 1
    print(f"\nfleet: {len(acknowledged_ids)} acknowledged writes, each seen once by 2 readers; "
          f"retries after a dead or draining instance: {dict(retried)}")
