"""Crash matrix: kill -9 the client at named failpoints and at random moments during sync; nothing is lost or
duplicated, and the cache stays sound."""

import glob
import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import wait_until
from test_offline_sync import Device, sign_in


def integrity(device) -> str:
    """`PRAGMA integrity_check` of the signed-in user's cache (each user has their own, under users/<sub>/)."""
    (path,) = glob.glob(os.path.join(device.env["XDG_DATA_HOME"], "handset", "default", "users", "*", "cache.sqlite"))
    # Read-only: a check must never create the file it checks.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
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

    def cycle(label):
        """Queues eight writes, then starts a sync of them: the process and when it started."""
        expected.extend(f"{label} {index}" for index in range(8))
        queue_writes(laptop, label, 8)
        started = time.monotonic()
        return subprocess.Popen([laptop.binary, "sync"], env=laptop.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL), started

    # How long a whole sync of one cycle's writes takes here, process start to exit (an optimized build on an idle
    # machine takes tens of milliseconds; a debug build under load, seconds): the kills land inside that span.
    spans = []
    for run in range(3):
        process, started = cycle(f"Calibration {run}")
        assert process.wait(timeout=60) == 0
        spans.append(time.monotonic() - started)
    span = sorted(spans)[1]
    interrupted = 0
    attempts = 0
    # Six kills that each interrupt a running sync: one that came after the sync had finished would test nothing.
    while interrupted < 6 and attempts < 30:
        attempts += 1
        process, started = cycle(f"Cycle {attempts}")
        # A random moment in the later part of the span (the first part is the process starting): sending,
        # applying the answers, pulling.
        time.sleep(max(0.0, started + generator.uniform(0.3, 0.95) * span - time.monotonic()))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if process.returncode == -signal.SIGKILL:
            interrupted += 1
        assert integrity(laptop) == "ok"
    print(f"\n{interrupted} of {attempts} kills interrupted a running sync")
    assert interrupted == 6, f"only {interrupted} of {attempts} kills interrupted a running sync"
    laptop.json("sync")
    assert laptop.json("status")["pending"] == 0
    titles = [task["title"] for task in server_view(bin_dir, fixed_cloud, workdir, "observer")]
    lost = [title for title in expected if title not in titles]
    duplicated = [title for title in expected if titles.count(title) > 1]
    assert (lost, duplicated) == ([], [])
