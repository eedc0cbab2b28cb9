"""Every subcommand of both executables explains itself: `--help` names what each argument and option is for.

`handset get --help` printed `<collection>` and `<id>` with nothing beside them, and a missing argument's error said
`Help:  <collection>` and stopped. Walks the whole command tree from the top-level help.
"""

import re
import subprocess

import pytest

SECTION = re.compile(r"^(ARGUMENTS|OPTIONS|SUBCOMMANDS):\s*$")
ENTRY = re.compile(r"^  (\S.*?)(?:\s{2,}(\S.*))?$")


def help_text(binary, *path):
    result = subprocess.run([str(binary), *path, "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, (path, result.stderr)
    return result.stdout


def sections(text):
    """{section: [(entry, description)]}, a description continued on indented lines counted as present."""
    found, current = {}, None
    for line in text.splitlines():
        if SECTION.match(line):
            current = SECTION.match(line).group(1)
            found[current] = []
        elif not line.strip():
            current = None if current and found[current] else current
        elif current and line.startswith("  ") and not line.startswith("    "):
            match = ENTRY.match(line)
            found[current].append([match.group(1), match.group(2) or ""])
        elif current and line.startswith("    ") and found[current]:
            found[current][-1][1] += line.strip()
    return found


def walk(binary, path=()):
    text = help_text(binary, *path)
    parsed = sections(text)
    yield path, parsed
    for entry, _ in parsed.get("SUBCOMMANDS", []):
        name = entry.split()[0]
        if name != "help":
            yield from walk(binary, (*path, name))


@pytest.mark.parametrize("executable", ["handset", "handset-cloud"])
def test_every_argument_and_option_of_every_subcommand_says_what_it_is(bin_dir, executable):
    missing, commands = [], 0
    for path, parsed in walk(bin_dir / executable):
        commands += 1
        for section in ("ARGUMENTS", "OPTIONS", "SUBCOMMANDS"):
            for entry, description in parsed.get(section, []):
                if not description.strip():
                    missing.append(f"{executable} {' '.join(path)}: {entry}")
    assert commands > 10, commands
    assert not missing, "\n".join(missing)


def test_a_missing_argument_says_what_it_is(bin_dir):
    result = subprocess.run([str(bin_dir / "handset"), "get", "tasks"], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert re.search(r"Help:[ \t]+<id>[ \t]+\S", result.stderr), result.stderr


@pytest.mark.parametrize("executable, arguments, suggestion", [
    ("handset", ["lst"], "did you mean 'ls'?"),
    ("handset", ["--profile", "work", "synk"], "did you mean 'sync'?"),
    ("handset", ["show", "tasks", "task-0001"], "did you mean 'get'?"),
    ("handset", ["delete", "tasks", "task-0001"], "did you mean 'rm'?"),
    ("handset", ["bogus"], None),
    ("handset", ["\x1b[31mred"], None),
    ("handset-cloud", ["mailbx"], "did you mean 'mailbox'?"),
    ("handset-cloud", ["start"], "did you mean 'serve'?"),
    ("handset-cloud", ["bogus", "--port", "0"], None),
])
def test_a_word_that_is_no_command_is_named_with_the_nearest_command(bin_dir, tmp_path, executable, arguments,
                                                                      suggestion):
    """`handset lst` used to say "Unexpected argument 'lst'" with the usage of `handset ui`, the app itself (and
    `handset-cloud mailbx` with the usage of `serve`)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([str((bin_dir / executable).resolve()), *arguments], capture_output=True, text=True, timeout=30,
                            env=env, cwd=tmp_path)
    assert result.returncode == 64, result
    assert "is not a command" in result.stderr and f"{executable} --help" in result.stderr, result.stderr
    assert "Usage:" not in result.stderr and "\x1b" not in result.stderr, result.stderr
    if suggestion:
        assert suggestion in result.stderr, result.stderr
    else:
        assert "did you mean" not in result.stderr, result.stderr
    assert not (tmp_path / "state").exists(), "nothing was started or written"
