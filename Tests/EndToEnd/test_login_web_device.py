"""`handset login --web` with the test acting as the browser, `handset login --device` in tmux with the test
approving the code on the verification page, and the TUI's "Sign in on another device". One local cloud for the
module; its pool.json is edited while it runs (devices poll every second instead of five), which the cloud picks up.
"""

import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import Cloud, Terminal, wait_until
from hosted_ui import ScriptedBrowser, csrf, pool_of, query_of

# One worker runs the whole module: its tests share one module-scoped server, in order (pytest-xdist loadgroup).
pytestmark = pytest.mark.xdist_group("test_login_web_device")


@pytest.fixture(scope="module")
def cloud(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-web-login-"))
    instance = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    pool = instance.read_pool()
    pool["deviceAuthorization"] = {"intervalSeconds": 1, "lifetimeSeconds": 600}
    instance.write_pool(pool)
    yield instance
    instance.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def device(workdir):
    home = workdir / "home"
    home.mkdir()
    opened = workdir / "opened-urls"
    browser = workdir / "fake-browser"
    # The "browser" records each address handset asks it to open; the test then acts as the browser.
    browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {opened}\n")
    browser.chmod(0o755)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_DATA_HOME": str(home / "data"), "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BROWSER": str(browser)}
    return {"env": env, "opened": opened, "home": home}


def opened_urls(device):
    return device["opened"].read_text().split() if device["opened"].exists() else []


def handset(bin_dir, cloud, device, *arguments, **options):
    return subprocess.Popen([str(bin_dir / "handset"), "--config", str(cloud.outputs_file), *arguments],
                            env=device["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


def test_outputs_describe_managed_login(cloud):
    outputs = json.loads(cloud.outputs_file.read_text())
    oauth = outputs["auth"]["oauth"]
    assert oauth["response_type"] == "code"
    assert oauth["domain"] == cloud.url.split("://")[1]
    assert "http://127.0.0.1/callback" in oauth["redirect_sign_in_uri"]
    assert outputs["custom"]["handset"]["oauth_endpoint"] == cloud.url
    assert outputs["custom"]["handset"]["device_authorization_endpoint"] == cloud.url + "/oauth2/device_authorization"


def test_login_web_end_to_end_and_logout_ends_the_browser_session(bin_dir, cloud, device):
    login = handset(bin_dir, cloud, device, "login", "--web")
    url = wait_until(lambda: next(iter(opened_urls(device)), None), timeout=30, what="handset to open the browser")
    assert url.startswith(cloud.url + "/oauth2/authorize?")
    request = query_of(url)
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert request["redirect_uri"].startswith("http://127.0.0.1:")
    port = int(request["redirect_uri"].split(":")[2].split("/")[0])
    assert port not in (0, 80)

    # Someone else's page reaching the listener first does not end the sign-in.
    stray = ScriptedBrowser(cloud.url).session.get(request["redirect_uri"] + "?code=x&state=forged", timeout=10)
    assert stray.status_code == 400

    browser = ScriptedBrowser(cloud.url)
    callback = browser.sign_in(url, "alice", "Wonderland-42!")
    assert callback.startswith(request["redirect_uri"] + "?")
    landing = browser.session.get(callback, timeout=10)
    assert "The terminal has taken over" in landing.text

    out, err = login.communicate(timeout=30)
    assert login.returncode == 0, err
    assert "Signed in as alice" in out
    assert url in err, "the address is always printed"
    token_file = device["home"] / "state" / "handset" / "sessions" / "default.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    whoami = subprocess.run([str(bin_dir / "handset"), "whoami"], env=device["env"], capture_output=True, text=True,
                            timeout=30)
    assert "alice" in whoami.stdout

    # The browser is signed in to the pool's pages: the next authorize needs no password.
    again = browser.get(url.replace(request["state"], "second"))
    assert again.status_code == 303

    logout = handset(bin_dir, cloud, device, "logout")
    logout_url = wait_until(lambda: next((u for u in opened_urls(device) if "/logout?" in u), None), timeout=30,
                            what="handset to open the sign-out page")
    signed_out = browser.get(logout_url)
    assert signed_out.status_code == 302
    browser.session.get(signed_out.headers["Location"], timeout=10)
    out, err = logout.communicate(timeout=30)
    assert logout.returncode == 0, err
    assert "Signed out" in out and "The browser is signed out too" in err
    assert not token_file.exists()
    after = browser.get(url.replace(request["state"], "third"))
    assert after.status_code == 302 and after.headers["Location"].startswith("/login?")


def test_login_web_refused_by_the_pool_says_why(bin_dir, cloud, device):
    login = handset(bin_dir, cloud, device, "login", "--web", "--provider", "Nobody")
    url = wait_until(lambda: next(iter(opened_urls(device)), None), timeout=30, what="handset to open the browser")
    answer = ScriptedBrowser(cloud.url).get(url)
    assert answer.status_code == 302
    ScriptedBrowser(cloud.url).session.get(answer.headers["Location"], timeout=10)
    out, err = login.communicate(timeout=30)
    assert login.returncode == 4
    assert "refused" in err and "identity_provider" in err


def approve_device_code(cloud, user_code, username="alice", password="Wonderland-42!", decision="allow"):
    browser = ScriptedBrowser(cloud.url)
    page = browser.sign_in(f"{cloud.url}/device?user_code={user_code}", username, password)
    assert not isinstance(page, str), f"the device page sent the browser away, to {page}"
    assert "Allow this device?" in page.text, page.text[:1500]
    done = browser.post("/device/confirm", {"_csrf": csrf(page.text), "user_code": user_code, "decision": decision})
    assert done.status_code == 200


def read_user_code(screen):
    for word in screen.replace("\n", " ").split():
        if len(word) == 9 and word[4] == "-" and word.replace("-", "").isalpha() and word.isupper():
            return word
    return None


def test_login_device_in_tmux(bin_dir, cloud, device):
    terminal = Terminal(width=120, height=50)
    try:
        terminal.run([str(bin_dir / "handset"), "--config", str(cloud.outputs_file), "login", "--device"],
                     device["env"])
        screen = terminal.wait_for("enter the code")
        assert "/device" in screen
        screen = terminal.wait_for("Waiting for approval")
        user_code = wait_until(lambda: read_user_code(terminal.screen()), what="the user code on screen")
        assert "▀" in screen or "▄" in screen or "█" in screen, "a QR code of the complete address"
        approve_device_code(cloud, user_code)
        terminal.wait_for("Signed in as alice", timeout=30)
    finally:
        terminal.close()


def test_login_device_denied_says_so(bin_dir, cloud, device):
    login = handset(bin_dir, cloud, device, "login", "--device")
    user_code = None
    lines = []
    deadline = time.monotonic() + 30
    while user_code is None and time.monotonic() < deadline:
        line = login.stderr.readline()
        lines.append(line)
        user_code = read_user_code(line.upper()) if "enter the code" in line else None
    assert user_code, "".join(lines)
    approve_device_code(cloud, user_code, username="bob", password="Builder-42!", decision="deny")
    out, err = login.communicate(timeout=30)
    assert login.returncode == 4
    assert "denied" in err


def test_tui_offers_another_device_and_esc_cancels(bin_dir, cloud, device):
    terminal = Terminal(width=120, height=45)
    try:
        terminal.run([str(bin_dir / "handset"), "--config", str(cloud.outputs_file)], device["env"])
        screen = terminal.wait_for("Sign in on another device")
        assert "Ctrl-D" in screen
        terminal.press("C-d")
        terminal.wait_for("Scan the code with your phone")
        first = wait_until(lambda: read_user_code(terminal.screen()), what="a user code")
        terminal.press("Escape")
        terminal.wait_for("Username")
        assert read_user_code(terminal.screen()) is None
        terminal.press("C-d")
        terminal.wait_for("Scan the code with your phone")
        second = wait_until(lambda: (lambda code: code if code != first else None)(read_user_code(terminal.screen())),
                            what="a new user code")
        approve_device_code(cloud, second)
        terminal.wait_for("Draft release notes", timeout=30)
        terminal.wait_for("alice")
    finally:
        terminal.close()
