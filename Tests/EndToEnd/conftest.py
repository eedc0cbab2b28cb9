"""Fixtures for end-to-end tests: the real handset-cloud and the real handset in a real terminal (tmux).

`HANDSET_TEST_BACKEND=mysql` runs every cloud on MariaDB: each data directory gets a database of its own on the
server `HANDSET_TEST_MYSQL_URL` names (`scripts/test` starts one for the run), or on a throwaway server started here
when that is unset, and `handset-cloud serve` and the admin commands get `--database` beside `--data-dir`.
"""

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The test kit shared with scripts/ (Tests/handsetkit): starting clouds, devices, terminals, waiting.
sys.path.insert(0, str(ROOT / "Tests"))
from handsetkit import Device, ServedCloud, Terminal, device_environment, free_port, serve, wait_until  # noqa: E402
from handsetkit.terminal import shlex_quote  # noqa: E402
BACKEND = os.environ.get("HANDSET_TEST_BACKEND", "sqlite")
if BACKEND not in ("sqlite", "mysql"):
    raise RuntimeError(f"HANDSET_TEST_BACKEND must be sqlite or mysql, not {BACKEND!r}")


class MariaDB:
    """The MariaDB server the clouds of this test process use, reached with the `mariadb` command-line client."""

    _server = None

    def __init__(self, url: str):
        self.url = urllib.parse.urlparse(url)
        query = urllib.parse.parse_qs(self.url.query)
        self.socket = query.get("socket", [None])[0]
        self.user = urllib.parse.unquote(self.url.username or "root")
        self.password = urllib.parse.unquote(self.url.password) if self.url.password else None
        self.client = shutil.which("mariadb") or shutil.which("mysql") or "/usr/bin/mariadb"

    @classmethod
    def shared(cls) -> "MariaDB":
        """The run's server (`HANDSET_TEST_MYSQL_URL`), else one started for this process and stopped at its exit."""
        if cls._server is None:
            url = os.environ.get("HANDSET_TEST_MYSQL_URL")
            if not url:
                directory = tempfile.mkdtemp(prefix="handset-e2e-mariadb-", dir="/dev/shm" if os.path.isdir(
                    "/dev/shm") else None)
                script = str(ROOT / "scripts" / "mariadb-test-server")
                url = subprocess.run([script, "start", "--dir", directory, "--watch-pid", str(os.getpid())],
                                     check=True, capture_output=True, text=True).stdout.strip()
                atexit.register(lambda: subprocess.run([script, "stop", "--dir", directory], capture_output=True))
            cls._server = MariaDB(url)
        return cls._server

    def sql(self, statement: str, database: str = None) -> str:
        args = [self.client, "--no-defaults", "--batch", "--skip-column-names", f"--user={self.user}"]
        if self.socket:
            args.append(f"--socket={self.socket}")
        else:
            args += [f"--host={self.url.hostname}", f"--port={self.url.port or 3306}", "--protocol=tcp"]
        if database:
            args.append(f"--database={database}")
        environment = dict(os.environ)
        if self.password:
            environment["MYSQL_PWD"] = self.password
        return subprocess.run(args + ["--execute", statement], check=True, capture_output=True, text=True,
                              env=environment).stdout

    def database_url(self, name: str) -> str:
        return urllib.parse.urlunparse(self.url._replace(path="/" + name))


# Databases made for data directories in this process: name -> data directory.
_databases = {}


def database_name(data_dir: Path) -> str:
    """The database of a data directory: the same one each time the directory's cloud starts."""
    return "e2e_" + hashlib.sha1(str(Path(data_dir).resolve()).encode()).hexdigest()[:20]


def storage_args(data_dir: Path) -> list:
    """What `handset-cloud serve` and the admin commands need to find a data directory's state on this backend."""
    args = ["--data-dir", str(data_dir)]
    if BACKEND == "mysql":
        server = MariaDB.shared()
        name = database_name(data_dir)
        if name not in _databases:
            server.sql(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
            _databases[name] = Path(data_dir).resolve()
        args += ["--database", server.database_url(name)]
    return args


def drop_databases(under: Path):
    """Drops the databases of the data directories below `under` (when their test is over)."""
    root = Path(under).resolve()
    for name, directory in list(_databases.items()):
        if directory == root or root in directory.parents:
            MariaDB.shared().sql(f"DROP DATABASE IF EXISTS `{name}`")
            del _databases[name]


def database_query(data_dir: Path, statement: str) -> list:
    """Rows (lists of strings) of a statement on a data directory's database (MySQL backend only)."""
    output = MariaDB.shared().sql(statement, database=database_name(data_dir))
    return [line.split("\t") for line in output.splitlines()]


@pytest.fixture(scope="session")
def bin_dir() -> Path:
    path = os.environ.get("HANDSET_BIN_DIR")
    if not path:
        path = subprocess.run(
            ["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    bin_path = Path(path)
    for name in ("handset", "handset-cloud"):
        if not (bin_path / name).exists():
            pytest.fail(f"{bin_path / name} is missing: run `swift build` first")
    return bin_path


class Cloud:
    """A running `handset-cloud serve` on a free port."""

    def __init__(self, binary: Path, data_dir: Path, demo: bool = True, port: int = 0, extra_args=(),
                 shares_database_of: Path = None):
        self.binary = binary
        self.data_dir = data_dir
        # On MariaDB: another data directory whose database this instance uses too (a second instance).
        self.shares_database_of = shares_database_of
        self.demo = demo
        self.port = port
        self.extra_args = list(extra_args)
        self.process = None
        self.url = None
        self.output = []

    def start(self):
        """Starts `serve` and returns once it listens (its `--ready-file`, read by the kit)."""
        args = ["--port", str(self.port), *self.storage_args()]
        if self.demo:
            args.append("--demo")
        args += self.extra_args
        self.served = serve(self.binary, args, self.data_dir.parent, timeout=30)
        self.process = self.served.process
        self.log_path = self.served.log_path
        self.log = self.served._log_file
        self.url = self.served.url
        return self

    @property
    def outputs_file(self) -> Path:
        return self.data_dir / "amplify_outputs.json"

    def storage_args(self) -> list:
        """`--data-dir` (and `--database`) for `serve` and the admin commands on this cloud's state."""
        if self.shares_database_of is None:
            return storage_args(self.data_dir)
        return ["--data-dir", str(self.data_dir), *storage_args(self.shares_database_of)[2:]]

    def mailbox_messages(self) -> list:
        """Every message the pool "sent", oldest first (`handset-cloud mailbox --json`)."""
        import json

        result = subprocess.run([str(self.binary), "mailbox", "--json", *self.storage_args()], check=True,
                                capture_output=True, text=True, timeout=60)
        return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]

    def check_integrity(self):
        """Fails unless the cloud's database is sound (SQLite's integrity check, or CHECK TABLE on MariaDB)."""
        if BACKEND == "mysql":
            tables = [row[0] for row in database_query(self.data_dir, "SHOW TABLES")]
            rows = database_query(self.data_dir, "CHECK TABLE " + ", ".join(f"`{table}`" for table in tables))
            problems = [row for row in rows if row[2] in ("error", "warning") or row[3] != "OK"]
            assert len(rows) >= len(tables) and not problems, problems
            return
        import sqlite3

        with sqlite3.connect(self.data_dir / "cloud.sqlite") as database:
            assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def read_pool(self) -> dict:
        """The pool's settings as stored: `<data dir>/pool.json`, or the database's `pool` settings document."""
        import json

        if BACKEND == "mysql":
            rows = database_query(self.data_dir, "SELECT HEX(document) FROM handset_settings WHERE name = 'pool'")
            return json.loads(bytes.fromhex(rows[0][0]).decode())
        return json.loads((self.data_dir / "pool.json").read_text())

    def write_pool(self, settings: dict):
        """Replaces the pool's settings where the running cloud reads them again (at its next request on SQLite,
        within a second on MariaDB)."""
        import json

        text = json.dumps(settings, indent=2)
        if BACKEND == "mysql":
            database_query(self.data_dir, "UPDATE handset_settings SET document = CONVERT(UNHEX('"
                           + text.encode().hex() + "') USING utf8mb4), updated_at = UTC_TIMESTAMP(6) "
                           "WHERE name = 'pool'")
            return
        pool_file = self.data_dir / "pool.json"
        temporary = pool_file.with_suffix(".tmp")
        temporary.write_text(text)
        os.replace(temporary, pool_file)

    def signing_key_pem(self) -> bytes:
        """The current token signing key (as only the machine's administrator can read it)."""
        if BACKEND == "mysql":
            rows = database_query(self.data_dir, "SELECT HEX(private_key) FROM handset_signing_keys "
                                                 "WHERE retired_at IS NULL")
            return bytes.fromhex(rows[0][0])
        return (self.data_dir / "keys" / "signing-key.pem").read_bytes()

    def stop(self):
        if getattr(self, "served", None):
            self.served.stop()


@pytest.fixture
def workdir():
    path = Path(tempfile.mkdtemp(prefix="handset-e2e-"))
    yield path
    if BACKEND == "mysql":
        drop_databases(path)
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def client_env(workdir):
    """XDG directories of a fresh device, so tests never touch the real home directory."""
    home = workdir / "home"
    home.mkdir()
    return device_environment(home, terminal=True)


@pytest.fixture
def cloud(bin_dir, workdir):
    instance = Cloud(bin_dir / "handset-cloud", workdir / "cloud").start()
    yield instance
    instance.stop()


@pytest.fixture
def terminal():
    instance = Terminal()
    yield instance
    instance.close()


@pytest.fixture
def fixed_cloud(bin_dir, workdir):
    """A local cloud on a fixed port, so it can be stopped and started again at the same address."""
    instance = Cloud(bin_dir / "handset-cloud", workdir / "cloud", port=free_port()).start()
    yield instance
    instance.stop()


@pytest.fixture
def storage_cloud(bin_dir, workdir):
    """A local cloud whose lifecycle rule archives every object and whose restores take one second."""
    import json

    data_dir = workdir / "storage-cloud"
    data_dir.mkdir()
    (data_dir / "storage.json").write_text(json.dumps({"archiveAfterDays": 0, "restoreDelaySeconds": 1}))
    instance = Cloud(bin_dir / "handset-cloud", data_dir).start()
    yield instance
    instance.stop()
