"""Groups, attributes, pool settings, sign-in events and token operations, through boto3 and the AWS CLI.

One `handset-cloud serve --demo` for the module (SQLite or MariaDB, as `HANDSET_TEST_BACKEND` says); each test
makes the users and groups it needs under names of its own.
"""

import base64
import json
import os
import shutil
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography import x509

from conftest import BACKEND, Cloud, drop_databases, wait_until

# One server for the module: its tests stay on one worker.
pytestmark = pytest.mark.xdist_group("test_cognito_pool_admin")
PASSWORD = "Pool-Admin-Pass-1!"
ROLE = "arn:aws:iam::000000000000:role/"


@pytest.fixture(scope="module")
def env(bin_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("pool-admin")
    cloud = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    outputs = json.loads(cloud.outputs_file.read_text())["auth"]
    idp = boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=outputs["aws_region"],
                       aws_access_key_id="x", aws_secret_access_key="x")
    # Without boto3's own checks, for what the server must refuse itself.
    unchecked = boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=outputs["aws_region"],
                             aws_access_key_id="x", aws_secret_access_key="x",
                             config=Config(parameter_validation=False))
    yield type("Env", (), {"cloud": cloud, "idp": idp, "unchecked": unchecked, "pool": outputs["user_pool_id"],
                           "client": outputs["user_pool_client_id"], "region": outputs["aws_region"],
                           "root": root})
    cloud.stop()
    if BACKEND == "mysql":
        drop_databases(root)


def new_user(env, prefix="u", attributes=(), password=PASSWORD):
    name = f"{prefix}-{uuid.uuid4().hex[:6]}"
    env.idp.admin_create_user(UserPoolId=env.pool, Username=name, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}, *attributes])
    env.idp.admin_set_user_password(UserPoolId=env.pool, Username=name, Password=password, Permanent=True)
    return name


def sign_in(env, username, password=PASSWORD):
    return env.idp.initiate_auth(ClientId=env.client, AuthFlow="USER_PASSWORD_AUTH",
                                 AuthParameters={"USERNAME": username, "PASSWORD": password})


def claims(token):
    return jwt.decode(token, options={"verify_signature": False})


def error(call, *args, **kwargs):
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response["Error"]


def aws_cli(env, tmp_path):
    assert shutil.which("aws"), "the AWS CLI is installed by scripts/bootstrap --tests"
    config = tmp_path / "aws-config"
    config.write_text("[default]\ncli_follow_urlparam = false\n")
    environment = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION=env.region,
                       AWS_CONFIG_FILE=str(config))

    def aws(*arguments, fails=False):
        result = subprocess.run(["aws", "cognito-idp", *arguments, "--endpoint-url", env.cloud.url, "--output",
                                 "json"], env=environment, capture_output=True, text=True, timeout=60)
        assert (result.returncode != 0) == fails, (arguments, result.stdout, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else result.stderr

    return aws


def test_groups_update_delete_list_members_and_the_preferred_role(env):
    idp, pool = env.idp, env.pool
    tag = uuid.uuid4().hex[:6]
    readers, editors, plain = f"readers-{tag}", f"editors-{tag}", f"plain-{tag}"
    idp.create_group(UserPoolId=pool, GroupName=readers, Precedence=5, RoleArn=ROLE + "Readers")
    idp.create_group(UserPoolId=pool, GroupName=editors, Precedence=9, RoleArn=ROLE + "Editors")
    idp.create_group(UserPoolId=pool, GroupName=plain, Precedence=0)  # no role: never the preferred one
    members = sorted(new_user(env, "m") for _ in range(3))
    for member in members:
        idp.admin_add_user_to_group(UserPoolId=pool, GroupName=readers, Username=member)
    for group in (editors, plain):
        idp.admin_add_user_to_group(UserPoolId=pool, GroupName=group, Username=members[0])

    token = claims(sign_in(env, members[0])["AuthenticationResult"]["IdToken"])
    assert token["cognito:preferred_role"] == ROLE + "Readers"
    assert token["cognito:roles"] == [ROLE + "Readers", ROLE + "Editors"]
    assert sorted(token["cognito:groups"]) == sorted([readers, editors, plain])

    # Lower precedence wins; a tie for the lowest leaves the preferred role out, as AWS does.
    updated = idp.update_group(UserPoolId=pool, GroupName=editors, Precedence=1, Description="Edits")["Group"]
    assert updated["Precedence"] == 1 and updated["Description"] == "Edits" and updated["RoleArn"] == ROLE + "Editors"
    assert claims(sign_in(env, members[0])["AuthenticationResult"]["IdToken"])["cognito:preferred_role"] == \
        ROLE + "Editors"
    idp.update_group(UserPoolId=pool, GroupName=readers, Precedence=1)
    assert "cognito:preferred_role" not in claims(sign_in(env, members[0])["AuthenticationResult"]["IdToken"])
    assert idp.get_group(UserPoolId=pool, GroupName=editors)["Group"]["Description"] == "Edits", \
        "members left out of UpdateGroup keep their values"

    # ListUsersInGroup, a page at a time.
    seen, token_ = [], None
    while True:
        page = idp.list_users_in_group(UserPoolId=pool, GroupName=readers, Limit=2,
                                       **({"NextToken": token_} if token_ else {}))
        assert len(page["Users"]) <= 2
        seen += [user["Username"] for user in page["Users"]]
        token_ = page.get("NextToken")
        if not token_:
            break
    assert seen == members
    assert error(idp.list_users_in_group, UserPoolId=pool, GroupName=readers, NextToken="%%%")["Code"] == \
        "InvalidParameterException"
    assert error(idp.list_users_in_group, UserPoolId=pool, GroupName="nope-" + tag)["Code"] == \
        "ResourceNotFoundException"

    idp.delete_group(UserPoolId=pool, GroupName=editors)
    assert error(idp.get_group, UserPoolId=pool, GroupName=editors)["Code"] == "ResourceNotFoundException"
    assert error(idp.delete_group, UserPoolId=pool, GroupName=editors)["Code"] == "ResourceNotFoundException"
    assert editors not in [g["GroupName"] for g in
                           idp.admin_list_groups_for_user(UserPoolId=pool, Username=members[0])["Groups"]]
    assert "cognito:roles" in claims(sign_in(env, members[0])["AuthenticationResult"]["IdToken"])
    assert error(idp.update_group, UserPoolId=pool, GroupName=readers, RoleArn="not-an-arn-at-all-really")[
        "Code"] == "InvalidParameterException"


def test_list_groups_pages(env):
    tag = uuid.uuid4().hex[:6]
    for index in range(3):
        env.idp.create_group(UserPoolId=env.pool, GroupName=f"page-{tag}-{index}")
    names, token = [], None
    while True:
        page = env.idp.list_groups(UserPoolId=env.pool, Limit=2, **({"NextToken": token} if token else {}))
        names += [group["GroupName"] for group in page["Groups"]]
        token = page.get("NextToken")
        if not token:
            break
    assert [name for name in names if name.startswith(f"page-{tag}")] == [f"page-{tag}-{i}" for i in range(3)]
    assert len(names) == len(set(names))


def test_list_users_filters_and_pages(env):
    idp, pool = env.idp, env.pool
    tag = uuid.uuid4().hex[:6]
    ann = new_user(env, f"ann{tag}", [{"Name": "given_name", "Value": "Ann"},
                                      {"Name": "family_name", "Value": f"Quote\"{tag}"},
                                      {"Name": "preferred_username", "Value": f"annie{tag}"}])
    bea = new_user(env, f"bea{tag}", [{"Name": "phone_number", "Value": "+15550199"}])
    idp.admin_disable_user(UserPoolId=pool, Username=bea)
    idp.sign_up(ClientId=env.client, Username=f"cy{tag}", Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": f"cy{tag}@example.com"}])

    def names(filter_text, **extra):
        return sorted(user["Username"] for user in idp.list_users(UserPoolId=pool, Filter=filter_text, **extra)[
            "Users"])

    assert names(f'email = "{ann}@example.com"') == [ann]
    assert names(f'username ^= "{ann[:4].upper()}"') == [ann], "usernames match in any case"
    assert names(f'given_name = "Ann"') >= [ann]
    assert names(f'family_name = "Quote\\"{tag}"') == [ann], "an escaped quote in the value"
    assert names(f'preferred_username ^= "annie{tag}"') == [ann]
    assert bea in names('status = "Disabled"') and ann not in names('status = "Disabled"')
    assert f"cy{tag}" in names('cognito:user_status = "unconfirmed"')
    sub = [a["Value"] for a in idp.admin_get_user(UserPoolId=pool, Username=ann)["UserAttributes"]
           if a["Name"] == "sub"][0]
    assert names(f'sub = "{sub}"') == [ann]
    assert names('phone_number ^= "+1555019"') >= [bea]
    only_email = idp.list_users(UserPoolId=pool, Filter=f'username = "{ann}"', AttributesToGet=["email"])["Users"]
    assert only_email[0]["Attributes"] == [{"Name": "email", "Value": f"{ann}@example.com"}]

    for bad, says in [('shoe_size = "9"', "not an attribute"), ('email = "open', "not closed"),
                      ('email == "x"', "double quotes"), ('email "x"', "expected = or ^="),
                      ('status = "CONFIRMED"', "Enabled"), ('email = "x" and more', "unexpected text"),
                      ("x" * 2000, "longer than")]:
        refusal = error(idp.list_users, UserPoolId=pool, Filter=bad)
        assert refusal["Code"] == "InvalidParameterException" and says in refusal["Message"], (bad, refusal)

    everyone, token = [], None
    while True:
        page = idp.list_users(UserPoolId=pool, Limit=3, **({"PaginationToken": token} if token else {}))
        assert len(page["Users"]) <= 3
        everyone += [user["Username"] for user in page["Users"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert len(everyone) == len(set(everyone)) and {ann, bea, f"cy{tag}", "alice"} <= set(everyone)
    assert error(env.unchecked.list_users, UserPoolId=pool, Limit=61)["Code"] == "InvalidParameterException"
    assert error(idp.list_users, UserPoolId=pool, PaginationToken="@@")["Code"] == "InvalidParameterException"


def test_custom_attributes_and_deleting_attributes(env):
    idp, pool = env.idp, env.pool
    tag = uuid.uuid4().hex[:6]
    idp.add_custom_attributes(UserPoolId=pool, CustomAttributes=[
        {"Name": f"team{tag}", "AttributeDataType": "String", "Mutable": True},
        {"Name": f"badge{tag}", "AttributeDataType": "Number", "Mutable": False}])
    schema = {a["Name"]: a for a in idp.describe_user_pool(UserPoolId=pool)["UserPool"]["SchemaAttributes"]}
    assert schema[f"custom:team{tag}"]["AttributeDataType"] == "String"
    assert schema[f"custom:badge{tag}"]["Mutable"] is False
    assert f"team{tag}" in [a["name"] for a in env.cloud.read_pool()["customAttributes"]]
    assert "Existing attribute" in error(idp.add_custom_attributes, UserPoolId=pool, CustomAttributes=[
        {"Name": f"team{tag}"}])["Message"]
    assert error(idp.add_custom_attributes, UserPoolId=pool, CustomAttributes=[
        {"Name": "no spaces allowed", "AttributeDataType": "String"}])["Code"] == "InvalidParameterException"

    name = new_user(env, "attr", [{"Name": "name", "Value": "Full Name"},
                                  {"Name": f"custom:team{tag}", "Value": "blue"},
                                  {"Name": f"custom:badge{tag}", "Value": "7"}])
    access = sign_in(env, name)["AuthenticationResult"]["AccessToken"]
    idp.delete_user_attributes(AccessToken=access, UserAttributeNames=["name", f"custom:team{tag}"])
    attributes = {a["Name"] for a in idp.get_user(AccessToken=access)["UserAttributes"]}
    assert "name" not in attributes and f"custom:team{tag}" not in attributes and "email" in attributes
    assert error(idp.delete_user_attributes, AccessToken=access, UserAttributeNames=["sub"])["Code"] == \
        "InvalidParameterException"
    immutable = f"user.custom:badge{tag}: Attribute cannot be updated. (changing an immutable attribute)"
    assert error(idp.admin_delete_user_attributes, UserPoolId=pool, Username=name,
                 UserAttributeNames=[f"custom:badge{tag}"])["Message"] == immutable
    # Set when the user was created, never changed afterwards, by the user or an administrator.
    refused = error(idp.update_user_attributes, AccessToken=access,
                    UserAttributes=[{"Name": f"custom:badge{tag}", "Value": "8"}])
    assert (refused["Code"], refused["Message"]) == ("InvalidParameterException", immutable)
    refused = error(idp.admin_update_user_attributes, UserPoolId=pool, Username=name,
                    UserAttributes=[{"Name": f"custom:team{tag}", "Value": "red"},
                                    {"Name": f"custom:badge{tag}", "Value": "9"}])
    assert (refused["Code"], refused["Message"]) == ("InvalidParameterException", immutable)
    values = {a["Name"]: a["Value"] for a in idp.admin_get_user(UserPoolId=pool, Username=name)["UserAttributes"]}
    assert values[f"custom:badge{tag}"] == "7" and f"custom:team{tag}" not in values, "nothing was applied"
    idp.admin_update_user_attributes(UserPoolId=pool, Username=name,
                                     UserAttributes=[{"Name": f"custom:team{tag}", "Value": "red"}])
    assert error(idp.delete_user_attributes, AccessToken="not-a-token", UserAttributeNames=["name"])["Code"] == \
        "NotAuthorizedException"
    idp.admin_delete_user_attributes(UserPoolId=pool, Username=name, UserAttributeNames=["email"])
    attributes = {a["Name"] for a in idp.admin_get_user(UserPoolId=pool, Username=name)["UserAttributes"]}
    assert "email" not in attributes and "email_verified" not in attributes
    assert error(idp.admin_delete_user_attributes, UserPoolId=pool, Username="nobody-" + tag,
                 UserAttributeNames=["name"])["Code"] == "UserNotFoundException"


def test_mfa_configuration_and_update_user_pool(env, tmp_path):
    idp, pool = env.idp, env.pool
    before = idp.get_user_pool_mfa_config(UserPoolId=pool)
    assert before["MfaConfiguration"] == "OPTIONAL" and before["SoftwareTokenMfaConfiguration"]["Enabled"] is True
    try:
        assert error(idp.set_user_pool_mfa_config, UserPoolId=pool, MfaConfiguration="ON")["Code"] == \
            "InvalidParameterException", "ON needs a factor"
        answer = idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="ON",
                                              SoftwareTokenMfaConfiguration={"Enabled": True})
        assert answer["MfaConfiguration"] == "ON" and "EmailMfaConfiguration" not in answer
        assert env.cloud.read_pool()["enabledMFAs"] == ["SOFTWARE_TOKEN_MFA"]
        # A user without a second factor must now set one up.
        name = new_user(env, "mfa")
        assert sign_in(env, name)["ChallengeName"] == "MFA_SETUP"
    finally:
        idp.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="OPTIONAL",
                                     SoftwareTokenMfaConfiguration={"Enabled": True}, EmailMfaConfiguration={},
                                     SmsMfaConfiguration={})
    assert idp.get_user_pool_mfa_config(UserPoolId=pool)["MfaConfiguration"] == "OPTIONAL"

    original = idp.describe_user_pool(UserPoolId=pool)["UserPool"]
    try:
        idp.update_user_pool(UserPoolId=pool, MfaConfiguration="OPTIONAL", Policies={"PasswordPolicy": {
            "MinimumLength": 14, "RequireNumbers": True}})
        policy = idp.describe_user_pool(UserPoolId=pool)["UserPool"]["Policies"]["PasswordPolicy"]
        assert policy["MinimumLength"] == 14 and policy["RequireUppercase"] is False
        refusal = error(idp.sign_up, ClientId=env.client, Username="short-" + uuid.uuid4().hex[:6],
                        Password="Short-Pass-1!")
        assert refusal["Code"] == "InvalidPasswordException"
        for policy in ({"MinimumLength": 3}, {"MinimumLength": 100}, {"TemporaryPasswordValidityDays": 400}):
            assert error(env.unchecked.update_user_pool, UserPoolId=pool, Policies={"PasswordPolicy": policy})[
                "Code"] == "InvalidParameterException", policy
        # A setting left out goes back to its default: the MFA mode to OFF.
        idp.update_user_pool(UserPoolId=pool)
        assert idp.get_user_pool_mfa_config(UserPoolId=pool)["MfaConfiguration"] == "OFF"
    finally:
        idp.update_user_pool(UserPoolId=pool, MfaConfiguration=original["MfaConfiguration"],
                             Policies={"PasswordPolicy": original["Policies"]["PasswordPolicy"]})
    assert idp.describe_user_pool(UserPoolId=pool)["UserPool"]["Policies"] == original["Policies"]


def test_sign_in_events_are_listed_newest_first(env):
    idp, pool = env.idp, env.pool
    name = new_user(env, "events")
    assert error(sign_in, env, name, "Wrong-Password-1!")["Code"] == "NotAuthorizedException"
    sign_in(env, name)
    events = idp.admin_list_user_auth_events(UserPoolId=pool, Username=name)["AuthEvents"]
    assert [e["EventResponse"] for e in events] == ["Pass", "Fail"]
    assert events[0]["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Success"}]
    assert events[1]["ChallengeResponses"] == [{"ChallengeName": "Password", "ChallengeResponse": "Failure"}]
    assert all(e["EventType"] == "SignIn" for e in events)
    assert events[0]["CreationDate"] >= events[1]["CreationDate"]
    first = idp.admin_list_user_auth_events(UserPoolId=pool, Username=name, MaxResults=1)
    assert [e["EventId"] for e in first["AuthEvents"]] == [events[0]["EventId"]]
    second = idp.admin_list_user_auth_events(UserPoolId=pool, Username=name, MaxResults=1,
                                             NextToken=first["NextToken"])
    assert [e["EventId"] for e in second["AuthEvents"]] == [events[1]["EventId"]] and "NextToken" not in second
    assert error(idp.admin_list_user_auth_events, UserPoolId=pool, Username="nobody-x")["Code"] == \
        "UserNotFoundException"


def test_get_tokens_from_refresh_token_with_and_without_rotation(env):
    idp = env.idp
    name = new_user(env, "refresh")
    first = sign_in(env, name)["AuthenticationResult"]
    answer = idp.get_tokens_from_refresh_token(ClientId=env.client, RefreshToken=first["RefreshToken"])[
        "AuthenticationResult"]
    assert claims(answer["IdToken"])["cognito:username"] == name and "RefreshToken" not in answer
    assert answer["TokenType"] == "Bearer" and answer["ExpiresIn"] > 0
    assert error(idp.get_tokens_from_refresh_token, ClientId=env.client, RefreshToken="nope")["Code"] == \
        "NotAuthorizedException"

    settings = env.cloud.read_pool()
    env.cloud.write_pool(dict(settings, refreshTokenRotation=True))
    try:
        def rotated():
            try:
                return idp.get_tokens_from_refresh_token(ClientId=env.client, RefreshToken=first["RefreshToken"])[
                    "AuthenticationResult"].get("RefreshToken")
            except ClientError:
                return None
        replacement = wait_until(rotated, what="rotation to take effect")
        assert replacement != first["RefreshToken"]
        assert error(idp.get_tokens_from_refresh_token, ClientId=env.client,
                     RefreshToken=first["RefreshToken"])["Code"] == "NotAuthorizedException"
    finally:
        env.cloud.write_pool(dict(env.cloud.read_pool(), refreshTokenRotation=False))

    secret_client = idp.create_user_pool_client(UserPoolId=env.pool, ClientName="secret-" + name, GenerateSecret=True,
                                                ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                                   "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    import hashlib
    import hmac
    digest = hmac.new(secret_client["ClientSecret"].encode(), (name + secret_client["ClientId"]).encode(),
                      hashlib.sha256).digest()
    signed_in = idp.initiate_auth(ClientId=secret_client["ClientId"], AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD,
                                                  "SECRET_HASH": base64.b64encode(digest).decode()})
    refresh = signed_in["AuthenticationResult"]["RefreshToken"]
    assert error(idp.get_tokens_from_refresh_token, ClientId=secret_client["ClientId"], RefreshToken=refresh,
                 ClientSecret="w" * 51)["Code"] == "NotAuthorizedException"
    assert idp.get_tokens_from_refresh_token(ClientId=secret_client["ClientId"], RefreshToken=refresh,
                                             ClientSecret=secret_client["ClientSecret"])["AuthenticationResult"][
        "IdToken"]


def test_the_signing_certificate_holds_the_token_signing_key(env):
    import urllib.request

    answer = env.idp.get_signing_certificate(UserPoolId=env.pool)
    certificate = x509.load_der_x509_certificate(base64.b64decode(answer["Certificate"]))
    assert env.idp.get_signing_certificate(UserPoolId=env.pool)["Certificate"] == answer["Certificate"], \
        "the same key gives the same certificate"
    with urllib.request.urlopen(f"{env.cloud.url}/{env.pool}/.well-known/jwks.json") as response:
        keys = json.load(response)["keys"]
    numbers = certificate.public_key().public_numbers()
    modulus = base64.urlsafe_b64encode(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")).rstrip(b"=")
    assert modulus.decode() in [key["n"] for key in keys]
    certificate.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes,
                                    __import__("cryptography.hazmat.primitives.asymmetric.padding",
                                               fromlist=["PKCS1v15"]).PKCS1v15(),
                                    certificate.signature_hash_algorithm)
    assert error(env.idp.get_signing_certificate, UserPoolId="us-east-1_nothere")["Code"] == \
        "ResourceNotFoundException"


def test_every_operation_through_the_aws_cli(env, tmp_path):
    aws = aws_cli(env, tmp_path)
    pool = ["--user-pool-id", env.pool]
    tag = uuid.uuid4().hex[:6]
    name = new_user(env, f"cli{tag}", [{"Name": "name", "Value": "Cli User"}])
    group = f"cli-{tag}"
    env.idp.create_group(UserPoolId=env.pool, GroupName=group, Precedence=3)
    env.idp.admin_add_user_to_group(UserPoolId=env.pool, GroupName=group, Username=name)
    tokens = sign_in(env, name)["AuthenticationResult"]

    # Each CLI run is a second of Python starting up: the independent ones at once.
    calls = {
        "members": ["list-users-in-group", *pool, "--group-name", group],
        "updated": ["update-group", *pool, "--group-name", group, "--description", "from the CLI",
                    "--role-arn", ROLE + "Cli", "--precedence", "2"],
        "custom": ["add-custom-attributes", *pool, "--custom-attributes",
                   f"Name=cli{tag},AttributeDataType=String"],
        "mfa": ["get-user-pool-mfa-config", *pool],
        "events": ["admin-list-user-auth-events", *pool, "--username", name],
        "refreshed": ["get-tokens-from-refresh-token", "--client-id", env.client, "--refresh-token",
                      tokens["RefreshToken"]],
        "certificate": ["get-signing-certificate", *pool],
        "filtered": ["list-users", *pool, "--filter", f'username = "{name}"'],
        "bad filter": ["list-users", *pool, "--filter", "username ~ x"],
        "deleted own": ["delete-user-attributes", "--access-token", tokens["AccessToken"],
                        "--user-attribute-names", "name"],
    }
    failing = {"bad filter"}
    with ThreadPoolExecutor(5) as runner:
        results = dict(zip(calls, runner.map(lambda key: aws(*calls[key], fails=key in failing), calls)))
    assert [u["Username"] for u in results["members"]["Users"]] == [name]
    assert results["updated"]["Group"]["RoleArn"] == ROLE + "Cli"
    assert f"cli{tag}" in [a["name"] for a in env.cloud.read_pool()["customAttributes"]]
    assert results["mfa"]["MfaConfiguration"] in ("OFF", "ON", "OPTIONAL")
    assert results["events"]["AuthEvents"][0]["EventResponse"] == "Pass"
    assert claims(results["refreshed"]["AuthenticationResult"]["IdToken"])["cognito:username"] == name
    assert x509.load_der_x509_certificate(base64.b64decode(results["certificate"]["Certificate"]))
    assert [u["Username"] for u in results["filtered"]["Users"]] == [name]
    assert "InvalidParameterException" in results["bad filter"]
    assert "name" not in {a["Name"] for a in env.idp.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"]}

    # The ones that change the pool, one after another.
    aws("set-user-pool-mfa-config", *pool, "--mfa-configuration", "OPTIONAL",
        "--software-token-mfa-configuration", "Enabled=true", "--email-mfa-configuration", "Subject=Code",
        "--sms-mfa-configuration", json.dumps({"SmsAuthenticationMessage": "Code {####}"}))
    assert aws("get-user-pool-mfa-config", *pool)["SoftwareTokenMfaConfiguration"] == {"Enabled": True}
    original = env.idp.describe_user_pool(UserPoolId=env.pool)["UserPool"]
    policy = original["Policies"]["PasswordPolicy"]
    aws("update-user-pool", *pool, "--mfa-configuration", original["MfaConfiguration"], "--policies",
        json.dumps({"PasswordPolicy": policy}))
    assert env.idp.describe_user_pool(UserPoolId=env.pool)["UserPool"]["Policies"]["PasswordPolicy"] == policy
    aws("admin-delete-user-attributes", *pool, "--username", name, "--user-attribute-names", "email")
    aws("delete-group", *pool, "--group-name", group)
    assert "ResourceNotFoundException" in aws("get-group", *pool, "--group-name", group, fails=True)
