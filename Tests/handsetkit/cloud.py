"""Starting `handset-cloud serve` and knowing when it listens.

`serve --ready-file PATH` writes PATH atomically (a temporary file renamed into place) once the server listens:
`{"url": "http://127.0.0.1:PORT", "port": PORT, "pid": PID, "outputsFile": ..., "userPoolId": ...,
"userPoolClientId": ...}`. Waiting for that file replaces reading the first line of the log.
"""

import json
import os
import subprocess
import uuid
from pathlib import Path

from .waiting import wait_until


class ServedCloud:
    """A running `handset-cloud serve`: its process, where it answers, and its output (one log file)."""

    def __init__(self, process: subprocess.Popen, ready: dict, log_path: Path, log_file):
        self.process = process
        self.ready = ready
        self.url = ready["url"]
        self.port = ready["port"]
        self.log_path = log_path
        self._log_file = log_file

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL after `timeout` seconds; returns the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file and not self._log_file.closed:
            self._log_file.close()
        return self.process.returncode


def serve(binary, arguments, work_dir, timeout=60.0, env=None, name="cloud") -> ServedCloud:
    """Starts `binary serve <arguments> --ready-file <file>` with its output in `<work_dir>/<name>-<id>.out`, and
    returns once it listens; fails with the output when it exits first or does not listen within `timeout`."""
    work_dir = Path(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:6]
    log_path = work_dir / f"{name}-{tag}.out"
    ready_path = work_dir / f"{name}-{tag}.ready.json"
    log_file = open(log_path, "w")
    process = subprocess.Popen([str(binary), "serve", *map(str, arguments), "--ready-file", str(ready_path)],
                               stdout=log_file, stderr=subprocess.STDOUT, env=env)

    def ready():
        if ready_path.exists():
            return json.loads(ready_path.read_text())
        if process.poll() is not None:
            log_file.close()
            raise AssertionError(f"handset-cloud exited ({process.returncode}): {log_path.read_text()}")
        return None

    try:
        document = wait_until(ready, timeout=timeout, what="handset-cloud to listen")
    except AssertionError:
        if process.poll() is None:
            process.kill()
            process.wait()
        raise
    os.unlink(ready_path)
    return ServedCloud(process, document, log_path, log_file)
