"""The hosted sign-in pages in a real browser: headless Chromium driven by Selenium (one browser for the module).

Two local clouds: the app's pool (A) and a second `handset-cloud` acting as a corporate OpenID provider (B), wired
together through Cognito's own configuration operations (boto3): B gets an app client with a secret whose callback
is A's `/oauth2/idpresponse`; A gets the identity provider `Corp` pointing at B's issuer. Screenshots of every page
are kept under Tests/EndToEnd/artifacts/ (ignored by git).

The pages alone (password, TOTP, a wrong password, sign-up, a reset followed by an emailed code, the provider hop,
the device page), then the real `handset` with this browser: `login --web` through the loopback redirect (with and
without a provider), `logout` ending the browser's session, and `login --device` approved here; and the TUI in tmux
signing in with the provider through this browser, then signing out of it.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
import pyotp
import pytest
import requests

from conftest import Cloud, Terminal, wait_until
from hosted_ui import ARTIFACTS, CallbackCatcher, authorize_url, claims, pkce_pair, pool_of, redeem

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

# One worker runs the whole module: its tests share one module-scoped server, in order (pytest-xdist loadgroup).
pytestmark = pytest.mark.xdist_group("test_hosted_ui_browser")

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_last_tina_step = [0]


def tina_code():
    """A TOTP code of a step not used yet: the pool refuses a step a second time and accepts one step ahead."""
    totp = pyotp.TOTP(TINA_SECRET)
    step = wait_until(lambda: (lambda now: now if now > _last_tina_step[0] else
                               now + 1 if now + 1 > _last_tina_step[0] else None)(int(time.time()) // 30),
                      timeout=35, what="an unused TOTP step")
    _last_tina_step[0] = step
    return totp.at(step * 30)


@pytest.fixture(scope="module")
def clouds(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-selenium-"))
    app = Cloud(bin_dir / "handset-cloud", root / "app").start()
    provider = Cloud(bin_dir / "handset-cloud", root / "provider").start()
    # Devices poll every second here instead of five (the cloud reads its settings again at its next request).
    settings = app.read_pool()
    settings["deviceAuthorization"] = {"intervalSeconds": 1, "lifetimeSeconds": 600}
    app.write_pool(settings)
    yield app, provider
    app.stop()
    provider.stop()
    shutil.rmtree(root, ignore_errors=True)


def cognito(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture(scope="module")
def federation(clouds):
    """B as A's OpenID provider `Corp`, configured as one would on AWS."""
    app, provider = clouds
    app_pool, provider_pool = pool_of(app), pool_of(provider)
    provider_client = cognito(provider, provider_pool).create_user_pool_client(
        UserPoolId=provider_pool["id"], ClientName="handset-app-pool", GenerateSecret=True,
        CallbackURLs=[f"{app.url}/oauth2/idpresponse"], AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]
    idp = cognito(app, app_pool)
    idp.create_identity_provider(
        UserPoolId=app_pool["id"], ProviderName="Corp", ProviderType="OIDC",
        ProviderDetails={"client_id": provider_client["ClientId"], "client_secret": provider_client["ClientSecret"],
                         "authorize_scopes": "openid email", "oidc_issuer": provider_pool["issuer"],
                         "attributes_request_method": "GET"},
        AttributeMapping={"email": "email", "email_verified": "email_verified"})
    current = idp.describe_user_pool_client(UserPoolId=app_pool["id"], ClientId=app_pool["client"])["UserPoolClient"]
    idp.update_user_pool_client(
        UserPoolId=app_pool["id"], ClientId=app_pool["client"], ClientName=current["ClientName"],
        ExplicitAuthFlows=current["ExplicitAuthFlows"], CallbackURLs=current["CallbackURLs"],
        LogoutURLs=current["LogoutURLs"], AllowedOAuthFlows=current["AllowedOAuthFlows"],
        AllowedOAuthScopes=current["AllowedOAuthScopes"], AllowedOAuthFlowsUserPoolClient=True,
        SupportedIdentityProviders=["COGNITO", "Corp"])
    return app_pool, provider_pool


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1000,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture
def callback():
    catcher = CallbackCatcher()
    yield catcher
    catcher.close()


@pytest.fixture(autouse=True)
def fresh_browser_session(browser, clouds):
    """Each test starts signed out of both clouds (cookies are per host, and both clouds are on 127.0.0.1)."""
    browser.get(clouds[0].url + "/hosted-ui/style.css")
    browser.delete_all_cookies()
    yield


def shot(browser, name):
    browser.save_screenshot(str(ARTIFACTS / f"hosted-ui-{name}.png"))


def fill(browser, **fields):
    for name, value in fields.items():
        element = browser.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)


def submit(browser):
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


def page_text(browser):
    """The page's text; empty while the browser is between pages. Chromium reports the body it found going away
    in several ways (a stale element, no such element, or "Node with given id does not belong to the document"), all
    WebDriverExceptions; any of them means "not there yet"."""
    try:
        return browser.find_element(By.TAG_NAME, "body").text
    except WebDriverException:
        return ""


def wait_for_text(browser, text, timeout=20):
    try:
        wait_until(lambda: text in page_text(browser), timeout=timeout, what=f"{text!r} on the page")
    except AssertionError:
        raise AssertionError(f"{text!r} never appeared at {browser.current_url}; the page says:\n{page_text(browser)}")


def wait_for_callback(browser, callback, timeout=20):
    try:
        return wait_until(callback.last_query, timeout=timeout, what="the app's callback")
    except AssertionError:
        raise AssertionError(f"the browser stayed at {browser.current_url}; the page says:\n{page_text(browser)}")


def test_password_sign_in(browser, clouds, callback):
    app = clouds[0]
    pool = pool_of(app)
    verifier, challenge = pkce_pair()
    url, params = authorize_url(app, pool, callback.redirect_uri, challenge)
    browser.get(url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Sign in"
    assert browser.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Username or email"
    shot(browser, "01-sign-in")
    fill(browser, username="alice", password="Wonderland-42!")
    submit(browser)
    wait_for_callback(browser, callback)
    answer = callback.last_query()
    assert answer["state"] == params["state"] and "access_token" not in answer
    tokens = redeem(app, pool, answer["code"], callback.redirect_uri, verifier).json()
    assert claims(tokens["id_token"])["cognito:username"] == "alice"
    assert "code=" not in browser.current_url or browser.current_url.startswith(callback.redirect_uri)


def test_wrong_password_then_totp(browser, clouds, callback):
    app = clouds[0]
    pool = pool_of(app)
    verifier, challenge = pkce_pair()
    url, _ = authorize_url(app, pool, callback.redirect_uri, challenge)
    browser.get(url)
    fill(browser, username="tina", password="not her password")
    submit(browser)
    wait_for_text(browser, "Incorrect username or password.")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert alert.text == "Incorrect username or password."
    assert browser.find_element(By.NAME, "username").get_attribute("aria-invalid") == "true"
    shot(browser, "02-wrong-password")
    assert not callback.requests

    fill(browser, username="tina", password="Authenticator-42!")
    submit(browser)
    wait_for_text(browser, "Enter the code from your authenticator app.")
    code_field = browser.find_element(By.NAME, "code")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    shot(browser, "03-totp")
    fill(browser, code=tina_code())
    submit(browser)
    wait_for_callback(browser, callback)
    tokens = redeem(app, pool, callback.last_query()["code"], callback.redirect_uri, verifier).json()
    assert claims(tokens["id_token"])["cognito:username"] == "tina"


def test_provider_hop_to_a_second_cloud(browser, clouds, federation, callback):
    app, provider = clouds
    app_pool, provider_pool = federation
    verifier, challenge = pkce_pair()
    url, _ = authorize_url(app, app_pool, callback.redirect_uri, challenge)
    browser.get(url)
    button = browser.find_element(By.LINK_TEXT, "Sign in with Corp")
    shot(browser, "04-sign-in-with-provider")
    button.click()
    wait_until(lambda: browser.current_url.startswith(provider.url + "/login"), what="the provider's sign-in page")
    assert "handset-app-pool" in page_text(browser)
    shot(browser, "05-provider-sign-in")
    fill(browser, username="bob", password="Builder-42!")
    submit(browser)
    wait_for_callback(browser, callback)
    tokens = redeem(app, app_pool, callback.last_query()["code"], callback.redirect_uri, verifier).json()
    id_claims = claims(tokens["id_token"])
    bob_at_provider = requests.post(f"{provider.url}/", timeout=10, headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminGetUser"},
        json={"UserPoolId": provider_pool["id"], "Username": "bob"}).json()
    bob_sub = next(a["Value"] for a in bob_at_provider["UserAttributes"] if a["Name"] == "sub")
    assert id_claims["cognito:username"] == f"Corp_{bob_sub}"
    assert f"{app_pool['id']}_Corp" in id_claims["cognito:groups"]
    assert id_claims["identities"][0]["providerName"] == "Corp"
    assert id_claims["identities"][0]["userId"] == bob_sub
    assert id_claims["email"] == "bob@example.com"


def test_device_code_page(browser, clouds, callback):
    app = clouds[0]
    pool = pool_of(app)
    started = requests.post(f"{app.url}/oauth2/device_authorization",
                            data={"client_id": pool["client"], "scope": "openid email"}, timeout=10).json()
    browser.get(started["verification_uri_complete"])
    wait_for_text(browser, "Sign in to connect your device.")
    shot(browser, "06-device-sign-in")
    fill(browser, username="alice", password="Wonderland-42!")
    submit(browser)
    wait_for_text(browser, "Allow this device?")
    assert started["user_code"] in page_text(browser)
    shot(browser, "07-device-confirm")
    browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()
    wait_for_text(browser, "Device connected")
    shot(browser, "08-device-connected")

    def tokens():
        answer = requests.post(f"{app.url}/oauth2/token", data={
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": pool["client"],
            "device_code": started["device_code"]}, timeout=10)
        if answer.status_code == 200:
            return answer.json()
        assert answer.json()["error"] in ("authorization_pending", "slow_down"), answer.text
        time.sleep(started["interval"])
        return None

    result = wait_until(tokens, timeout=30, what="the device's tokens")
    assert claims(result["id_token"])["cognito:username"] == "alice"


def mailbox_code(cloud, username, after=0):
    """The newest code the pool "sent" to `username` (from the mailbox), once there is one past `after`."""
    def newest():
        with urllib.request.urlopen(f"{cloud.url}/_loopback/mailbox?username={username}", timeout=10) as response:
            messages = json.load(response)["messages"]
        return messages[-1]["code"] if len(messages) > after else None
    return wait_until(newest, what=f"a code for {username} in the mailbox")


def mailbox_count(cloud, username):
    with urllib.request.urlopen(f"{cloud.url}/_loopback/mailbox?username={username}", timeout=10) as response:
        return len(json.load(response)["messages"])


def test_sign_up_then_confirm_then_signed_in(browser, clouds, callback):
    app = clouds[0]
    pool = pool_of(app)
    verifier, challenge = pkce_pair()
    url, params = authorize_url(app, pool, callback.redirect_uri, challenge)
    browser.get(url)
    browser.find_element(By.LINK_TEXT, "Create an account").click()
    wait_for_text(browser, "Create an account")
    fill(browser, username="quinn", email="quinn@example.com", password="short")
    submit(browser)
    wait_for_text(browser, "Password did not conform with policy")
    assert browser.find_element(By.NAME, "username").get_attribute("value") == "quinn", "the form keeps its values"
    shot(browser, "09-sign-up-refused")
    fill(browser, password="Quinn-Password-42!")
    submit(browser)
    wait_for_text(browser, "Enter it to confirm your account.")
    shot(browser, "10-confirm-sign-up")
    fill(browser, code="000000" if mailbox_code(app, "quinn") != "000000" else "111111")
    submit(browser)
    wait_for_text(browser, "That code is not right.")
    fill(browser, code=mailbox_code(app, "quinn"))
    submit(browser)
    wait_for_text(browser, "Account confirmed. Sign in.")
    assert browser.find_element(By.NAME, "username").get_attribute("value") == "quinn"
    fill(browser, password="Quinn-Password-42!")
    submit(browser)
    wait_for_callback(browser, callback)
    assert callback.last_query()["state"] == params["state"]
    tokens = redeem(app, pool, callback.last_query()["code"], callback.redirect_uri, verifier).json()
    assert claims(tokens["id_token"])["cognito:username"] == "quinn"
    assert claims(tokens["id_token"])["email"] == "quinn@example.com"


def test_forgotten_password_reset_then_emailed_code(browser, clouds, callback):
    """emma's second factor is a code by email: after the reset, the sign-in asks for it."""
    app = clouds[0]
    pool = pool_of(app)
    verifier, challenge = pkce_pair()
    url, _ = authorize_url(app, pool, callback.redirect_uri, challenge)
    browser.get(url)
    browser.find_element(By.LINK_TEXT, "Forgot your password?").click()
    wait_for_text(browser, "We will send a code to reset your password.")
    sent = mailbox_count(app, "emma")
    fill(browser, username="emma")
    submit(browser)
    wait_for_text(browser, "Enter it and a new password.")
    shot(browser, "11-reset")
    fill(browser, code=mailbox_code(app, "emma", after=sent), password="Envelope-New-42!")
    submit(browser)
    wait_for_text(browser, "Password changed. Sign in.")
    sent = mailbox_count(app, "emma")
    fill(browser, username="emma", password="Envelope-New-42!")
    submit(browser)
    wait_for_text(browser, "Enter the code we emailed")
    shot(browser, "12-email-code")
    fill(browser, code=mailbox_code(app, "emma", after=sent))
    submit(browser)
    wait_for_callback(browser, callback)
    tokens = redeem(app, pool, callback.last_query()["code"], callback.redirect_uri, verifier).json()
    assert claims(tokens["id_token"])["cognito:username"] == "emma"


@pytest.fixture
def device_home(workdir):
    """A fresh terminal whose `$BROWSER` hands each address to the test, which opens it in Chromium."""
    home = workdir / "home"
    home.mkdir()
    opened = workdir / "opened-urls"
    launcher = workdir / "browser"
    launcher.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> {opened}\n")
    launcher.chmod(0o755)
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_DATA_HOME": str(home / "data"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BROWSER": str(launcher)}
    return {"env": env, "opened": opened, "home": home}


def handset(bin_dir, cloud, home, *arguments):
    return subprocess.Popen([str(bin_dir / "handset"), "--config", str(cloud.outputs_file), *arguments],
                            env=home["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def opened(home, containing):
    lines = home["opened"].read_text().split() if home["opened"].exists() else []
    return next((line for line in lines if containing in line), None)


def test_handset_login_web_through_the_browser_then_logout_signs_the_browser_out(bin_dir, browser, clouds,
                                                                                  device_home):
    app = clouds[0]
    login = handset(bin_dir, app, device_home, "login", "--web")
    url = wait_until(lambda: opened(device_home, "/oauth2/authorize?"), timeout=30, what="handset to open a browser")
    browser.get(url)
    fill(browser, username="alice", password="Wonderland-42!")
    submit(browser)
    wait_for_text(browser, "The terminal has taken over.")
    assert browser.current_url.startswith("http://127.0.0.1:") and "code=" in browser.current_url
    shot(browser, "13-terminal-took-over")
    out, err = login.communicate(timeout=30)
    assert login.returncode == 0, err
    assert "Signed in as alice" in out
    for token in re.findall(r"eyJ[\w-]+\.[\w-]+\.[\w-]+", out + err):
        raise AssertionError(f"a token on the terminal: {token[:20]}…")

    # The browser's session at the pool now signs the next authorize in without a page.
    again = handset(bin_dir, app, device_home, "login", "--web")
    url = wait_until(lambda: [line for line in device_home["opened"].read_text().split()
                              if "/oauth2/authorize?" in line][1:2], timeout=30, what="a second authorize")[0]
    browser.get(url)
    wait_for_text(browser, "The terminal has taken over.")
    assert again.wait(timeout=30) == 0

    logout = handset(bin_dir, app, device_home, "logout")
    logout_url = wait_until(lambda: opened(device_home, "/logout?"), timeout=30, what="handset to open /logout")
    browser.get(logout_url)
    wait_for_text(browser, "This browser is signed out too.")
    out, err = logout.communicate(timeout=30)
    assert logout.returncode == 0, err
    assert "The browser is signed out too" in err
    browser.get(url)
    wait_for_text(browser, "Username or email")


def test_handset_login_web_with_the_provider(bin_dir, browser, clouds, federation, device_home):
    app, provider = clouds
    login = handset(bin_dir, app, device_home, "login", "--web", "--provider", "Corp")
    url = wait_until(lambda: opened(device_home, "/oauth2/authorize?"), timeout=30, what="handset to open a browser")
    assert "identity_provider=Corp" in url
    browser.get(url)
    wait_until(lambda: browser.current_url.startswith(provider.url + "/login"), what="the provider's sign-in page")
    fill(browser, username="bob", password="Builder-42!")
    submit(browser)
    wait_for_text(browser, "The terminal has taken over.")
    out, err = login.communicate(timeout=30)
    assert login.returncode == 0, err
    assert re.search(r"Signed in as Corp_[0-9a-f-]{36} ", out), out


def test_handset_login_device_approved_in_the_browser(bin_dir, browser, clouds, device_home):
    app = clouds[0]
    login = handset(bin_dir, app, device_home, "login", "--device")
    lines, user_code, address = [], None, None
    deadline = time.monotonic() + 30
    while (user_code is None or address is None) and time.monotonic() < deadline:
        line = login.stderr.readline()
        lines.append(line)
        if line.strip().startswith("http"):
            address = line.strip()
        found = re.search(r"enter the code\s+([A-Z]{4}-[A-Z]{4})", line)
        user_code = found.group(1) if found else user_code
    assert user_code and address, "".join(lines)
    assert address == app.url + "/device"
    # The person types the code on their phone: the page without it in the address.
    browser.get(address)
    fill(browser, username="tina", password="Authenticator-42!")
    submit(browser)
    wait_for_text(browser, "Enter the code from your authenticator app.")
    fill(browser, code=tina_code())
    submit(browser)
    wait_for_text(browser, "Enter the code your device shows.")
    fill(browser, user_code=user_code.lower().replace("-", " "))
    submit(browser)
    wait_for_text(browser, "Allow this device?")
    assert user_code in page_text(browser)
    browser.find_element(By.CSS_SELECTOR, "button[value=allow]").click()
    wait_for_text(browser, "Device connected")
    out, err = login.communicate(timeout=30)
    assert login.returncode == 0, err
    assert "Signed in as tina" in out


def test_tui_signs_in_with_the_provider_in_the_browser_and_out_of_it(bin_dir, browser, clouds, federation,
                                                                      device_home):
    app, provider = clouds
    terminal = Terminal(width=120, height=40)
    try:
        terminal.run([str(bin_dir / "handset"), "--config", str(app.outputs_file)],
                     {**device_home["env"], "TERM": "xterm-256color"})
        terminal.wait_for("Sign in with Corp")
        terminal.press("Tab")
        terminal.press("Tab")
        terminal.press("Enter")
        terminal.wait_for("Sign in with Corp in your browser.")
        url = wait_until(lambda: opened(device_home, "identity_provider=Corp"), timeout=30, what="the browser opened")
        terminal.wait_for("If no browser opened, open this address:")
        browser.get(url)
        wait_until(lambda: browser.current_url.startswith(provider.url + "/login"), what="the provider's sign-in page")
        fill(browser, username="bob", password="Builder-42!")
        submit(browser)
        wait_for_text(browser, "The terminal has taken over.")
        screen = terminal.wait_for("Corp_", timeout=30)
        assert "Sign in with Corp" not in screen
        terminal.press("A")
        terminal.wait_for("sign out")
        terminal.press("o")
        logout_url = wait_until(lambda: opened(device_home, "/logout?"), timeout=30, what="the TUI to open /logout")
        terminal.wait_for("Sign in with Corp")
        browser.get(logout_url)
        wait_for_text(browser, "This browser is signed out too.")
        # The pool's session in this browser is over: without a provider named, the pool asks for a sign-in again
        # (the provider's own session is the provider's business, as with Cognito).
        browser.get(url.replace("&identity_provider=Corp", ""))
        wait_for_text(browser, "Username or email")
    finally:
        terminal.close()
