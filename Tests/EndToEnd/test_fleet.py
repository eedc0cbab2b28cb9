"""A fleet: three `handset-cloud serve` instances on one database behind nginx round-robin (`scripts/fleet`), with
every client (pycognito, boto3, `handset`, plain HTTP) going through nginx, as they would through an ALB.

The instances share a MariaDB database (`serve --database`: a database of its own on the run's server); with
HANDSET_FLEET_BACKEND=sqlite they share one SQLite data directory instead (`scripts/fleet --sqlite`). The end-to-end
pass on SQLite (HANDSET_TEST_BACKEND=sqlite) leaves the module to the pass on MariaDB. One fleet serves the whole
module (one xdist group, so that parallel workers do not start one each).

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
import urllib.parse
import urllib.request
import uuid

import boto3
import pyotp
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from conftest import ROOT, MariaDB, database_name, wait_until
from test_offline_sync import Device

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


pytestmark = pytest.mark.xdist_group("fleet")


def backend():
    chosen = os.environ.get("HANDSET_FLEET_BACKEND")
    if chosen:
        return chosen
    if os.environ.get("HANDSET_TEST_BACKEND") == "sqlite":
        pytest.skip("the fleet runs on MariaDB, in the end-to-end pass on MariaDB (HANDSET_FLEET_BACKEND=sqlite "
                    "runs it on one shared SQLite directory)")
    return "mariadb"


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

    def log_since(self, marks, where=lambda entry: True, until=lambda entries: True, timeout=10):
        """The request-log entries written since `marks` that satisfy `where`, from every instance. An instance
        writes its line after the response has gone (`RequestLogWriter`, off the request path), so this reads
        again until `until(entries)` holds or `timeout` seconds pass, and then answers what it has."""
        deadline = time.monotonic() + timeout
        while True:
            entries = []
            for instance in self.instances:
                entries += [entry for entry in (json.loads(line) for line in
                                                self._lines(instance)[marks.get(instance["id"], 0):]) if where(entry)]
            if until(entries) or time.monotonic() > deadline:
                return entries
            time.sleep(0.05)

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
    chosen = backend()
    directory = tmp_path_factory.mktemp("fleet") / "run"
    instance = Fleet(bin_dir, directory)
    arguments = ["start", "--instances", "3", "--bin", str(bin_dir)]
    if chosen == "sqlite":
        arguments.append("--sqlite")
    else:
        # A database of its own on the run's MariaDB server (HANDSET_TEST_MYSQL_URL, else one for this process).
        server = MariaDB.shared()
        name = database_name(directory)
        server.sql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        arguments += ["--database", server.database_url(name)]
    try:
        instance.script(*arguments)
        first = instance.instances[0]["dataDirectory"]
        instance.outputs_file.write_text(open(os.path.join(first, "amplify_outputs.json")).read())
        yield instance
    finally:
        if (directory / "fleet.json").exists():
            instance.script("stop")
        if chosen != "sqlite":
            server.sql(f"DROP DATABASE IF EXISTS `{name}`")


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
    steps = fleet.log_since(marks, where=lambda entry: entry["function"].startswith("cognito."),
                            until=lambda entries: len(entries) >= 3)
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
    answered_by = {entry["instance"] for entry in fleet.log_since(marks, until=lambda entries: len(entries) >= 6)}
    assert len(answered_by) >= 2, answered_by


def test_admin_operations_through_the_balancer_need_the_fleets_access_key(fleet, pool):
    import configparser

    from botocore import UNSIGNED
    from botocore.config import Config

    credentials = configparser.ConfigParser()
    credentials.read(fleet.info["adminCredentials"])
    key = credentials["default"]

    def client(**kwargs):
        return boto3.client("cognito-idp", endpoint_url=fleet.url, region_name=pool["region"],
                            config=Config(retries={"max_attempts": 1}, **kwargs.pop("config", {})), **kwargs)

    signed = client(aws_access_key_id=key["aws_access_key_id"], aws_secret_access_key=key["aws_secret_access_key"])
    # Each call may reach another instance: every one checks the signature against the same key file.
    for _ in range(3):
        assert signed.admin_get_user(UserPoolId=pool["id"], Username="alice")["Username"] == "alice"
    with pytest.raises(ClientError) as info:
        client(config={"signature_version": UNSIGNED}).admin_get_user(UserPoolId=pool["id"], Username="alice")
    assert info.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"


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
    answered_by = {entry["instance"] for entry in fleet.log_since(
        marks, where=lambda entry: entry["function"].startswith("api."),
        until=lambda entries: len({entry["instance"] for entry in entries}) >= 2)}
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


def test_managed_login_whose_steps_reach_different_instances(fleet, pool):
    """A web sign-in (authorize, the page, its form, the token request) and a device sign-in (polled while the
    person approves) through the balancer: codes, browser sessions and device codes live in the shared storage, so
    each step may reach another instance. A client changed through one instance is in force on every other."""
    from hosted_ui import ScriptedBrowser, authorize_url, claims, csrf, pkce_pair, pool_of, query_of, redeem

    web = pool_of(fleet)
    marks = fleet.log_marks()
    verifier, challenge = pkce_pair()
    redirect = "http://127.0.0.1:47021/callback"
    url, params = authorize_url(fleet, web, redirect, challenge)
    answer = query_of(ScriptedBrowser(fleet.url).sign_in(url, "alice", "Wonderland-42!"))
    assert answer["state"] == params["state"]
    tokens = redeem(fleet, web, answer["code"], redirect, verifier).json()
    assert claims(tokens["id_token"])["cognito:username"] == "alice"
    assert redeem(fleet, web, answer["code"], redirect, verifier).status_code == 400, "a code works once anywhere"
    steps = fleet.log_since(marks, where=lambda entry: entry["function"].startswith(("hostedui.", "oauth2.")),
                            until=lambda entries: len({entry["instance"] for entry in entries}) >= 2)
    assert len({entry["instance"] for entry in steps}) >= 2, steps

    def form(path, fields):
        request = urllib.request.Request(fleet.url + path, data=urllib.parse.urlencode(fields).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, started = form("/oauth2/device_authorization", {"client_id": web["client"], "scope": "openid"})
    assert status == 200, started
    phone = ScriptedBrowser(fleet.url)
    page = phone.sign_in(f"{fleet.url}/device?user_code={started['user_code']}", "bob", "Builder-42!")
    assert "Allow this device?" in page.text, page.text[:500]
    assert phone.post("/device/confirm", {"_csrf": csrf(page.text), "user_code": started["user_code"],
                                          "decision": "allow"}).status_code == 200

    def poll():
        status, answer = form("/oauth2/token", {"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                                                "client_id": web["client"], "device_code": started["device_code"]})
        if status == 200:
            return answer
        assert answer["error"] in ("authorization_pending", "slow_down"), answer
        time.sleep(started["interval"])
        return None

    device_tokens = wait_until(poll, timeout=60, what="the device's tokens")
    assert claims(device_tokens["id_token"])["cognito:username"] == "bob"

    # A callback added through one instance (on loopback: no signature needed) works on the others within seconds.
    first = fleet.instances[0]["url"]
    idp = boto3.client("cognito-idp", endpoint_url=first, region_name=pool["region"], aws_access_key_id="x",
                       aws_secret_access_key="x")
    client = idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=pool["client"])["UserPoolClient"]
    added = "https://fleet-app.example/callback"
    idp.update_user_pool_client(
        UserPoolId=pool["id"], ClientId=pool["client"], ClientName=client["ClientName"],
        ExplicitAuthFlows=client["ExplicitAuthFlows"], CallbackURLs=client["CallbackURLs"] + [added],
        LogoutURLs=client["LogoutURLs"], AllowedOAuthFlows=client["AllowedOAuthFlows"],
        AllowedOAuthScopes=client["AllowedOAuthScopes"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=client["SupportedIdentityProviders"])
    for instance in fleet.instances[1:]:
        target = authorize_url(type("At", (), {"url": instance["url"]}), web, added, challenge)[0]

        def accepted():
            request = urllib.request.Request(target)
            opener = urllib.request.build_opener(NoRedirect())
            try:
                opener.open(request, timeout=10)
            except urllib.error.HTTPError as error:
                return "redirect_mismatch" not in error.headers.get("Location", "redirect_mismatch")
            return False

        wait_until(accepted, timeout=10, what=f"{instance['id']} to accept the new callback")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
