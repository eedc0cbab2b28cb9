"""The hosted sign-in pages in a real browser: headless Chromium driven by Selenium (one browser for the module).

Two local clouds: the app's pool (A) and a second `handset-cloud` acting as a corporate OpenID provider (B), wired
together through Cognito's own configuration operations (boto3): B gets an app client with a secret whose callback
is A's `/oauth2/idpresponse`; A gets the identity provider `Corp` pointing at B's issuer. Screenshots of every page
are kept under Tests/EndToEnd/artifacts/ (ignored by git).
"""

import shutil
import tempfile
import time
from pathlib import Path

import boto3
import pyotp
import pytest
import requests

from conftest import Cloud, wait_until
from hosted_ui import ARTIFACTS, CallbackCatcher, authorize_url, claims, pkce_pair, pool_of, redeem

selenium = pytest.importorskip("selenium")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

TINA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(scope="module")
def clouds(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-selenium-"))
    app = Cloud(bin_dir / "handset-cloud", root / "app").start()
    provider = Cloud(bin_dir / "handset-cloud", root / "provider").start()
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
    return browser.find_element(By.TAG_NAME, "body").text


def wait_for_text(browser, text, timeout=20):
    wait_until(lambda: text in page_text(browser), timeout=timeout, what=f"{text!r} on the page")


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
    wait_until(callback.last_query, what="the app's callback")
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
    fill(browser, code=pyotp.TOTP(TINA_SECRET).now())
    submit(browser)
    wait_until(callback.last_query, what="the app's callback after TOTP")
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
    wait_until(callback.last_query, what="the app's callback after the provider")
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
