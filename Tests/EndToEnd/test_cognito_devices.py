"""Remembered devices and server-side sign-in against the real `handset-cloud serve --demo`, driven by boto3 with
pycognito's SRP helpers (an independent implementation of Cognito's device SRP) and by the AWS CLI.

Device steps pass the Session Cognito hands out; pycognito's own `authenticate_user` leaves it out of the device
challenges, which handset-cloud refuses (a device proof must follow the password proof of the same sign-in).
"""

import json
import os
import subprocess
import time

import uuid

import boto3
import jwt
import pyotp
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP, generate_hash_device

from conftest import wait_until

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TINA_PASSWORD = "Authenticator-42!"


def apply_pool(cloud, settings):
    """Writes the pool's settings and waits until the running cloud serves them (at once on SQLite, within a second
    on MariaDB): the app client's name is a fresh marker, read back through DescribeUserPoolClient."""
    marker = "handset-" + uuid.uuid4().hex[:8]
    settings["clients"][0]["name"] = marker
    cloud.write_pool(settings)
    client = boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=settings["region"],
                          aws_access_key_id="x", aws_secret_access_key="x")

    def served():
        described = client.describe_user_pool_client(UserPoolId=settings["userPoolId"],
                                                     ClientId=settings["clients"][0]["clientId"])
        return described["UserPoolClient"]["ClientName"] == marker

    wait_until(served, what="the new pool settings")


@pytest.fixture
def pool(cloud):
    outputs = json.loads(cloud.outputs_file.read_text())
    settings = cloud.read_pool()
    settings["deviceConfiguration"] = {"ChallengeRequiredOnNewDevice": True,
                                       "DeviceOnlyRememberedOnUserPrompt": False}
    settings["clients"][0]["allowedFlows"].append("ADMIN_USER_PASSWORD_AUTH")
    apply_pool(cloud, settings)
    return {"id": outputs["auth"]["user_pool_id"], "client": outputs["auth"]["user_pool_client_id"],
            "region": outputs["auth"]["aws_region"]}


@pytest.fixture
def idp(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


def error_code(info):
    return info.value.response["Error"]["Code"]


class Codes:
    """TOTP codes for tina, each a later step than the one before (the pool accepts a step once, one step of drift)."""

    def __init__(self):
        self.offset = 0

    def next(self):
        code = pyotp.TOTP(TINA_SECRET).at(time.time() + 30 * self.offset)
        self.offset += 1
        assert self.offset <= 2, "more codes than one step of drift allows"
        return code


def password_step(idp, pool, username="tina", password=TINA_PASSWORD, device=None):
    """USER_SRP_AUTH with pycognito's SRP (and its DEVICE_KEY), answered with the password."""
    keys = {} if device is None else {"device_key": device["key"], "device_group_key": device["group"],
                                      "device_password": device["password"]}
    srp = AWSSRP(username=username, password=password, pool_id=pool["id"], client_id=pool["client"], client=idp,
                 **keys)
    parameters = srp.get_auth_params()
    started = idp.initiate_auth(AuthFlow="USER_SRP_AUTH", AuthParameters=parameters, ClientId=pool["client"])
    assert started["ChallengeName"] == "PASSWORD_VERIFIER"
    responses = srp.process_challenge(started["ChallengeParameters"], parameters)
    answer = idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="PASSWORD_VERIFIER",
                                           ChallengeResponses=responses)
    return srp, answer


def device_step(idp, pool, srp, answer):
    """DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER, with the Sessions handed out."""
    assert answer["ChallengeName"] == "DEVICE_SRP_AUTH", answer
    verifier = idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="DEVICE_SRP_AUTH", Session=answer["Session"],
        ChallengeResponses={"USERNAME": "tina", "DEVICE_KEY": srp.device_key,
                            "SRP_A": format(srp.large_a_value, "x")})
    assert verifier["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    responses = srp.process_device_challenge(verifier["ChallengeParameters"])
    return verifier, responses, idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="DEVICE_PASSWORD_VERIFIER", Session=verifier["Session"],
        ChallengeResponses=responses)


def sign_in_with_code(idp, pool, codes, device=None):
    _, answer = password_step(idp, pool, device=device)
    assert answer["ChallengeName"] == "SOFTWARE_TOKEN_MFA", answer
    return idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="SOFTWARE_TOKEN_MFA", Session=answer["Session"],
        ChallengeResponses={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": codes.next()})["AuthenticationResult"]


def confirm(idp, tokens):
    metadata = tokens["NewDeviceMetadata"]
    password, config = generate_hash_device(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    answer = idp.confirm_device(AccessToken=tokens["AccessToken"], DeviceKey=metadata["DeviceKey"],
                                DeviceSecretVerifierConfig=config, DeviceName="pytest")
    assert answer["UserConfirmationNecessary"] is False
    return {"key": metadata["DeviceKey"], "group": metadata["DeviceGroupKey"], "password": password}


def test_a_device_confirmed_with_pycognito_signs_in_without_the_code_until_forgotten(cloud, pool, idp):
    codes = Codes()
    tokens = sign_in_with_code(idp, pool, codes)
    device = confirm(idp, tokens)
    assert jwt.decode(tokens["AccessToken"], options={"verify_signature": False})["device_key"] == device["key"]

    srp, answer = password_step(idp, pool, device=device)
    _, _, signed_in = device_step(idp, pool, srp, answer)
    result = signed_in["AuthenticationResult"]
    assert "NewDeviceMetadata" not in result
    claims = jwt.decode(result["AccessToken"], options={"verify_signature": False})
    assert claims["device_key"] == device["key"]

    access = result["AccessToken"]
    listed = idp.list_devices(AccessToken=access)["Devices"]
    assert [entry["DeviceKey"] for entry in listed] == [device["key"]]
    attributes = {item["Name"]: item["Value"] for item in listed[0]["DeviceAttributes"]}
    assert attributes["device_name"] == "pytest" and attributes["dev:device_remembered_status"] == "remembered"
    assert idp.get_device(AccessToken=access, DeviceKey=device["key"])["Device"]["DeviceKey"] == device["key"]
    idp.update_device_status(AccessToken=access, DeviceKey=device["key"], DeviceRememberedStatus="not_remembered")
    # Not remembered: the device proves itself, and the code is asked for all the same.
    srp, answer = password_step(idp, pool, device=device)
    _, _, after = device_step(idp, pool, srp, answer)
    assert after["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    idp.update_device_status(AccessToken=access, DeviceKey=device["key"], DeviceRememberedStatus="remembered")

    idp.forget_device(AccessToken=access, DeviceKey=device["key"])
    with pytest.raises(ClientError) as info:
        idp.get_device(AccessToken=access, DeviceKey=device["key"])
    assert error_code(info) == "ResourceNotFoundException"
    again = sign_in_with_code(idp, pool, codes, device=device)
    assert again["NewDeviceMetadata"]["DeviceKey"] != device["key"]


def test_wrong_device_secret_replayed_answers_and_sessionless_device_steps_are_refused(cloud, pool, idp):
    device = confirm(idp, sign_in_with_code(idp, pool, Codes()))
    wrong = dict(device, password=device["password"][::-1])
    srp, answer = password_step(idp, pool, device=wrong)
    with pytest.raises(ClientError) as info:
        device_step(idp, pool, srp, answer)
    assert error_code(info) == "NotAuthorizedException"

    srp, answer = password_step(idp, pool, device=device)
    verifier, responses, _ = device_step(idp, pool, srp, answer)
    for name, session, challenge_responses in [
            ("DEVICE_PASSWORD_VERIFIER", verifier["Session"], responses),
            ("DEVICE_SRP_AUTH", answer["Session"], {"USERNAME": "tina", "DEVICE_KEY": device["key"],
                                                    "SRP_A": format(srp.large_a_value, "x")})]:
        with pytest.raises(ClientError) as info:
            idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName=name, Session=session,
                                          ChallengeResponses=challenge_responses)
        assert error_code(info) == "NotAuthorizedException"
    # pycognito's own flow sends the device steps without a Session: refused.
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="DEVICE_SRP_AUTH",
                                      ChallengeResponses={"USERNAME": "tina", "DEVICE_KEY": device["key"],
                                                          "SRP_A": format(srp.large_a_value, "x")})
    assert error_code(info) == "NotAuthorizedException"

    # alice naming tina's device: ignored (alice has no MFA: tokens at once, for a new device of her own).
    _, alice = password_step(idp, pool, username="alice", password="Wonderland-42!", device=device)
    assert alice["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"] != device["key"]
    with pytest.raises(ClientError) as info:
        idp.forget_device(AccessToken=alice["AuthenticationResult"]["AccessToken"], DeviceKey=device["key"])
    assert error_code(info) == "ResourceNotFoundException"


def test_admin_device_operations_and_the_aws_cli(cloud, pool, idp, workdir):
    device = confirm(idp, sign_in_with_code(idp, pool, Codes()))
    listed = idp.admin_list_devices(UserPoolId=pool["id"], Username="tina", Limit=10)["Devices"]
    assert [entry["DeviceKey"] for entry in listed] == [device["key"]]
    idp.admin_update_device_status(UserPoolId=pool["id"], Username="tina", DeviceKey=device["key"],
                                   DeviceRememberedStatus="not_remembered")
    got = idp.admin_get_device(UserPoolId=pool["id"], Username="tina", DeviceKey=device["key"])["Device"]
    assert {"Name": "dev:device_remembered_status", "Value": "not_remembered"} in got["DeviceAttributes"]
    with pytest.raises(ClientError) as info:
        idp.admin_get_device(UserPoolId=pool["id"], Username="alice", DeviceKey=device["key"])
    assert error_code(info) == "ResourceNotFoundException"

    environment = {**os.environ, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x",
                   "AWS_DEFAULT_REGION": pool["region"], "AWS_CONFIG_FILE": str(workdir / "no-config"),
                   "AWS_EC2_METADATA_DISABLED": "true"}

    def aws(*arguments):
        result = subprocess.run(["aws", "cognito-idp", *arguments, "--endpoint-url", cloud.url, "--output", "json"],
                                capture_output=True, text=True, env=environment, timeout=60)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout) if result.stdout.strip() else {}

    shown = aws("admin-list-devices", "--user-pool-id", pool["id"], "--username", "tina")
    assert [entry["DeviceKey"] for entry in shown["Devices"]] == [device["key"]]
    aws("admin-forget-device", "--user-pool-id", pool["id"], "--username", "tina", "--device-key", device["key"])
    assert aws("admin-list-devices", "--user-pool-id", pool["id"], "--username", "tina")["Devices"] == []


def test_admin_initiate_auth_every_step(cloud, pool, idp):
    tokens = idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"],
                                     AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "alice", "PASSWORD": "Wonderland-42!"})
    result = tokens["AuthenticationResult"]
    assert jwt.decode(result["IdToken"], options={"verify_signature": False})["cognito:username"] == "alice"
    refreshed = idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"],
                                        AuthFlow="REFRESH_TOKEN_AUTH",
                                        AuthParameters={"REFRESH_TOKEN": result["RefreshToken"]})
    assert refreshed["AuthenticationResult"]["AccessToken"]

    challenge = idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"], AuthFlow="ADMIN_NO_SRP_AUTH",
                                        AuthParameters={"USERNAME": "tina", "PASSWORD": TINA_PASSWORD})
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    signed_in = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool["id"], ClientId=pool["client"], ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "tina", "SOFTWARE_TOKEN_MFA_CODE": Codes().next()})
    assert signed_in["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]

    # A temporary password: NEW_PASSWORD_REQUIRED answered through the Admin form.
    idp.admin_create_user(UserPoolId=pool["id"], Username="dana", TemporaryPassword="Temporary-Pass-1",
                          MessageAction="SUPPRESS")
    first = idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"],
                                    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                    AuthParameters={"USERNAME": "dana", "PASSWORD": "Temporary-Pass-1"})
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool["id"], ClientId=pool["client"], ChallengeName="NEW_PASSWORD_REQUIRED", Session=first["Session"],
        ChallengeResponses={"USERNAME": "dana", "NEW_PASSWORD": "Permanent-Pass-2"})
    assert done["AuthenticationResult"]["IdToken"]

    for flow, parameters, expected in [
            ("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": "alice", "PASSWORD": "wrong"}, "NotAuthorizedException"),
            ("ADMIN_USER_PASSWORD_AUTH", {"USERNAME": "nobody", "PASSWORD": "wrong"}, "NotAuthorizedException"),
            ("CUSTOM_AUTH", {"USERNAME": "alice"}, "InvalidParameterException")]:
        with pytest.raises(ClientError) as info:
            idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"], AuthFlow=flow,
                                    AuthParameters=parameters)
        assert error_code(info) == expected
    with pytest.raises(ClientError) as info:
        idp.admin_initiate_auth(UserPoolId="us-east-1_nope", ClientId=pool["client"],
                                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "alice", "PASSWORD": "Wonderland-42!"})
    assert error_code(info) == "ResourceNotFoundException"


def test_admin_password_flow_needs_the_client_to_allow_it(cloud, pool, idp):
    settings = cloud.read_pool()
    settings["clients"][0]["allowedFlows"].remove("ADMIN_USER_PASSWORD_AUTH")
    apply_pool(cloud, settings)
    with pytest.raises(ClientError) as info:
        idp.admin_initiate_auth(UserPoolId=pool["id"], ClientId=pool["client"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "alice", "PASSWORD": "Wonderland-42!"})
    assert error_code(info) == "InvalidParameterException"
