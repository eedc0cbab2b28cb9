"""The walking skeleton as a user walks it: sign in, see the list, quit, lose the cloud, come back offline."""

import json
import stat

from conftest import wait_until


def test_sign_in_shows_the_list_then_the_cache_offline(bin_dir, cloud, terminal, client_env, workdir):
    outputs = json.loads(cloud.outputs_file.read_text())
    assert outputs["auth"]["user_pool_id"].startswith(outputs["auth"]["aws_region"] + "_")
    assert outputs["custom"]["handset"]["cognito_endpoint"].startswith(cloud.url)

    handset = str(bin_dir / "handset")
    terminal.run([handset, "--config", str(cloud.outputs_file)], client_env)
    terminal.wait_for("Username")

    # A wrong password is refused inline, and the form stays usable.
    terminal.type("alice")
    terminal.press("Tab")
    terminal.type("not-the-password")
    terminal.press("Enter")
    terminal.wait_for("Incorrect username or password")

    terminal.type("Wonderland-42!")
    terminal.press("Enter")
    screen = terminal.wait_for("Draft release notes")
    terminal.wait_for("● online")
    screen = terminal.screen()
    assert "Bob:" not in screen, "another user's records must never show"
    assert "alice" in screen

    # The session is cached privately, and no secret is on screen.
    token_file = workdir / "home" / "state" / "handset" / "sessions" / "default.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700
    assert "Wonderland-42!" not in screen

    terminal.press("q")
    terminal.wait_exit()
    terminal.close()

    # The cloud goes away; the app still starts from the saved profile and shows the cached list, offline.
    cloud.stop()
    from conftest import Terminal

    offline = Terminal()
    try:
        offline.run([handset], client_env)
        offline.wait_for("Draft release notes")
        screen = offline.wait_for("offline")
        assert "Bob:" not in screen
        offline.press("q")
        offline.wait_exit()
    finally:
        offline.close()


def test_a_bad_config_file_is_a_clear_error(bin_dir, client_env, workdir):
    import subprocess

    bad = workdir / "amplify_outputs.json"
    bad.write_text('{"version": "1.3"}')
    result = subprocess.run(
        [str(bin_dir / "handset"), "--config", str(bad)], env=client_env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert "not an Amplify outputs file" in result.stderr

    result = subprocess.run([str(bin_dir / "handset")], env=client_env, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "no saved profile" in result.stderr
