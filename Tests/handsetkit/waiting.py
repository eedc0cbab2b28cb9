"""Waiting until something is true (never a fixed sleep), and free ports."""

import socket
import time


def wait_until(predicate, timeout=20.0, interval=0.05, what="condition"):
    """Polls `predicate` until it returns a truthy value, and returns that; fails with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    """A TCP port nobody listens on right now, for a server that must come back on the same address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
