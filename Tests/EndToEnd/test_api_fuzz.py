"""schemathesis against the real handset-cloud: every operation of the served OpenAPI document, with a signed-in
user's ID token, for the demo API and for the field-notes example. No server errors, no response that breaks the
document (status codes, content types, schemas). Bounded: a fixed seed and a few examples per operation."""

import json
import os
import re
import subprocess
import sys
import uuid

import boto3
import pytest

from conftest import ROOT, Cloud, storage_args, wait_until

# Enough to reach every operation and status the document declares while keeping each run well under a minute.
MAX_EXAMPLES = int(os.environ.get("HANDSET_FUZZ_EXAMPLES", "10"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


class ApiCloud(Cloud):
    """`handset-cloud serve --demo` with extra options (here `--api <file>`)."""

    def __init__(self, binary, data_dir, extra_args):
        super().__init__(binary, data_dir, extra_args=extra_args)


def id_token(cloud, username="alice", password="Wonderland-42!"):
    """Signs in the way an app would (USER_PASSWORD_AUTH through boto3) and returns the ID token."""
    outputs = json.loads(cloud.outputs_file.read_text())
    idp = boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=outputs["auth"]["aws_region"],
                       aws_access_key_id="local", aws_secret_access_key="local")
    result = idp.initiate_auth(ClientId=outputs["auth"]["user_pool_client_id"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": username, "PASSWORD": password})
    return result["AuthenticationResult"]["IdToken"]


def schemathesis(cloud, token, workdir):
    report = workdir / f"schemathesis-{uuid.uuid4().hex[:6]}.xml"
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{cloud.url}/api/openapi.json",
        "--url", f"{cloud.url}/api",
        "-H", f"Authorization: {token}",
        "--checks", CHECKS,
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", "20261127",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--generation-database", "none",
        "--request-timeout", "10",
        # One worker: Python 3.11 can fail with "AST constructor recursion depth mismatch" when schemathesis
        # builds its generators on several threads at once, which is schemathesis' problem, not the API's.
        "--workers", "1",
        "--no-color",
        "--report", "junit", "--report-junit-path", str(report),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=workdir)
    # The token is a secret: never print it, even in a failure message.
    output = (result.stdout + result.stderr).replace(token, "<id-token>")
    return result.returncode, output


@pytest.mark.parametrize("document", [None, "Examples/field-notes.json"], ids=["demo", "field-notes"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(bin_dir, workdir, document):
    extra = ["--api", str(ROOT / document)] if document else []
    # Throttling stays on at API Gateway's defaults: schemathesis never comes near them.
    cloud = ApiCloud(bin_dir / "handset-cloud", workdir / "cloud", extra).start()
    try:
        token = id_token(cloud)
        code, output = schemathesis(cloud, token, workdir)
        assert code == 0, output[-6000:]
        counts = re.search(r"Test cases:\s*\n\s*(.+)", output)
        assert counts and re.fullmatch(r"(\d+) generated, \1 passed(, \d+ skipped)?", counts.group(1).strip()), \
            output[-3000:]
        log = (cloud.data_dir / "logs" / "requests.log").read_text()
        statuses = [json.loads(line)["status"] for line in log.splitlines()]
        assert len(statuses) > 500, "schemathesis barely ran"
        assert not [status for status in statuses if status >= 500]
        assert token not in log
    finally:
        cloud.stop()
