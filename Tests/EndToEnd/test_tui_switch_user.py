"""Two people take turns in the terminal app on one profile (issue 11 item 2): sign out with `A`, `o`, sign in as
someone else, and back. Each sees only their own records; the first one's pending edit is neither shown to nor sent
by the second, and is still there, pending, when the first comes back.
"""

import json
import subprocess

from conftest import wait_until

ALICE_EDIT = "Alice's unsent title"


def run(bin_dir, env, *args, stdin=None, check=True):
    result = subprocess.run([str(bin_dir / "handset"), *args], env=env, input=stdin, capture_output=True, text=True,
                            timeout=60)
    if check:
        assert result.returncode == 0, f"handset {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


def sign_in_on_screen(terminal, username, password):
    terminal.wait_for("Username")
    terminal.type(username)
    terminal.press("Tab")
    terminal.type(password)
    terminal.press("Enter")


def sign_out_on_screen(terminal):
    terminal.press("A")
    terminal.wait_for("Profile")
    terminal.press("o")
    screen = terminal.wait_for("Username")
    # The form says how it went: the sign-in screen has no status bar for it.
    assert "Signed out" in screen, screen


def batch_requests(cloud):
    """The `_batch` writes in the cloud's request log so far (each line is one request)."""
    log = cloud.data_dir / "logs" / "requests.log"
    lines = log.read_text().splitlines() if log.exists() else []
    return [line for line in lines if "_batch" in line]


def test_two_people_take_turns_in_the_app(bin_dir, cloud, terminal, client_env, workdir):
    # Alice, with the commands: her cache, and an edit she has not sent yet; then she signs out and bob signs in.
    run(bin_dir, client_env, "config", "import", str(cloud.outputs_file))
    run(bin_dir, client_env, "login", "--username", "alice", "--password-stdin", stdin="Wonderland-42!\n")
    run(bin_dir, client_env, "sync")
    run(bin_dir, client_env, "put", "tasks", "task-0002", "--no-sync", "--field", f"title={ALICE_EDIT}")
    run(bin_dir, client_env, "logout")
    run(bin_dir, client_env, "login", "--username", "bob", "--password-stdin", stdin="Builder-42!\n")
    writes_before = len(batch_requests(cloud))

    # The app starts as bob: only his records, his name in the header, and syncs that send nothing of alice's.
    terminal.run([str(bin_dir / "handset")], client_env)
    screen = terminal.wait_for("Bob:")
    assert "bob" in screen.splitlines()[0], "the header says whose data it is"
    assert "Draft release notes" not in screen and ALICE_EDIT not in screen
    terminal.wait_for("● online")
    terminal.press("r")
    terminal.wait_for("synced")
    screen = terminal.screen()
    assert "Draft release notes" not in screen and ALICE_EDIT not in screen
    assert "The id is taken" not in screen
    assert len(batch_requests(cloud)) == writes_before, "bob made no edit: nothing may have been pushed"

    # Bob signs out with A, o; alice signs in: her cache and her pending edit are as she left them.
    sign_out_on_screen(terminal)
    assert "Bob:" not in terminal.screen()
    sign_in_on_screen(terminal, "alice", "Wonderland-42!")
    screen = terminal.wait_for(ALICE_EDIT)
    assert "Bob:" not in screen
    assert "alice" in screen.splitlines()[0]

    # Her sync sends it, under her own session.
    phone = dict(client_env, XDG_CONFIG_HOME=str(workdir / "phone" / "config"),
                 XDG_STATE_HOME=str(workdir / "phone" / "state"), XDG_DATA_HOME=str(workdir / "phone" / "data"))
    run(bin_dir, phone, "config", "import", str(cloud.outputs_file))
    run(bin_dir, phone, "login", "--username", "alice", "--password-stdin", stdin="Wonderland-42!\n")
    terminal.press("r")

    def sent():
        run(bin_dir, phone, "sync")
        tasks = json.loads(run(bin_dir, phone, "ls", "tasks", "--json").stdout)
        return any(task["id"] == "task-0002" and task["title"] == ALICE_EDIT for task in tasks)

    wait_until(sent, timeout=30, what="alice's edit to reach the server under her own session")

    # And the other way round: after alice signs out, bob sees nothing of hers.
    sign_out_on_screen(terminal)
    sign_in_on_screen(terminal, "bob", "Builder-42!")
    screen = terminal.wait_for("Bob:")
    assert "Draft release notes" not in screen and ALICE_EDIT not in screen
    terminal.press("q")
    terminal.wait_exit()


def test_an_unknown_theme_stops_with_the_key(bin_dir, cloud, terminal, client_env):
    run(bin_dir, client_env, "config", "import", str(cloud.outputs_file))
    config = client_env["XDG_CONFIG_HOME"] + "/handset/config.toml"
    with open(config, "w") as file:
        file.write('theme = "solarised"\n')
    # The shell keeps the pane open after handset stops at once (before tmux could be told to keep a dead pane).
    terminal.run(["sh", "-c", f"{bin_dir / 'handset'}; echo exit=$?; sleep 60"], client_env)
    terminal.wait_for("exit=")
    # The whole pane with its scrollback, lines joined (the message is wider than the pane).
    output = terminal.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", terminal.session).stdout.replace("\n", "")
    assert "exit=1" in output
    assert 'config.toml: theme: no theme named "solarised"' in output, output
    assert "(themes: dark, light, high-contrast" in output
