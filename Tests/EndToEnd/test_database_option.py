"""`--database`: the cloud and its admin commands on a MariaDB database (run with HANDSET_TEST_BACKEND=mysql).

The rest of the suite runs on MariaDB as well in that mode; these tests cover what only the option has: the
password from HANDSET_DATABASE_PASSWORD (never printed), refusals of a database the cloud has not set up, a key
rotation by the admin command against a running instance, and a second instance on the same database that shares
the first one's pool, keys and records.
"""

import base64
import json
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from conftest import BACKEND, Cloud, MariaDB, database_name, storage_args, wait_until

pytestmark = pytest.mark.skipif(BACKEND != "mysql", reason="runs with HANDSET_TEST_BACKEND=mysql")


def post(url, target, body):
    request = urllib.request.Request(url + "/", data=json.dumps(body).encode(), headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AWSCognitoIdentityProviderService.{target}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def sign_in(cloud, username, password):
    outputs = json.loads(cloud.outputs_file.read_text())
    answer = post(cloud.url, "InitiateAuth", {
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": outputs["auth"]["user_pool_client_id"],
        "AuthParameters": {"USERNAME": username, "PASSWORD": password}})
    return answer["AuthenticationResult"]["IdToken"]


def kid(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def cli(bin_dir, *args, env=None, check=True):
    result = subprocess.run([str(bin_dir / "handset-cloud"), *args], capture_output=True, text=True, timeout=60,
                            env=env)
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def test_password_from_the_environment_is_used_and_never_printed(bin_dir, workdir):
    server = MariaDB.shared()
    data_dir = workdir / "cloud"
    name = database_name(data_dir)
    storage_args(data_dir)  # creates the database (dropped with the workdir)
    user, password = f"u{uuid.uuid4().hex[:10]}", f"Pw-{uuid.uuid4().hex}"
    server.sql(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{password}'; "
               f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; "
               f"GRANT ALL ON `{name}`.* TO '{user}'@'localhost'; GRANT ALL ON `{name}`.* TO '{user}'@'127.0.0.1'")
    try:
        url = urllib.parse.urlunparse(server.url._replace(netloc=f"{user}@{server.url.hostname or 'localhost'}"
                                                          + (f":{server.url.port}" if server.url.port else ""),
                                                          path="/" + name))
        cloud = Cloud(bin_dir / "handset-cloud", data_dir, extra_args=[])
        import os

        environment = dict(os.environ, HANDSET_DATABASE_PASSWORD=password)
        # Without the password the server cannot log in, and says so without any password in the message.
        refused = cli(bin_dir, "serve", "--port", "0", "--data-dir", str(data_dir), "--database", url, check=False,
                      env={k: v for k, v in os.environ.items() if k != "HANDSET_DATABASE_PASSWORD"})
        assert refused.returncode != 0 and "Access denied" in refused.stderr, refused.stderr
        # With it from the environment, the cloud starts and the admin commands work.
        process = subprocess.Popen([str(bin_dir / "handset-cloud"), "serve", "--port", "0", "--demo",
                                    "--data-dir", str(data_dir), "--database", url],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
        try:
            first = process.stdout.readline()
            assert first.startswith("handset-cloud listening on "), first + process.stdout.read()
            cloud.url = first.split(" on ", 1)[1].strip()
            assert get(cloud.url + "/api/tasks", sign_in(cloud, "alice", "Wonderland-42!"))[0] == 200
            listed = cli(bin_dir, "keys", "list", "--json", "--data-dir", str(data_dir), "--database", url,
                         env=environment)
            assert [json.loads(line)["state"] for line in listed.stdout.splitlines()] == ["current"]
        finally:
            process.terminate()
            output = process.communicate(timeout=20)[0]
        assert password not in output and password not in listed.stdout + listed.stderr
        assert password not in refused.stdout + refused.stderr
    finally:
        server.sql(f"DROP USER IF EXISTS '{user}'@'localhost'; DROP USER IF EXISTS '{user}'@'127.0.0.1'")


def test_admin_commands_refuse_a_database_the_cloud_has_not_set_up(bin_dir, workdir):
    server = MariaDB.shared()
    name = f"e2e_empty_{uuid.uuid4().hex[:8]}"
    server.sql(f"CREATE DATABASE `{name}`")
    try:
        for command in (["keys", "list"], ["mailbox"], ["objects", "list"],
                        ["notify", "--user", "alice", "--title", "x"]):
            result = cli(bin_dir, *command, "--data-dir", str(workdir / "none"), "--database",
                         server.database_url(name), check=False)
            assert result.returncode != 0, command
            assert "no handset-cloud tables in database" in result.stderr, result.stderr
        assert server.sql("SHOW TABLES", database=name).strip() == "", "nothing was created"
        missing = cli(bin_dir, "keys", "list", "--database", server.database_url(name + "_missing"), check=False)
        assert missing.returncode != 0 and "Unknown database" in missing.stderr, missing.stderr
        unnamed = cli(bin_dir, "keys", "list", "--database", server.database_url(""), check=False)
        assert unnamed.returncode != 0 and "must name a database" in unnamed.stderr, unnamed.stderr
    finally:
        server.sql(f"DROP DATABASE IF EXISTS `{name}`")


def test_two_instances_share_the_pool_and_a_rotated_key(bin_dir, workdir):
    # Instances behind one address name it as their tokens' issuer.
    issuer = ["--issuer-base-url", "http://handset.test"]
    first = Cloud(bin_dir / "handset-cloud", workdir / "one", extra_args=issuer).start()
    # A second instance with a data directory of its own on the same database.
    second = Cloud(bin_dir / "handset-cloud", workdir / "two", demo=False, extra_args=issuer,
                   shares_database_of=workdir / "one")
    try:
        second.start()
        one = json.loads(first.outputs_file.read_text())["auth"]
        two = json.loads(second.outputs_file.read_text())["auth"]
        assert one["user_pool_id"] == two["user_pool_id"] and one["user_pool_client_id"] == two["user_pool_client_id"]

        old = sign_in(first, "alice", "Wonderland-42!")
        status, page = get(second.url + "/api/tasks", old)
        assert status == 200 and len(page["items"]) == 12, "a token from one instance reads the records on the other"

        rotated = cli(bin_dir, "keys", "rotate", *first.storage_args())
        new_kid = rotated.stdout.split()[2]
        assert new_kid != kid(old)
        # Each instance signs with the new key once it has read the keys again (within 30 s).
        for cloud in (first, second):
            wait_until(lambda: kid(sign_in(cloud, "alice", "Wonderland-42!")) == new_kid, timeout=45, interval=1,
                       what="the instance to sign with the new key")
            status, jwks = get(f"{cloud.url}/{one['user_pool_id']}/.well-known/jwks.json")
            assert {key["kid"] for key in jwks["keys"]} == {new_kid, kid(old)}
            assert get(cloud.url + "/api/tasks", old)[0] == 200, "the old key's tokens keep working"
        listed = cli(bin_dir, "keys", "list", "--json", *second.storage_args())
        assert [json.loads(line)["state"] for line in listed.stdout.splitlines()] == ["current", "retired"]
    finally:
        second.stop()
        first.stop()
