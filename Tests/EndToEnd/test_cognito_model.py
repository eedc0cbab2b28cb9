"""Every answer of the local user pool checked against botocore's own model of cognito-idp.

The operations come from the running server's dispatcher: each operation of the model is sent once with an empty
body, and every one that is not answered `UnknownOperationException` is supported, so an operation added later is
checked here without anyone listing it. For each supported operation:

- a request built from the model (required members only, values chosen by member name: the pool's id, a fresh
  user's name and tokens, a group, ...; `SCENARIOS` supplies the few that need more) must be answered with a
  response whose members, types, enum values and required members match the model, or with an error the model
  lists for that operation;
- requests with a member of the wrong type, a missing required member, and a body that is no JSON object must be
  refused with an error the model (or the JSON protocol itself) allows, in Cognito's error shape.

One server for the module (SQLite or MariaDB, as `HANDSET_TEST_BACKEND` says); each operation gets users, groups
and tokens of its own, so their order does not matter except that destructive pool operations run last.
"""

import base64
import json
import urllib.error
import urllib.request
import uuid

import botocore.session
import pytest

from conftest import Cloud

# One server for the module: its tests stay on one worker.
pytestmark = pytest.mark.xdist_group("test_cognito_model")
TARGET = "AWSCognitoIdentityProviderService."
MODEL = botocore.session.get_session().get_component("data_loader").load_service_model("cognito-idp", "service-2")
SHAPES = MODEL["shapes"]
OPERATIONS = MODEL["operations"]
PASSWORD = "Model-Check-Pass-1!"

# Errors any operation of the JSON protocol may answer, whatever the operation's own list says.
PROTOCOL_ERRORS = {"SerializationException", "UnknownOperationException", "InternalErrorException",
                   "TooManyRequestsException", "AccessDeniedException", "InvalidParameterException",
                   "NotAuthorizedException"}
# Operations whose success answer the model-built request must reach: the ones this suite exists for.
MUST_SUCCEED = {
    "ListUsersInGroup", "UpdateGroup", "DeleteGroup", "AddCustomAttributes", "DeleteUserAttributes",
    "AdminDeleteUserAttributes", "GetUserPoolMfaConfig", "SetUserPoolMfaConfig", "UpdateUserPool",
    "AdminListUserAuthEvents", "GetTokensFromRefreshToken", "GetSigningCertificate", "ListUsers", "ListGroups",
    "AdminGetUser", "AdminCreateUser", "GetUser", "InitiateAuth", "DescribeUserPool", "CreateGroup", "GetGroup",
    "AdminListGroupsForUser", "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminUpdateUserAttributes",
    "UpdateUserAttributes", "AdminDisableUser", "AdminEnableUser", "AdminDeleteUser", "DeleteUser",
    "GlobalSignOut", "AdminUserGlobalSignOut", "RevokeToken", "SignUp", "ListUserPoolClients",
    "DescribeUserPoolClient", "ListUserPools", "AdminSetUserPassword", "ChangePassword",
}
# Run after everything else: they remove what other operations use.
LAST = ["DeleteUserPoolDomain", "DeleteUserPoolClient", "UpdateUserPool", "SetUserPoolMfaConfig"]


def call(url, operation, body):
    """(status, parsed body, raw bytes) of one operation; `body` is sent as is when it is bytes."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + operation})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw or b"{}"), raw
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw), raw


# ---------------------------------------------------------------------------------------------------------------
# Shape checking


def check_shape(shape_name, value, path, problems):
    """Appends to `problems` every way `value` differs from the model's shape."""
    shape = SHAPES[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__}, the model says structure {shape_name}")
            return
        members = shape["members"]
        for name, member_value in value.items():
            if name not in members:
                problems.append(f"{path}.{name}: not a member of {shape_name}")
            elif member_value is None:
                problems.append(f"{path}.{name}: null (Cognito leaves absent members out)")
            else:
                check_shape(members[name]["shape"], member_value, f"{path}.{name}", problems)
        for name in shape.get("required", []):
            if name not in value:
                problems.append(f"{path}.{name}: required by {shape_name} but missing")
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: {type(value).__name__}, the model says list")
            return
        for index, item in enumerate(value):
            check_shape(shape["member"]["shape"], item, f"{path}[{index}]", problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: {type(value).__name__}, the model says map")
            return
        for key, item in value.items():
            check_shape(shape["key"]["shape"], key, f"{path} key", problems)
            check_shape(shape["value"]["shape"], item, f"{path}[{key!r}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: {type(value).__name__}, the model says string")
        elif "enum" in shape and value not in shape["enum"]:
            problems.append(f"{path}: {value!r} is not one of {shape['enum']}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: {value!r}, the model says {kind}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: {value!r}, the model says {kind}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r}, the model says boolean")
    elif kind == "timestamp":
        # The JSON protocol writes timestamps as seconds since 1970.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: {value!r}, the model says a timestamp (epoch seconds)")
    elif kind == "blob":
        try:
            base64.b64decode(value, validate=True)
        except Exception:
            problems.append(f"{path}: not base64, the model says blob")


def allowed_errors(operation):
    return {error["shape"] for error in OPERATIONS[operation].get("errors", [])} | PROTOCOL_ERRORS


def check_error(operation, status, body, problems, what):
    if status < 400:
        problems.append(f"{operation} {what}: answered {status}, expected an error")
        return
    kind = body.get("__type", "")
    if set(body) - {"__type", "message"} or not isinstance(body.get("message"), str):
        problems.append(f"{operation} {what}: error body {body} is not {{__type, message}}")
    if kind not in allowed_errors(operation):
        problems.append(f"{operation} {what}: {kind} is not an error the model lists for {operation}")


# ---------------------------------------------------------------------------------------------------------------
# The server, its resources, and requests built from the model


class Pool:
    def __init__(self, cloud):
        self.cloud = cloud
        outputs = json.loads(cloud.outputs_file.read_text())
        self.id = outputs["auth"]["user_pool_id"]
        self.client = outputs["auth"]["user_pool_client_id"]

    def ok(self, operation, body):
        status, answer, _ = call(self.cloud.url, operation, body)
        assert status == 200, (operation, body, answer)
        return answer

    def user(self, prefix):
        """A confirmed user of its own, signed in: (username, tokens)."""
        name = f"{prefix}-{uuid.uuid4().hex[:8]}".lower()
        self.ok("AdminCreateUser", {"UserPoolId": self.id, "Username": name, "MessageAction": "SUPPRESS",
                                    "UserAttributes": [{"Name": "email", "Value": f"{name}@example.com"},
                                                       {"Name": "name", "Value": "Model Check"}]})
        self.ok("AdminSetUserPassword", {"UserPoolId": self.id, "Username": name, "Password": PASSWORD,
                                         "Permanent": True})
        tokens = self.ok("InitiateAuth", {"ClientId": self.client, "AuthFlow": "USER_PASSWORD_AUTH",
                                          "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}})
        return name, tokens["AuthenticationResult"]

    def group(self, prefix, member=None):
        name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        self.ok("CreateGroup", {"UserPoolId": self.id, "GroupName": name})
        if member:
            self.ok("AdminAddUserToGroup", {"UserPoolId": self.id, "GroupName": name, "Username": member})
        return name


@pytest.fixture(scope="module")
def model_pool(bin_dir, tmp_path_factory):
    from conftest import BACKEND, drop_databases

    root = tmp_path_factory.mktemp("model")
    cloud = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    yield Pool(cloud)
    cloud.stop()
    if BACKEND == "mysql":
        drop_databases(root)


class Context:
    """The values one operation's request is built from, made fresh for it."""

    def __init__(self, pool, operation):
        self.pool = pool
        self.username, self.tokens = pool.user("m")
        self.group = pool.group("g", member=self.username)

    def value(self, member, shape_name, depth=0):
        shape = SHAPES[shape_name]
        by_name = {
            "UserPoolId": self.pool.id, "ClientId": self.pool.client, "Username": self.username,
            "AccessToken": self.tokens["AccessToken"], "RefreshToken": self.tokens["RefreshToken"],
            "Token": self.tokens["RefreshToken"], "GroupName": self.group, "Password": PASSWORD,
            "PreviousPassword": PASSWORD, "ProposedPassword": PASSWORD + "x", "ConfirmationCode": "123456",
            "Code": "123456", "UserCode": "123456", "Domain": f"model-{uuid.uuid4().hex[:8]}",
            "ClientName": "model-check", "ProviderName": "ModelCheck", "AttributeName": "email",
            "Session": "x" * 20, "ResourceArn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + self.pool.id,
            "RoleArn": "arn:aws:iam::000000000000:role/ModelCheck", "PoolName": "model-check",
        }
        if member in by_name:
            return by_name[member]
        kind = shape["type"]
        if kind == "structure":
            return {name: self.value(name, spec["shape"], depth + 1)
                    for name, spec in shape["members"].items() if name in shape.get("required", [])}
        if kind == "list":
            return [self.value(member, shape["member"]["shape"], depth + 1)] if depth < 3 else []
        if kind == "map":
            return {}
        if kind == "string":
            if "enum" in shape:
                return shape["enum"][0]
            return "x" * max(shape.get("min", 1), 1)
        if kind in ("integer", "long"):
            return max(shape.get("min", 1), 1)
        if kind == "boolean":
            return False
        if kind == "blob":
            return base64.b64encode(b"x").decode()
        if kind in ("double", "float", "timestamp"):
            return 1
        return None

    def request(self, operation):
        shape = SHAPES[OPERATIONS[operation]["input"]["shape"]]
        return {name: self.value(name, spec["shape"])
                for name, spec in shape["members"].items() if name in shape.get("required", [])}


def scenario_overrides(pool, context, operation, request):
    """The operations whose model-built request cannot succeed as is get what they need here."""
    if operation == "InitiateAuth":
        request.update(AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": context.username,
                                                                      "PASSWORD": PASSWORD})
    elif operation == "AdminCreateUser":
        request.update(Username=f"new-{uuid.uuid4().hex[:8]}", MessageAction="SUPPRESS")
    elif operation == "SignUp":
        # The model makes Password optional (passwordless pools); this pool signs up with one.
        request.update(Username=f"signup-{uuid.uuid4().hex[:8]}", Password=PASSWORD,
                       UserAttributes=[{"Name": "email", "Value": "signup@example.com"}])
    elif operation == "CreateGroup":
        request.update(GroupName=f"new-{uuid.uuid4().hex[:8]}", Precedence=2,
                       RoleArn="arn:aws:iam::000000000000:role/ModelCheck")
    elif operation == "UpdateGroup":
        request.update(Description="updated", Precedence=1, RoleArn="arn:aws:iam::000000000000:role/Updated")
    elif operation == "AddCustomAttributes":
        request.update(CustomAttributes=[{"Name": f"m{uuid.uuid4().hex[:8]}", "AttributeDataType": "String"}])
    elif operation in ("DeleteUserAttributes", "AdminDeleteUserAttributes"):
        request.update(UserAttributeNames=["name"])
    elif operation in ("UpdateUserAttributes", "AdminUpdateUserAttributes"):
        request.update(UserAttributes=[{"Name": "name", "Value": "Changed"}])
    elif operation == "SetUserPoolMfaConfig":
        request.update(MfaConfiguration="OPTIONAL", SoftwareTokenMfaConfiguration={"Enabled": True},
                       EmailMfaConfiguration={}, SmsMfaConfiguration={})
    elif operation == "UpdateUserPool":
        request.update(MfaConfiguration="OPTIONAL", Policies=SIGN_IN_POLICIES, DeviceConfiguration=DEVICES)
    elif operation == "ListUserPools":
        request.update(MaxResults=10)
    elif operation == "ChangePassword":
        request.update(PreviousPassword=PASSWORD, ProposedPassword=PASSWORD + "2")
    elif operation in ("DeleteUserPoolClient", "UpdateUserPoolClient"):
        # Not the client every other operation signs in with (an update resets what it leaves out).
        created = pool.ok("CreateUserPoolClient", {"UserPoolId": pool.id, "ClientName": "doomed"})
        request.update(ClientId=created["UserPoolClient"]["ClientId"])
    elif operation == "AdminListUserAuthEvents":
        request.update(MaxResults=5)
    return request


# The settings UpdateUserPool sets and DescribeUserPool shows beyond the password policy and the MFA mode.
SIGN_IN_POLICIES = {"PasswordPolicy": {"MinimumLength": 8},
                    "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}}
DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}


def supported_operations(url):
    names = []
    for operation in sorted(OPERATIONS):
        status, body, _ = call(url, operation, {})
        if body.get("__type") != "UnknownOperationException":
            names.append(operation)
    return names


def ordered(names):
    return [n for n in names if n not in LAST] + [n for n in LAST if n in names]


# ---------------------------------------------------------------------------------------------------------------
# The tests


def test_the_probe_finds_the_operations_this_suite_exists_for(model_pool):
    supported = set(supported_operations(model_pool.cloud.url))
    assert MUST_SUCCEED <= supported, sorted(MUST_SUCCEED - supported)
    # Operations the model does not know answer as unknown (no operation is served under a made-up name).
    status, body, _ = call(model_pool.cloud.url, "NoSuchOperation", {})
    assert status == 400 and body["__type"] == "UnknownOperationException"


def test_every_supported_operation_answers_in_the_models_shapes(model_pool):
    pool = model_pool
    problems, succeeded, refusals = [], set(), {}
    for operation in ordered(supported_operations(pool.cloud.url)):
        context = Context(pool, operation)
        request = scenario_overrides(pool, context, operation, context.request(operation))
        status, body, raw = call(pool.cloud.url, operation, request)
        if status == 200:
            succeeded.add(operation)
            output = OPERATIONS[operation].get("output")
            if output:
                check_shape(output["shape"], body, operation, problems)
            elif raw.strip() not in (b"", b"{}"):
                problems.append(f"{operation}: the model has no output, the answer is {raw[:200]!r}")
        else:
            refusals[operation] = body
            check_error(operation, status, body, problems, f"with {sorted(request)}")
    missing = MUST_SUCCEED - succeeded
    assert not missing, f"these did not succeed with a model-built request: " + \
        ", ".join(f"{name}: {refusals.get(name)}" for name in sorted(missing))
    assert not problems, "\n".join(problems)


def test_the_device_and_sign_in_settings_round_trip_in_the_models_shapes(model_pool):
    pool = model_pool
    before = pool.ok("DescribeUserPool", {"UserPoolId": pool.id})["UserPool"]
    mfa = before["MfaConfiguration"]
    pool.ok("UpdateUserPool", {"UserPoolId": pool.id, "MfaConfiguration": mfa, "Policies": SIGN_IN_POLICIES,
                               "DeviceConfiguration": DEVICES})
    status, body, _ = call(pool.cloud.url, "DescribeUserPool", {"UserPoolId": pool.id})
    assert status == 200, body
    problems = []
    check_shape(OPERATIONS["DescribeUserPool"]["output"]["shape"], body, "DescribeUserPool", problems)
    assert not problems, "\n".join(problems)
    described = body["UserPool"]
    assert described["DeviceConfiguration"] == DEVICES
    assert described["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"]}
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    # Cognito's rule: what an update leaves out goes back to its default (device tracking off, the password only).
    pool.ok("UpdateUserPool", {"UserPoolId": pool.id, "MfaConfiguration": mfa})
    described = pool.ok("DescribeUserPool", {"UserPoolId": pool.id})["UserPool"]
    assert "DeviceConfiguration" not in described
    assert described["Policies"]["SignInPolicy"] == {"AllowedFirstAuthFactors": ["PASSWORD"]}
    status, body, _ = call(pool.cloud.url, "UpdateUserPool", {
        "UserPoolId": pool.id, "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["WEB_AUTHN", "PASSWORD"]}}})
    assert status == 400 and body["__type"] == "InvalidParameterException"


def wrong_type(shape_name):
    kind = SHAPES[shape_name]["type"]
    return {"string": 17, "integer": "seventeen", "long": "seventeen", "boolean": "yes", "list": {"a": 1},
            "map": [1], "structure": [1], "timestamp": "yesterday", "blob": 5, "double": "x"}.get(kind, [])


def test_malformed_requests_are_refused_with_the_models_errors(model_pool):
    pool = model_pool
    problems = []
    context = Context(pool, "malformed")
    for operation in supported_operations(pool.cloud.url):
        shape = SHAPES[OPERATIONS[operation]["input"]["shape"]]
        valid = context.request(operation)
        status, body, _ = call(pool.cloud.url, operation, b"[1, 2")
        check_error(operation, status, body, problems, "with a body that is no JSON")
        for name, spec in shape["members"].items():
            broken = dict(valid, **{name: wrong_type(spec["shape"])})
            status, body, _ = call(pool.cloud.url, operation, broken)
            check_error(operation, status, body, problems, f"with {name} of the wrong type")
        for name in shape.get("required", []):
            missing = {key: value for key, value in valid.items() if key != name}
            status, body, _ = call(pool.cloud.url, operation, missing)
            check_error(operation, status, body, problems, f"without the required {name}")
    assert not problems, "\n".join(problems)


def test_the_readme_table_says_which_operations_are_served_here(model_pool):
    from conftest import ROOT

    rows = {}
    for line in (ROOT / "README.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[0].strip("`") in OPERATIONS:
            rows[cells[0].strip("`")] = cells[1] == "yes"
    assert set(rows) == set(OPERATIONS), f"README's table lacks {sorted(set(OPERATIONS) - set(rows))}"
    served = set(supported_operations(model_pool.cloud.url))
    wrong = sorted(name for name, here in rows.items() if here != (name in served))
    assert not wrong, f"README's 'here' column is wrong for {wrong} (served: {sorted(served & set(wrong))})"
