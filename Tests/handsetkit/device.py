"""One installation of `handset`: its own XDG directories, driven through its scriptable commands."""

import json
import subprocess
from pathlib import Path


def device_environment(home: Path, terminal=False) -> dict:
    """The environment of a device whose state lives under `home` (never the real home directory)."""
    home = Path(home)
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_DATA_HOME": str(home / "data"),
        "LANG": "C.UTF-8",
    }
    if terminal:
        env.update({"TERM": "xterm-256color", "LC_ALL": "C.UTF-8"})
    return env


class Device:
    """`handset` commands with one device's directories (`home` is created, or `env` given as is)."""

    def __init__(self, bin_dir, home=None, env=None):
        self.binary = str(Path(bin_dir) / "handset")
        if env is None:
            Path(home).mkdir(parents=True, exist_ok=True)
            env = device_environment(home)
        self.env = env

    def run(self, *args, stdin=None, check=True, timeout=60):
        result = subprocess.run([self.binary, *args], env=self.env, input=stdin, capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(
                f"handset {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def json(self, *args, **kwargs):
        return json.loads(self.run(*args, "--json", **kwargs).stdout)

    def sign_in(self, outputs_file, username, password):
        """Imports the cloud's `amplify_outputs.json` and signs in with a password (no MFA)."""
        self.run("config", "import", str(outputs_file))
        result = self.json("login", "--username", username, "--password-stdin", stdin=password + "\n")
        assert result["username"] == username, result
        return result
