"""USER_AUTH, the choice-based sign-in, against the real `handset-cloud serve --demo` through boto3: SELECT_CHALLENGE
with the pool's allowed first factors, a password, its SRP proof (pycognito's), or a one-time code by email or text
message (read from the cloud's delivered messages), and the unhappy paths.
"""

import json
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from test_cognito_devices import apply_pool


@pytest.fixture
def pool(cloud):
    outputs = json.loads(cloud.outputs_file.read_text())
    settings = cloud.read_pool()
    settings["allowedFirstAuthFactors"] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
    settings["clients"][0]["allowedFlows"].append("USER_AUTH")
    apply_pool(cloud, settings)
    return {"id": outputs["auth"]["user_pool_id"], "client": outputs["auth"]["user_pool_client_id"],
            "region": outputs["auth"]["aws_region"]}


@pytest.fixture
def idp(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


def error_code(info):
    return info.value.response["Error"]["Code"]


def last_code(cloud, username, purpose):
    messages = [message for message in cloud.mailbox_messages()
                if message["username"] == username and message["purpose"] == purpose]
    assert messages, f"no {purpose} message to {username}"
    return messages[-1]["code"]


def start(idp, pool, username, **parameters):
    return idp.initiate_auth(AuthFlow="USER_AUTH", ClientId=pool["client"],
                             AuthParameters={"USERNAME": username, **parameters})


def test_select_challenge_lists_what_the_user_can_use_and_each_choice_signs_in(cloud, pool, idp):
    # emma has a verified email and no phone: no SMS_OTP for her.
    selected = start(idp, pool, "emma")
    assert selected["ChallengeName"] == "SELECT_CHALLENGE"
    assert selected["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    sent = idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="SELECT_CHALLENGE",
                                         Session=selected["Session"],
                                         ChallengeResponses={"USERNAME": "emma", "ANSWER": "EMAIL_OTP"})
    assert sent["ChallengeName"] == "EMAIL_OTP"
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    code = last_code(cloud, "emma", "EMAIL_OTP")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="EMAIL_OTP", Session=sent["Session"],
                                      ChallengeResponses={"USERNAME": "emma", "EMAIL_OTP_CODE": wrong})
    assert error_code(info) == "CodeMismatchException"
    tokens = idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="EMAIL_OTP", Session=sent["Session"],
                                           ChallengeResponses={"USERNAME": "emma", "EMAIL_OTP_CODE": code})
    assert tokens["AuthenticationResult"]["IdToken"], "a code as the first factor needs no second one"
    # The session answered once.
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="EMAIL_OTP", Session=sent["Session"],
                                      ChallengeResponses={"USERNAME": "emma", "EMAIL_OTP_CODE": code})
    assert error_code(info) == "NotAuthorizedException"

    # The password, through SELECT_CHALLENGE and through PREFERRED_CHALLENGE.
    selected = start(idp, pool, "alice")
    tokens = idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="SELECT_CHALLENGE", Session=selected["Session"],
        ChallengeResponses={"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": "Wonderland-42!"})
    assert tokens["AuthenticationResult"]["AccessToken"]
    assert start(idp, pool, "alice", PREFERRED_CHALLENGE="PASSWORD",
                 PASSWORD="Wonderland-42!")["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError) as info:
        start(idp, pool, "alice", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="wrong")
    assert error_code(info) == "NotAuthorizedException"

    # PASSWORD_SRP with pycognito's SRP values.
    srp = AWSSRP(username="alice", password="Wonderland-42!", pool_id=pool["id"], client_id=pool["client"], client=idp)
    parameters = srp.get_auth_params()
    verifier = start(idp, pool, "alice", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=parameters["SRP_A"])
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    answer = idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=srp.process_challenge(verifier["ChallengeParameters"], parameters))
    assert answer["AuthenticationResult"]["AccessToken"]


def test_sms_code_as_the_first_factor(cloud, pool, idp):
    sent = start(idp, pool, "sam", PREFERRED_CHALLENGE="SMS_OTP")
    assert sent["ChallengeName"] == "SMS_OTP"
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS"
    tokens = idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="SMS_OTP", Session=sent["Session"],
        ChallengeResponses={"USERNAME": "sam", "SMS_OTP_CODE": last_code(cloud, "sam", "SMS_OTP")})
    assert tokens["AuthenticationResult"]["IdToken"]


def test_unknown_users_choices_the_pool_setting_and_the_client_setting(cloud, pool, idp):
    before = len(cloud.mailbox_messages())
    selected = start(idp, pool, "nobody")
    assert selected["ChallengeName"] == "SELECT_CHALLENGE"
    sent = idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="SELECT_CHALLENGE",
                                         Session=selected["Session"],
                                         ChallengeResponses={"USERNAME": "nobody", "ANSWER": "EMAIL_OTP"})
    assert sent["ChallengeName"] == "EMAIL_OTP"
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="EMAIL_OTP", Session=sent["Session"],
                                      ChallengeResponses={"USERNAME": "nobody", "EMAIL_OTP_CODE": "123456"})
    assert error_code(info) == "CodeMismatchException", "the same answer as a wrong code"
    assert len(cloud.mailbox_messages()) == before, "nothing is sent for a name that is no user"

    selected = start(idp, pool, "alice")
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="SELECT_CHALLENGE",
                                      Session=selected["Session"],
                                      ChallengeResponses={"USERNAME": "alice", "ANSWER": "WEB_AUTHN"})
    assert error_code(info) == "InvalidParameterException"

    settings = cloud.read_pool()
    settings["allowedFirstAuthFactors"] = ["PASSWORD"]
    apply_pool(cloud, settings)
    assert start(idp, pool, "emma")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]
    # A preferred factor the pool does not allow falls back to the choice.
    assert start(idp, pool, "emma", PREFERRED_CHALLENGE="EMAIL_OTP")["ChallengeName"] == "SELECT_CHALLENGE"

    settings["clients"][0]["allowedFlows"].remove("USER_AUTH")
    apply_pool(cloud, settings)
    with pytest.raises(ClientError) as info:
        start(idp, pool, "alice")
    assert error_code(info) == "InvalidParameterException"


def test_handset_login_passwordless_signs_in_with_the_emailed_code(bin_dir, cloud, pool, terminal, client_env):
    import subprocess

    from conftest import wait_until

    subprocess.run([str(bin_dir / "handset"), "config", "import", str(cloud.outputs_file)], env=client_env,
                   check=True, capture_output=True, timeout=60)
    terminal.run(["sh", "-c", f"{bin_dir / 'handset'} login --passwordless --username emma; echo exit=$?; sleep 60"],
                 client_env)
    terminal.wait_for("Email code")
    assert "Password" not in terminal.screen()
    code = wait_until(lambda: next((message["code"] for message in reversed(cloud.mailbox_messages())
                                    if message["username"] == "emma" and message["purpose"] == "EMAIL_OTP"), None),
                      what="the emailed code")
    terminal.type(code)
    terminal.press("Enter")
    screen = terminal.wait_for("exit=")
    assert "Signed in as emma" in screen and "exit=0" in screen

    # A pool that allows only the password says so.
    settings = cloud.read_pool()
    settings["allowedFirstAuthFactors"] = ["PASSWORD"]
    apply_pool(cloud, settings)
    result = subprocess.run([str(bin_dir / "handset"), "login", "--passwordless", "--username", "emma"],
                            env=client_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4 and "does not offer sign-in with a code" in result.stderr


def published_factors(cloud, expected):
    """Waits until amplify_outputs.json names `expected` as the codes the app can sign in with."""
    from conftest import wait_until

    def factors():
        handset = json.loads(cloud.outputs_file.read_text()).get("custom", {}).get("handset", {})
        return handset.get("passwordless_factors") == expected or None

    wait_until(factors, what=f"passwordless_factors {expected} in amplify_outputs.json")


def test_the_tui_signs_in_with_a_code_on_ctrl_e(bin_dir, cloud, pool, terminal, client_env):
    import subprocess

    from conftest import wait_until

    published_factors(cloud, ["EMAIL_OTP", "SMS_OTP"])
    subprocess.run([str(bin_dir / "handset"), "config", "import", str(cloud.outputs_file)], env=client_env,
                   check=True, capture_output=True, timeout=60)
    terminal.width = 160  # the whole hint line fits
    terminal.run([str(bin_dir / "handset")], client_env)
    terminal.wait_for("Ctrl-E a code instead")
    terminal.type("emma")
    terminal.press("C-e")
    terminal.wait_for("Enter the code we emailed")
    code = wait_until(lambda: next((message["code"] for message in reversed(cloud.mailbox_messages())
                                    if message["username"] == "emma" and message["purpose"] == "EMAIL_OTP"), None),
                      what="the emailed code")
    terminal.type(code)
    terminal.press("Enter")
    terminal.wait_for("● online")
    assert "emma" in terminal.screen().splitlines()[0]


def test_the_tui_signs_up_without_a_password_where_codes_sign_in(bin_dir, cloud, pool, idp, terminal, client_env):
    """The TUI's sign-up form leaves the password empty where the pool signs in with emailed codes: the account is
    created without one, confirmed, and signs in with Ctrl-E's code; USER_AUTH offers it only the code."""
    import subprocess

    from conftest import wait_until

    published_factors(cloud, ["EMAIL_OTP", "SMS_OTP"])
    subprocess.run([str(bin_dir / "handset"), "config", "import", str(cloud.outputs_file)], env=client_env,
                   check=True, capture_output=True, timeout=60)

    def newest_code(username, purpose):
        return wait_until(lambda: next((message["code"] for message in reversed(cloud.mailbox_messages())
                                        if message["username"] == username and message["purpose"] == purpose), None),
                          what=f"the {purpose} code of {username}")

    terminal.width = 160
    terminal.run([str(bin_dir / "handset")], client_env)
    terminal.wait_for("Ctrl-N sign up")
    terminal.press("C-n")
    screen = terminal.wait_for("Create an account.")
    assert "leave the password empty: sign in with emailed codes" in screen, screen
    terminal.type("tuinopass")
    terminal.press("Tab")
    terminal.type("tuinopass@example.com")
    terminal.press("Tab")
    terminal.press("Enter")
    terminal.wait_for("Enter the code to confirm tuinopass.")
    terminal.type(newest_code("tuinopass", "SignUp"))
    terminal.press("Enter")
    terminal.wait_for("Account confirmed; sign in (Ctrl-E for a code)")
    selected = start(idp, pool, "tuinopass")
    assert selected["AvailableChallenges"] == ["EMAIL_OTP"], "created without a password"
    terminal.press("C-e")
    terminal.wait_for("Enter the code we emailed")
    terminal.type(newest_code("tuinopass", "EMAIL_OTP"))
    terminal.press("Enter")
    terminal.wait_for("● online")
    assert "tuinopass" in terminal.screen().splitlines()[0]


def test_sign_up_without_a_password_where_codes_sign_in(bin_dir, cloud, pool, idp, client_env):
    import subprocess

    from conftest import wait_until

    # boto3: no Password, confirmed with the emailed code, then signed in with a code by email.
    idp.sign_up(ClientId=pool["client"], Username="nopass",
                UserAttributes=[{"Name": "email", "Value": "nopass@example.com"}])
    messages = [m for m in cloud.mailbox_messages() if m["username"] == "nopass"]
    assert messages, "no confirmation code was sent"
    idp.confirm_sign_up(ClientId=pool["client"], Username="nopass", ConfirmationCode=messages[-1]["code"])
    sent = start(idp, pool, "nopass", PREFERRED_CHALLENGE="EMAIL_OTP")
    assert sent["ChallengeName"] == "EMAIL_OTP"
    tokens = idp.respond_to_auth_challenge(
        ClientId=pool["client"], ChallengeName="EMAIL_OTP", Session=sent["Session"],
        ChallengeResponses={"USERNAME": "nopass", "EMAIL_OTP_CODE": last_code(cloud, "nopass", "EMAIL_OTP")})
    assert tokens["AuthenticationResult"]["AccessToken"]

    # The account has no password anyone knows: USER_AUTH offers it only the code, as Cognito does.
    selected = start(idp, pool, "nopass")
    assert selected["AvailableChallenges"] == ["EMAIL_OTP"]
    assert start(idp, pool, "emma")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    preferred = start(idp, pool, "nopass", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="guess")
    assert preferred["ChallengeName"] == "SELECT_CHALLENGE" and preferred["AvailableChallenges"] == ["EMAIL_OTP"]
    with pytest.raises(ClientError) as info:
        idp.respond_to_auth_challenge(ClientId=pool["client"], ChallengeName="SELECT_CHALLENGE",
                                      Session=selected["Session"],
                                      ChallengeResponses={"USERNAME": "nopass", "ANSWER": "PASSWORD_SRP",
                                                          "SRP_A": "1234"})
    assert error_code(info) == "InvalidParameterException"
    # Given a password by an administrator, the account can answer with it.
    idp.admin_set_user_password(UserPoolId=pool["id"], Username="nopass", Password="Given-Later-42!", Permanent=True)
    assert start(idp, pool, "nopass")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    assert start(idp, pool, "nopass", PREFERRED_CHALLENGE="PASSWORD",
                 PASSWORD="Given-Later-42!")["AuthenticationResult"]["AccessToken"]

    # handset signup --passwordless.
    handset = str(bin_dir / "handset")
    subprocess.run([handset, "config", "import", str(cloud.outputs_file)], env=client_env, check=True,
                   capture_output=True, timeout=60)
    created = subprocess.run([handset, "signup", "--passwordless", "--username", "codeonly", "--email",
                              "codeonly@example.com"], env=client_env, capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "login --passwordless" in created.stdout
    assert idp.admin_get_user(UserPoolId=pool["id"], Username="codeonly")["UserStatus"] == "UNCONFIRMED"
    confirmed = subprocess.run([handset, "confirm", "--username", "codeonly", "--code",
                                last_code(cloud, "codeonly", "SignUp")], env=client_env, capture_output=True,
                               text=True, timeout=60)
    assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
    # Signed in with the emailed code, the account sets its first password: no current one to give (empty line).
    login = subprocess.Popen([handset, "login", "--passwordless", "--username", "codeonly"], env=client_env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    code = wait_until(lambda: next((message["code"] for message in reversed(cloud.mailbox_messages())
                                    if message["username"] == "codeonly" and message["purpose"] == "EMAIL_OTP"), None),
                      what="the emailed code")
    out, err = login.communicate(code + "\n", timeout=60)
    assert login.returncode == 0, out + err
    changed = subprocess.run([handset, "password", "change"], input="\nFirst-Of-Its-Own-42!\n", env=client_env,
                             capture_output=True, text=True, timeout=60)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert start(idp, pool, "codeonly", PREFERRED_CHALLENGE="PASSWORD",
                 PASSWORD="First-Of-Its-Own-42!")["AuthenticationResult"]["AccessToken"]
    # From now on the current password is asked for: an empty one is refused.
    again = subprocess.run([handset, "password", "change"], input="\nSecond-Of-Its-Own-42!\n", env=client_env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "Incorrect username or password" in again.stderr, again.stdout + again.stderr

    # A pool where only the password signs in refuses an account without one, with Cognito's error.
    settings = cloud.read_pool()
    settings["allowedFirstAuthFactors"] = ["PASSWORD"]
    apply_pool(cloud, settings)
    with pytest.raises(ClientError) as info:
        idp.sign_up(ClientId=pool["client"], Username="nopass2",
                    UserAttributes=[{"Name": "email", "Value": "nopass2@example.com"}])
    assert error_code(info) == "InvalidParameterException"
    refused = subprocess.run([handset, "signup", "--passwordless", "--username", "codeonly2", "--email",
                              "codeonly2@example.com"], env=client_env, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "password is required" in refused.stderr, refused.stderr


def test_the_tui_offers_no_code_where_the_pool_allows_none(bin_dir, cloud, idp, pool, terminal, client_env):
    """UpdateUserPool takes the codes away: amplify_outputs.json says so, and the app's sign-in screen neither lists
    Ctrl-E nor starts a code sign-in on it."""
    import subprocess

    mfa = idp.describe_user_pool(UserPoolId=pool["id"])["UserPool"]["MfaConfiguration"]
    idp.update_user_pool(UserPoolId=pool["id"], MfaConfiguration=mfa,
                         Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]}})
    published_factors(cloud, [])
    subprocess.run([str(bin_dir / "handset"), "config", "import", str(cloud.outputs_file)], env=client_env,
                   check=True, capture_output=True, timeout=60)
    before = len(cloud.mailbox_messages())
    terminal.width = 160  # the whole hint line fits: Ctrl-E would show if offered
    terminal.run([str(bin_dir / "handset")], client_env)
    screen = terminal.wait_for("Ctrl-R forgot password")
    assert "Ctrl-E" not in screen and "a code instead" not in screen
    terminal.type("emma")
    terminal.press("C-e")
    screen = terminal.wait_for("offers no sign-in with a code")
    assert "Enter the code" not in screen
    assert len(cloud.mailbox_messages()) == before, "no code was sent"
    # Nor may its sign-up form leave the password empty.
    terminal.press("C-n")
    screen = terminal.wait_for("Create an account.")
    assert "leave the password empty" not in screen
    terminal.type("needspass@example.com")  # the username typed above is kept: the email has the focus
    terminal.press("Tab")
    terminal.press("Enter")
    screen = terminal.wait_for("Enter a password")
    assert "Sending" not in screen and len(cloud.mailbox_messages()) == before
