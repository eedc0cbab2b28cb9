"""The scriptable commands with more than one person, refused writes, and the rough edges of issue #11.

Two demo users take turns on one profile of one device: each finds their own cache and pending edits, and nothing of
one is shown or sent under the other's session. `put` says what became of a write, with an exit code per outcome.
"""

import json
import select
import shutil
import subprocess

import pyotp

from test_offline_sync import Device, sign_in
from conftest import storage_args

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def login(device, username, password, *extra):
    result = device.json("login", "--username", username, "--password-stdin", *extra, stdin=password + "\n")
    assert result["username"] == username


def login_tina(device):
    """tina has TOTP; a code used a moment ago is refused as a replay, so the next time step is tried too."""
    import time

    for _ in range(2):
        result = device.run("login", "--username", "tina", "--password-stdin", "--mfa-code",
                            pyotp.TOTP(TINA_SECRET).now(), stdin="Authenticator-42!\n", check=False)
        if result.returncode == 0:
            return
        time.sleep(31 - time.time() % 30)
    raise AssertionError(f"tina could not sign in: {result.stderr}")


def test_two_users_take_turns_on_one_profile(bin_dir, fixed_cloud, workdir):
    device = Device(bin_dir, workdir / "shared")
    sign_in(device, fixed_cloud)  # alice
    device.json("sync")
    alice_ids = set(device.tasks())
    assert "task-0001" in alice_ids
    # An edit alice leaves pending, and signs out.
    device.run("put", "tasks", "task-0001", "--no-sync", "--field", "title=Alice's unsent edit")
    assert device.json("status")["pending"] == 1
    device.run("logout")
    assert device.run("ls", "tasks", check=False).returncode == 4, "nobody signed in: no one's cache is shown"

    # The username as a word, as well as with --username.
    assert device.json("login", "bob", "--password-stdin", stdin="Builder-42!\n")["username"] == "bob"
    listed = device.run("ls", "tasks", "--json")
    assert json.loads(listed.stdout) == [], "bob sees none of alice's records"
    assert "nothing of tasks is cached for bob yet: run `handset sync`" in listed.stderr
    assert device.json("status")["pending"] == 0, "alice's pending edit is not bob's"
    report = device.json("sync")
    assert report["accepted"] == 0, "alice's edit is never sent under bob's session"
    bob_ids = set(device.tasks())
    assert bob_ids and not (bob_ids & alice_ids)
    assert device.run("get", "tasks", "task-0001", check=False).returncode == 1

    # The server never got alice's unsent edit.
    phone = Device(bin_dir, workdir / "phone")
    sign_in(phone, fixed_cloud)
    phone.json("sync")
    assert phone.tasks()["task-0001"]["title"] == "Draft release notes"

    # Alice comes back: her cache and her pending edit are as she left them, and now it is sent.
    device.run("logout")
    login(device, "alice", "Wonderland-42!")
    assert set(device.tasks()) == alice_ids
    assert device.tasks()["task-0001"]["title"] == "Alice's unsent edit"
    assert device.json("status")["pending"] == 1
    assert device.json("sync")["accepted"] == 1
    phone.json("sync")
    assert phone.tasks()["task-0001"]["title"] == "Alice's unsent edit"

    # Each user's cache has a folder of its own under the profile.
    users = workdir / "shared" / "data" / "handset" / "default" / "users"
    assert len([path for path in users.iterdir() if (path / "cache.sqlite").exists()]) == 2


def test_a_cache_from_before_per_user_caches_stays_with_its_user(bin_dir, fixed_cloud, workdir):
    device = Device(bin_dir, workdir / "device")
    sign_in(device, fixed_cloud)
    device.json("sync")
    device.run("put", "tasks", "task-0004", "--no-sync", "--field", "status=doing")
    profile = workdir / "device" / "data" / "handset" / "default"
    (alice_folder,) = list((profile / "users").iterdir())
    # Lay the cache out as older versions did: one file per profile.
    shutil.move(str(alice_folder / "cache.sqlite"), str(profile / "cache.sqlite"))
    shutil.rmtree(profile / "users")

    # Signed in as alice: it is hers.
    assert device.tasks()["task-0004"]["_syncState"] == "pending"
    assert not (profile / "cache.sqlite").exists()

    # Laid out the old way again, with nobody signed in: bob does not get it, alice does.
    device.run("logout")
    (alice_folder,) = list((profile / "users").iterdir())
    shutil.move(str(alice_folder / "cache.sqlite"), str(profile / "cache.sqlite"))
    shutil.rmtree(profile / "users")
    status = device.run("status")
    assert "waits for its user" in status.stderr
    login(device, "bob", "Builder-42!")
    assert device.json("ls", "tasks") == []
    device.run("logout")
    login(device, "alice", "Wonderland-42!")
    assert device.tasks()["task-0004"]["_syncState"] == "pending"
    assert device.json("status")["pending"] == 1


def test_put_says_what_became_of_the_write(bin_dir, fixed_cloud, workdir):
    admin = Device(bin_dir, workdir / "admin")
    admin.run("config", "import", str(fixed_cloud.outputs_file))
    login_tina(admin)
    admin.json("sync")
    created = admin.run("put", "announcements", "--field", "title=Office closed Friday", "--field", "severity=info",
                        "--field", "publishedAt=2026-12-01T09:00:00Z", "--json")
    announcement = json.loads(created.stdout)
    assert announcement["_result"] == "synced"

    bob = Device(bin_dir, workdir / "bob")
    sign_in(bob, fixed_cloud, "bob", "Builder-42!")
    bob.json("sync")
    # Creating where no rule lets him: refused before anything is saved.
    denied = bob.run("put", "announcements", "--field", "title=Hello", "--field", "publishedAt=2026-12-01T09:00:00Z",
                     check=False)
    assert denied.returncode == 6, denied.stderr
    assert "forbidden (the API's access rules): Only members of admins may create announcements" in denied.stderr
    assert bob.json("status")["pending"] == 0

    # Changing one: the server refuses (403), and says so.
    forbidden = bob.run("put", "announcements", announcement["id"], "--field", "title=Bob was here", check=False)
    assert forbidden.returncode == 6, forbidden.stdout + forbidden.stderr
    assert "forbidden:" in forbidden.stdout
    refused = bob.json("refused")
    assert [(r["id"], r["status"]) for r in refused] == [(announcement["id"], 403)]
    assert bob.run("sync", check=False).returncode == 2, "a refusal waits for the person"
    assert "1 refused" in bob.run("sync", check=False).stdout
    bob.run("refused", "discard", "announcements", announcement["id"])
    assert bob.json("refused") == []
    assert bob.run("sync").returncode == 0, "settled: sync exits 0 again"
    assert bob.json("get", "announcements", announcement["id"])["title"] == "Office closed Friday"

    # A conflict: exit 2, and it says so.
    laptop = Device(bin_dir, workdir / "laptop")
    phone = Device(bin_dir, workdir / "phone")
    for device in (laptop, phone):
        sign_in(device, fixed_cloud)
        device.json("sync")
    assert "synced" in phone.run("put", "tasks", "task-0006", "--field", "status=done").stdout
    conflict = laptop.run("put", "tasks", "task-0006", "--field", "status=doing", check=False)
    assert conflict.returncode == 2, conflict.stdout + conflict.stderr
    assert "conflict" in conflict.stdout


def test_rough_edges_of_the_commands(bin_dir, fixed_cloud, workdir):
    device = Device(bin_dir, workdir / "device")
    outputs = str(fixed_cloud.outputs_file)

    # One username, given once.
    twice = device.run("login", "alice", "--username", "bob", "--password-stdin", stdin="x\n", check=False)
    assert twice.returncode == 64 and "two usernames given" in twice.stderr, twice.stderr
    # Profile options before the subcommand's name work as after it.
    assert device.run("--config", outputs, "whoami", check=False).returncode == 4
    # A broken outputs file says which key, not a DecodingError.
    broken = workdir / "broken.json"
    broken.write_text(json.dumps({"version": "1.3", "auth": {"aws_region": "us-east-1"}}))
    answer = device.run("--config", str(broken), "whoami", check=False)
    assert answer.returncode != 0
    assert "the key user_pool_id is missing in auth" in answer.stderr, answer.stderr
    assert "DecodingError" not in answer.stderr and "keyNotFound" not in answer.stderr

    sign_in(device, fixed_cloud)
    # Another backend's file does not silently repoint the saved profile.
    other = workdir / "other.json"
    data = json.loads(fixed_cloud.outputs_file.read_text())
    data["auth"]["user_pool_id"] = "us-east-1_Other"
    other.write_text(json.dumps(data))
    repointed = device.run("--config", str(other), "whoami", check=False)
    assert repointed.returncode == 64, repointed.stderr
    assert "--profile" in repointed.stderr
    assert device.json("whoami")["username"] == "alice", "the default profile still points where it did"
    device.run("--config", str(other), "--profile", "other", "status")

    # The full-screen app refuses a pipe instead of writing escape codes into it.
    piped = subprocess.run([device.binary], env=device.env, input="", capture_output=True, text=True, timeout=30)
    assert piped.returncode == 64
    assert "needs a terminal" in piped.stderr
    assert "\x1b" not in piped.stdout

    device.json("sync")
    # --limit says when it cut the list.
    limited = device.run("ls", "tasks", "--limit", "2")
    assert len(limited.stdout.strip().splitlines()) == 3  # the header and two records
    assert "showing the first 2 of" in limited.stderr
    # get on a collection the API does not have says so.
    unknown = device.run("get", "tsks", "task-0001", check=False)
    assert unknown.returncode == 64
    assert 'no collection "tsks"' in unknown.stderr and "sync" not in unknown.stderr
    # Bad input found while running says what is wrong, not the top command's usage.
    for arguments, message in ((("put", "tasks", "--field", "bogus=1"), 'tasks has no field "bogus"'),
                               (("put", "tasks", "--field", "title"), "--field takes name=value"),
                               (("ls", "tsks"), 'no collection "tsks"')):
        refused = device.run(*arguments, check=False)
        assert refused.returncode == 64, refused.stderr
        assert refused.stderr.startswith("handset: ") and message in refused.stderr, refused.stderr
        assert "Usage: handset <subcommand>" not in refused.stderr, refused.stderr

    # Other people's control characters never reach the terminal.
    hostile = "Pay now \x1b]0;pwned\x07\x1b[2J\x9b31m"
    created = device.json("put", "tasks", "--field", f"title={hostile}", "--field", "status=todo")
    for output in (device.run("ls", "tasks").stdout, device.run("get", "tasks", created["id"]).stdout):
        assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
        assert "Pay now ^[]0;pwned^G^[[2J?31m" in output
    subprocess.run(
        [str(bin_dir / "handset-cloud"), "notify", *storage_args(fixed_cloud.data_dir), "--user", "alice",
         "--title", "Hi \x1b[31mred", "--body", "line one\nline \x1b]8;;http://x\x07two"],
        check=True, capture_output=True, timeout=30)
    inbox = device.run("inbox").stdout
    assert "\x1b" not in inbox and "\x07" not in inbox
    assert "Hi ^[[31mred" in inbox
    # --json is one document: an array.
    items = json.loads(device.run("inbox", "--json").stdout)
    assert isinstance(items, list) and items[-1]["title"] == "Hi \x1b[31mred"


def test_an_empty_inbox_is_an_empty_array_and_follow_writes_through_a_pipe(bin_dir, fixed_cloud, workdir):
    device = Device(bin_dir, workdir / "device")
    sign_in(device, fixed_cloud, "bob", "Builder-42!")
    assert json.loads(device.run("inbox", "--json").stdout) == []

    followers = [
        subprocess.Popen([device.binary, "inbox", "--follow", "--json"], env=device.env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        subprocess.run(
            [str(bin_dir / "handset-cloud"), "notify", *storage_args(fixed_cloud.data_dir), "--user", "bob",
             "--title", "Build finished"],
            check=True, capture_output=True, timeout=30)
        for follower in followers:
            # Each line reaches the pipe as it arrives; a second follower is not locked out of the cache.
            ready, _, _ = select.select([follower.stdout], [], [], 30)
            assert ready, "nothing reached the pipe within 30 s"
            line = follower.stdout.readline()
            assert json.loads(line)["title"] == "Build finished"
    finally:
        for follower in followers:
            follower.terminate()
            follower.wait(timeout=10)
        for follower in followers:
            assert "database is locked" not in follower.stderr.read()


def test_a_wrong_mfa_code_says_one_thing(bin_dir, fixed_cloud, workdir):
    device = Device(bin_dir, workdir / "device")
    device.run("config", "import", str(fixed_cloud.outputs_file))
    wrong = device.run("login", "--username", "tina", "--password-stdin", "--mfa-code", "000000",
                       stdin="Authenticator-42!\n", check=False)
    assert wrong.returncode == 4
    lines = [line for line in wrong.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, wrong.stderr
    assert "none was given" not in wrong.stderr
    assert wrong.stdout == ""
