"""The real `handset` TUI in a pseudo-terminal, read through pyte (a VT emulator): reported figures, no asserts.

1. Cold start: process start to the first frame that shows the record list, with every record of the cloud
   already cached on the device (median of 5 starts), and the process's RSS at that moment.
2. Keystroke to frame during the initial sync of a fresh device: `?` and Esc (help on, help off) every 100 ms while
   the status bar says it is syncing; latency from writing the key to the frame that shows it (p50, p95, max).

Used by scripts/bench-client; runnable alone against a cloud whose alice already has the records.
"""

import argparse
import json
import fcntl
import os
import select
import shutil
import statistics
import struct
import subprocess
import termios
import time
from pathlib import Path

import pyte

WIDTH, HEIGHT = 100, 30


class TUI:
    """`handset` in a pty of WIDTH x HEIGHT, its output fed into a pyte screen."""

    def __init__(self, binary, env):
        self.screen = pyte.Screen(WIDTH, HEIGHT)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [binary], stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True)
        os.close(slave)
        self.master = master

    def pump(self, timeout):
        """Feeds what arrives within `timeout` seconds; returns whether anything came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.stream.feed(data)
        return True

    def wait(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return time.monotonic()
            self.pump(0.05)
        raise TimeoutError("the screen never got there:\n" + "\n".join(self.screen.display))

    def text(self):
        return "\n".join(self.screen.display)

    def selected_row(self):
        """The row drawn in reverse video (the list's selection), or None."""
        for y in range(3, HEIGHT - 2):
            line = self.screen.buffer[y]
            if line[2].reverse and line[WIDTH - 3].reverse:
                return y
        return None

    def rss_megabytes(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self):
        os.write(self.master, b"q")
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def device(workdir, name, outputs, binary):
    home = workdir / name
    env = {
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    home.mkdir(parents=True)
    subprocess.run([binary, "config", "import", str(outputs)], env=env, check=True, capture_output=True)
    subprocess.run([binary, "login", "--username", "alice", "--password-stdin"], env=env, check=True,
                   capture_output=True, input="Wonderland-42!\n", text=True)
    return env


def listed(tui):
    return "Bench task" in tui.text() or "Drained" in tui.text()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--outputs", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    binary = str(Path(args.bin) / "handset")
    workdir = Path(args.workdir)

    # 1. Cold start with everything cached.
    env = device(workdir, "cached", args.outputs, binary)
    started = time.monotonic()
    subprocess.run([binary, "sync"], env=env, check=True, capture_output=True, timeout=600)
    status = json.loads(subprocess.run([binary, "status", "--json"], env=env, capture_output=True, text=True).stdout)
    print(f"setup: `handset sync` (a CLI initial sync) took {time.monotonic() - started:.1f} s; "
          f"cached: {status['cached']}")
    starts, rss = [], []
    for _ in range(5):
        tui = TUI(binary, env)
        shown = tui.wait(listed)
        starts.append(shown - tui.started)
        rss.append(tui.rss_megabytes())
        tui.close()
    print(f"cold start to first rendered list ({args.records} cached, real process in a pty): median "
          f"{statistics.median(starts) * 1000:.0f} ms (all: {', '.join(f'{s * 1000:.0f}' for s in starts)} ms); "
          f"RSS {statistics.median(rss):.0f} MB")

    # 2. Keystrokes while a fresh device pulls everything: `?` opens the help overlay, Esc closes it; each key's
    #    latency is the time until the frame shows the change (the overlay's "Keys" title appears or goes).
    env = device(workdir, "fresh", args.outputs, binary)
    tui = TUI(binary, env)
    tui.wait(lambda t: "syncing" in t.text(), timeout=120)
    latencies = []
    sync_started = time.monotonic()
    while "syncing" in tui.text() and len(latencies) < 1000:
        opening = " Keys" not in tui.text()
        sent = time.monotonic()
        os.write(tui.master, b"?" if opening else b"\x1b")
        try:
            shown = tui.wait(lambda t: (" Keys" in t.text()) == opening, timeout=5)
        except TimeoutError:
            break
        latencies.append(shown - sent)
        pause = 0.1 - (time.monotonic() - sent)
        if pause > 0:
            tui.pump(pause)
    tui.wait(lambda t: "syncing" not in t.text(), timeout=600)
    synced = time.monotonic() - sync_started
    tui.close()
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"keystroke to frame during the TUI's initial sync of {args.records} records ({len(latencies)} keys, "
              f"? and Esc toggling help): p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
              f"max {max(latencies) * 1000:.1f} ms; the sync took {synced:.1f} s")
    else:
        print("keystroke to frame: the sync ended before any key could be timed")


if __name__ == "__main__":
    main()
