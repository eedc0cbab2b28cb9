"""The local user pool driven by independent Cognito clients: pycognito's SRP, boto3, pyotp and PyJWT.

Each test runs against the real `handset-cloud serve --demo` binary on a free port.
"""

import json
import time
import urllib.request

import boto3
import jwt
import pyotp
import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SoftwareTokenMFAChallengeException

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def pool(cloud):
    outputs = json.loads(cloud.outputs_file.read_text())
    return {"id": outputs["auth"]["user_pool_id"], "client": outputs["auth"]["user_pool_client_id"],
            "region": outputs["auth"]["aws_region"]}


@pytest.fixture
def idp(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


def user(cloud, pool, username):
    """pycognito's client for one user, pointed at the local cloud (it verifies tokens against our JWKS)."""
    return Cognito(pool["id"], pool["client"], user_pool_region=pool["region"], username=username,
                   boto3_client_kwargs={"endpoint_url": cloud.url, "aws_access_key_id": "x",
                                        "aws_secret_access_key": "x"})


def mailbox(cloud, username):
    with urllib.request.urlopen(f"{cloud.url}/_loopback/mailbox?username={username}") as response:
        return json.load(response)["messages"]


def fresh_totp(secret):
    """The current TOTP code (the server accepts one 30-second step of drift either way)."""
    return pyotp.TOTP(secret).now()


def error_code(info):
    return info.value.response["Error"]["Code"]


def test_pycognito_signs_in_with_srp_and_verifies_the_tokens(cloud, pool):
    alice = user(cloud, pool, "alice")
    alice.authenticate(password="Wonderland-42!")  # SRP; tokens verified by pycognito with PyJWT + our JWKS
    claims = alice.verify_token(alice.id_token, "id_token", "id")
    assert claims["cognito:username"] == "alice"
    assert claims["iss"] == f"{cloud.url}/{pool['id']}"
    assert alice.refresh_token


def test_the_id_token_verifies_with_pyjwt_against_the_served_jwks(cloud, pool):
    alice = user(cloud, pool, "alice")
    alice.authenticate(password="Wonderland-42!")
    jwks = jwt.PyJWKClient(f"{cloud.url}/{pool['id']}/.well-known/jwks.json")
    key = jwks.get_signing_key_from_jwt(alice.id_token)
    claims = jwt.decode(alice.id_token, key.key, algorithms=["RS256"], audience=pool["client"],
                        issuer=f"{cloud.url}/{pool['id']}")
    assert claims["token_use"] == "id" and claims["email"] == "alice@example.com"


def test_a_wrong_password_and_an_unknown_user_are_refused_alike(idp, pool):
    def attempt(username, password):
        with pytest.raises(ClientError) as info:
            AWSSRP(username=username, password=password, pool_id=pool["id"], client_id=pool["client"],
                   client=idp).authenticate_user()
        return info.value.response["Error"]

    wrong = attempt("alice", "Not-the-password-1")
    unknown = attempt("mallory", "Wonderland-42!")
    assert wrong["Code"] == unknown["Code"] == "NotAuthorizedException"
    assert wrong["Message"] == unknown["Message"]


def test_tina_signs_in_with_srp_and_a_pyotp_code(cloud, pool):
    tina = user(cloud, pool, "tina")
    with pytest.raises(SoftwareTokenMFAChallengeException):
        tina.authenticate(password="Authenticator-42!")
    tina.respond_to_software_token_mfa_challenge(fresh_totp(TINA_SECRET))
    claims = tina.verify_token(tina.id_token, "id_token", "id")
    assert claims["cognito:groups"] == ["admins"]


def test_sign_up_confirm_with_the_mailbox_code_then_sign_in(cloud, pool, idp):
    result = idp.sign_up(ClientId=pool["client"], Username="carol", Password="Carol-Password-1",
                         UserAttributes=[{"Name": "email", "Value": "carol@example.com"}])
    assert result["UserConfirmed"] is False
    assert result["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = mailbox(cloud, "carol")[-1]["code"]
    idp.confirm_sign_up(ClientId=pool["client"], Username="carol", ConfirmationCode=code)
    carol = user(cloud, pool, "carol")
    carol.authenticate(password="Carol-Password-1")
    assert carol.verify_token(carol.id_token, "id_token", "id")["email_verified"] is True


def test_admin_create_user_then_new_password_challenge_then_refresh_and_global_sign_out(cloud, pool, idp):
    created = idp.admin_create_user(UserPoolId=pool["id"], Username="dave", TemporaryPassword="Temporary-Pass-1",
                                    UserAttributes=[{"Name": "email", "Value": "dave@example.com"}])
    assert created["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert mailbox(cloud, "dave")[-1]["code"] == "Temporary-Pass-1"

    dave = user(cloud, pool, "dave")
    dave.new_password_challenge(password="Temporary-Pass-1", new_password="Dave-Chose-This-1")
    assert idp.admin_get_user(UserPoolId=pool["id"], Username="dave")["UserStatus"] == "CONFIRMED"

    refreshed = idp.initiate_auth(ClientId=pool["client"], AuthFlow="REFRESH_TOKEN_AUTH",
                                  AuthParameters={"REFRESH_TOKEN": dave.refresh_token})
    assert "IdToken" in refreshed["AuthenticationResult"]
    idp.global_sign_out(AccessToken=dave.access_token)
    with pytest.raises(ClientError) as info:
        idp.initiate_auth(ClientId=pool["client"], AuthFlow="REFRESH_TOKEN_AUTH",
                          AuthParameters={"REFRESH_TOKEN": dave.refresh_token})
    assert error_code(info) == "NotAuthorizedException"


def test_totp_setup_with_pyotp_through_boto3(cloud, pool, idp):
    bob = user(cloud, pool, "bob")
    bob.authenticate(password="Builder-42!")
    secret = idp.associate_software_token(AccessToken=bob.access_token)["SecretCode"]
    assert idp.verify_software_token(AccessToken=bob.access_token, UserCode=fresh_totp(secret),
                                     FriendlyDeviceName="pyotp")["Status"] == "SUCCESS"
    idp.set_user_mfa_preference(AccessToken=bob.access_token,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    assert idp.get_user(AccessToken=bob.access_token)["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"

    again = user(cloud, pool, "bob")
    with pytest.raises(SoftwareTokenMFAChallengeException):
        again.authenticate(password="Builder-42!")
    # The current code was used to verify, and a used code is refused: the next step's code is within the window.
    again.respond_to_software_token_mfa_challenge(pyotp.TOTP(secret).at(time.time() + 30))
    assert again.access_token


def test_admin_operations_and_groups(cloud, pool, idp):
    idp.create_group(UserPoolId=pool["id"], GroupName="editors", Description="Can edit")
    idp.admin_add_user_to_group(UserPoolId=pool["id"], Username="bob", GroupName="editors")
    groups = idp.admin_list_groups_for_user(UserPoolId=pool["id"], Username="bob")["Groups"]
    assert [group["GroupName"] for group in groups] == ["editors"]
    bob = user(cloud, pool, "bob")
    bob.authenticate(password="Builder-42!")
    assert bob.verify_token(bob.id_token, "id_token", "id")["cognito:groups"] == ["editors"]

    users = idp.list_users(UserPoolId=pool["id"], Filter='email = "alice@example.com"')["Users"]
    assert [entry["Username"] for entry in users] == ["alice"]
    idp.admin_set_user_password(UserPoolId=pool["id"], Username="alice", Password="Looking-Glass-7", Permanent=True)
    user(cloud, pool, "alice").authenticate(password="Looking-Glass-7")
    idp.admin_disable_user(UserPoolId=pool["id"], Username="alice")
    with pytest.raises(ClientError) as info:
        user(cloud, pool, "alice").authenticate(password="Looking-Glass-7")
    assert error_code(info) == "NotAuthorizedException"
    idp.admin_enable_user(UserPoolId=pool["id"], Username="alice")
    idp.admin_remove_user_from_group(UserPoolId=pool["id"], Username="bob", GroupName="editors")
    idp.admin_delete_user(UserPoolId=pool["id"], Username="bob")
    with pytest.raises(ClientError) as info:
        idp.admin_get_user(UserPoolId=pool["id"], Username="bob")
    assert error_code(info) == "UserNotFoundException"


def test_unsupported_operations_answer_in_cognito_shape(idp):
    with pytest.raises(ClientError) as info:
        idp.list_web_authn_credentials(AccessToken="x")
    assert error_code(info) == "UnknownOperationException"
    assert "ListWebAuthnCredentials" in info.value.response["Error"]["Message"]
