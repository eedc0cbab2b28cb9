"""Crash matrix: kill -9 the client at named failpoints and at random moments during sync; nothing is lost or
duplicated, and the cache stays sound."""

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from test_offline_sync import Device, sign_in


def integrity(device) -> str:
    path = os.path.join(device.env["XDG_DATA_HOME"], "handset", "default", "cache.sqlite")
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def queue_writes(device, prefix, count):
    ids = []
    for index in range(count):
        created = device.json("put", "tasks", "--no-sync", "--field", f"title={prefix} {index}", "--field", "status=todo")
        ids.append(created["id"])
    return ids


def server_view(bin_dir, cloud, workdir, name):
    """What a fresh device of the same user sees after a full sync: the server's truth."""
    observer = Device(bin_dir, workdir / name)
    sign_in(observer, cloud)
    observer.json("sync")
    return list(observer.tasks().values())


@pytest.mark.parametrize("failpoint", ["push.after-response", "push.after-first-outcome", "pull.before-apply", "pull.after-page"])
def test_kill_at_a_failpoint_then_restart(bin_dir, fixed_cloud, workdir, failpoint):
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in(laptop, fixed_cloud)
    laptop.json("sync")
    laptop.run("put", "tasks", "task-0004", "--no-sync", "--field", "status=done")
    ids = queue_writes(laptop, "Crash", 12)

    env = dict(laptop.env, HANDSET_FAILPOINTS=failpoint)
    crashed = subprocess.run([laptop.binary, "sync"], env=env, capture_output=True, text=True, timeout=60)
    assert crashed.returncode == -signal.SIGKILL, f"{failpoint} was not reached: {crashed.stdout}{crashed.stderr}"
    assert integrity(laptop) == "ok"

    laptop.json("sync")
    assert laptop.json("status")["pending"] == 0
    tasks = server_view(bin_dir, fixed_cloud, workdir, "observer")
    titles = [task["title"] for task in tasks]
    for index in range(12):
        assert titles.count(f"Crash {index}") == 1, f"Crash {index} lost or duplicated after {failpoint}"
    assert {task["id"] for task in tasks} >= set(ids)
    assert next(task for task in tasks if task["id"] == "task-0004")["status"] == "done"


def test_random_kills_during_sync(bin_dir, fixed_cloud, workdir):
    laptop = Device(bin_dir, workdir / "laptop")
    sign_in(laptop, fixed_cloud)
    laptop.json("sync")
    expected = []
    generator = random.Random(20261127)
    for cycle in range(6):
        expected += [f"Cycle {cycle} {index}" for index in range(8)]
        queue_writes(laptop, f"Cycle {cycle}", 8)
        process = subprocess.Popen([laptop.binary, "sync"], env=laptop.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(generator.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert integrity(laptop) == "ok"
    laptop.json("sync")
    assert laptop.json("status")["pending"] == 0
    titles = [task["title"] for task in server_view(bin_dir, fixed_cloud, workdir, "observer")]
    lost = [title for title in expected if title not in titles]
    duplicated = [title for title in expected if titles.count(title) > 1]
    assert (lost, duplicated) == ([], [])
