"""A tmux pane of a fixed size running one command, read back as text: the real terminal the TUI is tested in."""

import shlex
import subprocess
import time
import uuid

from .waiting import wait_until


def shlex_quote(value) -> str:
    return shlex.quote(str(value))


class Terminal:
    """A tmux session running one command in a pane of a fixed size, read back as text."""

    def __init__(self, width=100, height=30):
        self.socket = f"handset-e2e-{uuid.uuid4().hex[:8]}"
        self.width = width
        self.height = height
        self.session = "e2e"

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True, text=True)

    def run(self, command: list, env: dict):
        environment = " ".join(f"{key}={shlex_quote(value)}" for key, value in env.items())
        # pytest's readline import sets COLUMNS and LINES in the C environment (not os.environ); curses would take
        # them over the pane's real size, so they are dropped.
        line = f"env -u COLUMNS -u LINES {environment} " + " ".join(shlex_quote(part) for part in command)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", str(self.width),
                  "-y", str(self.height), line)
        self.tmux("set-option", "-t", self.session, "remain-on-exit", "on")
        self.tmux("set-option", "-t", self.session, "escape-time", "0")

    def screen(self) -> str:
        return self.capture()

    def capture(self, escapes=False) -> str:
        """The pane as text (with `escapes`, SGR sequences kept), once two captures a moment apart agree.

        curses writes a frame in several writes and tmux draws each as it arrives, so a single capture can hold half a
        frame: the new title drawn, the fields under it not yet (a story step once read the detail screen's title and
        found no Notes row). Callers read whole frames."""
        args = ["capture-pane", "-p", "-t", self.session] + (["-e"] if escapes else [])
        previous = self.tmux(*args).stdout
        for _ in range(20):
            time.sleep(0.02)
            current = self.tmux(*args).stdout
            if current == previous:
                return current
            previous = current
        return previous

    def wait_for(self, text: str, timeout=20.0) -> str:
        """The screen once it shows `text`. A capture can land while a frame is still being written (the text drawn,
        the rest of that frame not yet), so the text must still be there in a capture a moment later, which is the
        one returned: callers assert on the rest of the frame."""

        def settled():
            if text not in self.screen():
                return None
            time.sleep(0.05)
            later = self.screen()
            return later if text in later else None

        try:
            return wait_until(settled, timeout=timeout, what=f"{text!r} on screen")
        except AssertionError:
            raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def type(self, text: str):
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def press(self, *keys: str):
        self.tmux("send-keys", "-t", self.session, *keys)

    def is_dead(self) -> bool:
        result = self.tmux("display-message", "-p", "-t", self.session, "#{pane_dead}", check=False)
        return result.stdout.strip() == "1"

    def wait_exit(self, timeout=30.0):
        wait_until(self.is_dead, timeout=timeout, what="the program to exit")

    def close(self):
        self.tmux("kill-server", check=False)
