"""A remembered device, end to end in a real terminal (tmux): tina signs in with her authenticator code, the pool
remembers the device, she signs out and in again without a code; once she forgets the device (confirming it), the
code is asked for again. The device secret is kept in a 0600 file and never printed.
"""

import base64
import json
import os
import stat
import subprocess
import time

import pyotp

from conftest import wait_until
from test_cognito_devices import apply_pool

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TINA_PASSWORD = "Authenticator-42!"


def run(bin_dir, env, *args, stdin=None):
    result = subprocess.run([str(bin_dir / "handset"), *args], env=env, input=stdin, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"handset {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


class Shell:
    """An interactive shell in the tmux pane; each command's end is marked on screen."""

    def __init__(self, terminal, bin_dir, env):
        self.terminal = terminal
        self.handset = str(bin_dir / "handset")
        self.count = 0
        terminal.run(["sh"], env)

    def start(self, *args):
        self.count += 1
        self.terminal.type(" ".join([self.handset, *args]) + f"; echo done-{self.count}=$?")
        self.terminal.press("Enter")

    def finished(self, timeout=30.0):
        marker = f"done-{self.count}="
        screen = wait_until(lambda: self.terminal.screen() if marker + "0" in self.terminal.screen()
                            or marker + "1" in self.terminal.screen() or marker + "4" in self.terminal.screen()
                            else None, timeout=timeout, what=marker)
        assert marker + "0" in screen, screen
        return screen

    def clear(self):
        self.terminal.type("clear")
        self.terminal.press("Enter")
        wait_until(lambda: "done-" not in self.terminal.screen(), what="a clear screen")


def access_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def totp_at(offset_steps):
    return pyotp.TOTP(TINA_SECRET).at(time.time() + 30 * offset_steps)


def test_a_remembered_device_signs_in_without_the_code_until_forgotten(bin_dir, cloud, terminal, client_env):
    settings = cloud.read_pool()
    settings["deviceConfiguration"] = {"ChallengeRequiredOnNewDevice": True,
                                       "DeviceOnlyRememberedOnUserPrompt": True}
    apply_pool(cloud, settings)
    run(bin_dir, client_env, "config", "import", str(cloud.outputs_file))
    shell = Shell(terminal, bin_dir, client_env)

    # First sign-in: password, the authenticator code, and (the pool asks the user) remember this device: yes.
    shell.start("login", "--username", "tina")
    terminal.wait_for("Password:")
    terminal.type(TINA_PASSWORD)
    terminal.press("Enter")
    terminal.wait_for("Authenticator app code")
    terminal.type(totp_at(0))
    terminal.press("Enter")
    terminal.wait_for("Remember this device")
    terminal.type("y")
    terminal.press("Enter")
    screen = shell.finished()
    assert "Signed in as tina" in screen

    device_file = os.path.join(client_env["XDG_STATE_HOME"], "handset", "devices", "default.json")
    assert stat.S_IMODE(os.stat(device_file).st_mode) == 0o600
    stored = json.loads(open(device_file).read())["tina"]
    listed = json.loads(run(bin_dir, client_env, "devices", "list", "--json").stdout)
    assert [(entry["deviceKey"], entry["remembered"], entry["thisDevice"]) for entry in listed] == [
        (stored["deviceKey"], True, True)]
    assert stored["secret"] not in json.dumps(listed)

    # Signed out and in again: no code is asked for.
    run(bin_dir, client_env, "logout")
    shell.clear()
    shell.start("login", "--username", "tina")
    terminal.wait_for("Password:")
    terminal.type(TINA_PASSWORD)
    terminal.press("Enter")
    screen = shell.finished()
    assert "Signed in as tina" in screen and "code" not in screen.lower()
    assert stored["secret"] not in screen

    # A refresh names the device (DEVICE_KEY), so the refreshed access token still carries device_key.
    session_file = os.path.join(client_env["XDG_STATE_HOME"], "handset", "sessions", "default.json")
    session = json.loads(open(session_file).read())
    assert access_claims(session["accessToken"]).get("device_key") == stored["deviceKey"]
    session["expiresAt"] = time.time() - 60
    with open(session_file, "w") as file:
        file.write(json.dumps(session))
    run(bin_dir, client_env, "devices", "list", "--json")
    refreshed = json.loads(open(session_file).read())
    assert refreshed["accessToken"] != session["accessToken"], "no refresh happened"
    assert access_claims(refreshed["accessToken"]).get("device_key") == stored["deviceKey"]

    # Forgotten (after a confirmation): the next sign-in asks for the code again.
    shell.clear()
    shell.start("devices", "forget", "--this-device")
    terminal.wait_for("asks for a code")
    terminal.type("y")
    terminal.press("Enter")
    assert "Forgot device" in shell.finished()
    assert json.loads(run(bin_dir, client_env, "devices", "list", "--json").stdout) == []
    run(bin_dir, client_env, "logout")
    shell.clear()
    shell.start("login", "--username", "tina")
    terminal.wait_for("Password:")
    terminal.type(TINA_PASSWORD)
    terminal.press("Enter")
    terminal.wait_for("Authenticator app code")
    terminal.type(totp_at(1))
    terminal.press("Enter")
    terminal.wait_for("Remember this device")
    terminal.type("n")
    terminal.press("Enter")
    assert "Signed in as tina" in shell.finished()
    # Kept but not remembered: the pool lists it so, and the question is not asked again.
    listed = json.loads(run(bin_dir, client_env, "devices", "list", "--json").stdout)
    assert [(entry["remembered"], entry["thisDevice"]) for entry in listed] == [(False, True)]


def test_the_account_screen_lists_devices_and_forgets_one_after_a_confirmation(bin_dir, cloud, terminal, client_env):
    settings = cloud.read_pool()
    settings["deviceConfiguration"] = {"ChallengeRequiredOnNewDevice": True,
                                       "DeviceOnlyRememberedOnUserPrompt": True}
    apply_pool(cloud, settings)
    run(bin_dir, client_env, "config", "import", str(cloud.outputs_file))
    # Without a terminal: the password, then (after --mfa-code) the answer to "remember this device?".
    run(bin_dir, client_env, "login", "--username", "tina", "--password-stdin", "--mfa-code", totp_at(0),
        stdin=TINA_PASSWORD + "\ny\n")
    device_file = os.path.join(client_env["XDG_STATE_HOME"], "handset", "devices", "default.json")
    key = json.loads(open(device_file).read())["tina"]["deviceKey"]

    terminal.run([str(bin_dir / "handset")], client_env)
    terminal.wait_for("● online")
    terminal.press("A")
    screen = terminal.wait_for("(this device)")
    assert "handset  remembered" in screen
    terminal.press("f")
    terminal.wait_for("Forget this device?")
    terminal.press("x")
    terminal.wait_for("Nothing changed")
    assert "(this device)" in terminal.screen()
    terminal.press("f")
    terminal.wait_for("Forget this device?")
    terminal.press("y")
    terminal.wait_for("Device forgotten")
    terminal.wait_for("none remembered")
    assert not os.path.exists(device_file)
    assert json.loads(run(bin_dir, client_env, "devices", "list", "--json").stdout) == []
    assert key not in terminal.screen()
