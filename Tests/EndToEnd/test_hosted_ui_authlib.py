"""The pool's OAuth 2.0 / OpenID Connect server driven by Authlib, an independent client: discovery, PKCE, the code
grant, userInfo, refresh, revocation, client credentials; and every refusal the issue lists, checked on the wire.

One `handset-cloud serve --demo` for the module; the browser part of each sign-in is a scripted one (requests).
"""

import json
import os
import shutil
import stat
import subprocess
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from conftest import BACKEND, Cloud
from hosted_ui import CallbackCatcher, ScriptedBrowser, authorize_url, pkce_pair, pool_of, query_of, redeem

# One worker runs the whole module: its tests share one module-scoped server, in order (pytest-xdist loadgroup).
pytestmark = pytest.mark.xdist_group("test_hosted_ui_authlib")


@pytest.fixture(scope="module")
def cloud(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-authlib-"))
    instance = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    yield instance
    instance.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pool(cloud):
    return pool_of(cloud)


@pytest.fixture(scope="module")
def discovery(pool):
    response = requests.get(pool["issuer"] + "/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def idp(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture
def callback():
    catcher = CallbackCatcher()
    yield catcher
    catcher.close()


def signed_in_callback(cloud, url, username="alice", password="Wonderland-42!"):
    """Signs in through the hosted pages in a fresh browser; returns the callback URL the pool redirected to."""
    return ScriptedBrowser(cloud.url).sign_in(url, username, password)


def test_discovery_lists_the_endpoints(discovery, pool, cloud):
    assert discovery["issuer"] == pool["issuer"]
    for name, path in [("authorization_endpoint", "/oauth2/authorize"), ("token_endpoint", "/oauth2/token"),
                       ("userinfo_endpoint", "/oauth2/userInfo"), ("revocation_endpoint", "/oauth2/revoke"),
                       ("device_authorization_endpoint", "/oauth2/device_authorization")]:
        assert discovery[name] == cloud.url + path
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert requests.get(discovery["jwks_uri"], timeout=10).json()["keys"][0]["alg"] == "RS256"


def test_authlib_code_flow_with_pkce_userinfo_refresh_revoke(cloud, pool, discovery):
    redirect_uri = "http://127.0.0.1:47123/callback"
    client = OAuth2Session(pool["client"], redirect_uri=redirect_uri, scope="openid email profile",
                           code_challenge_method="S256", token_endpoint_auth_method="none")
    verifier = pkce_pair()[0]
    url, state = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier,
                                                 nonce="authlib-nonce")
    callback_url = signed_in_callback(cloud, url)
    assert callback_url.startswith(redirect_uri + "?")
    token = client.fetch_token(discovery["token_endpoint"], authorization_response=callback_url,
                               code_verifier=verifier)
    assert {"id_token", "access_token", "refresh_token"} <= set(token)

    # The ID token checked with Authlib's JOSE library (joserfc) against the published keys.
    keys = KeySet.import_key_set(requests.get(discovery["jwks_uri"], timeout=10).json())
    id_claims = jwt.decode(token["id_token"], keys, algorithms=["RS256"]).claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": discovery["issuer"]}, aud={"essential": True, "value": pool["client"]},
        nonce={"essential": True, "value": "authlib-nonce"}, exp={"essential": True}).validate(id_claims)
    assert id_claims["cognito:username"] == "alice"
    assert "at_hash" in id_claims

    info = client.get(discovery["userinfo_endpoint"]).json()
    assert info["username"] == "alice" and info["email"] == "alice@example.com"

    refreshed = client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"]

    revoked = client.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"],
                                  token_type_hint="refresh_token")
    assert revoked.status_code == 200
    with pytest.raises(AuthlibBaseError) as refused:
        client.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert refused.value.error == "invalid_grant"
    after = requests.get(discovery["userinfo_endpoint"],
                         headers={"Authorization": "Bearer " + refreshed["access_token"]}, timeout=10)
    assert after.status_code == 401


def test_managed_login_sign_ins_are_auth_events(cloud, pool, discovery, idp):
    """A sign-in on the hosted pages, passed or failed, is listed by AdminListUserAuthEvents (boto3), as the API's are."""
    before = {event["EventId"] for event in
              idp.admin_list_user_auth_events(UserPoolId=pool["id"], Username="bob", MaxResults=60)["AuthEvents"]}
    redirect_uri = "http://127.0.0.1:47123/callback"
    client = OAuth2Session(pool["client"], redirect_uri=redirect_uri, scope="openid",
                           code_challenge_method="S256", token_endpoint_auth_method="none")
    url, _ = client.create_authorization_url(discovery["authorization_endpoint"], code_verifier=pkce_pair()[0])
    refused = signed_in_callback(cloud, url, username="bob", password="not-bobs-password")
    assert not isinstance(refused, str), "a wrong password reached the callback"
    assert signed_in_callback(cloud, url, username="bob", password="Builder-42!").startswith(redirect_uri + "?")
    events = [event for event in
              idp.admin_list_user_auth_events(UserPoolId=pool["id"], Username="bob", MaxResults=60)["AuthEvents"]
              if event["EventId"] not in before]
    assert sorted(event["EventResponse"] for event in events) == ["Fail", "Pass"], events
    assert all(event["EventType"] == "SignIn" for event in events)
    passed = next(event for event in events if event["EventResponse"] == "Pass")
    assert {"ChallengeName": "Password", "ChallengeResponse": "Success"} in passed["ChallengeResponses"]


def test_refusals_of_the_authorize_endpoint(cloud, pool, callback):
    verifier, challenge = pkce_pair()
    # Open redirects: another host, another path of the registered host, a lookalike host.
    for target in ["https://evil.example/callback", "http://127.0.0.1:5000/elsewhere",
                   "http://127.0.0.1.evil.example/callback"]:
        url, _ = authorize_url(cloud, pool, target, challenge)
        response = requests.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/error?error=redirect_mismatch")
        assert "evil" not in response.headers["Location"].split("error_description")[0]
    # A missing challenge, the plain method: refused at the (registered) redirect URI, with the state.
    for extra, description in [({"code_challenge": "", "code_challenge_method": ""}, "code_challenge"),
                               ({"code_challenge_method": "plain"}, "S256")]:
        url, params = authorize_url(cloud, pool, callback.redirect_uri, challenge, extra=extra)
        response = requests.get(url, allow_redirects=False, timeout=10)
        answer = query_of(response.headers["Location"])
        assert answer["error"] == "invalid_request" and description in answer["error_description"]
        assert answer["state"] == params["state"]


def test_refusals_of_the_token_endpoint(cloud, pool, callback):
    verifier, challenge = pkce_pair()

    def fresh_code():
        url, params = authorize_url(cloud, pool, callback.redirect_uri, challenge)
        answer = query_of(signed_in_callback(cloud, url))
        assert answer["state"] == params["state"]
        return answer["code"]

    code = fresh_code()
    assert redeem(cloud, pool, code, callback.redirect_uri, verifier).status_code == 200
    reused = redeem(cloud, pool, code, callback.redirect_uri, verifier)
    assert (reused.status_code, reused.json()) == (400, {"error": "invalid_grant"})

    wrong_verifier = redeem(cloud, pool, fresh_code(), callback.redirect_uri, pkce_pair()[0])
    assert (wrong_verifier.status_code, wrong_verifier.json()) == (400, {"error": "invalid_grant"})

    other_redirect = redeem(cloud, pool, fresh_code(), "http://127.0.0.1:1/callback", verifier)
    assert (other_redirect.status_code, other_redirect.json()) == (400, {"error": "invalid_grant"})

    bad_client = requests.post(f"{cloud.url}/oauth2/token", data={"grant_type": "authorization_code",
                                                                   "client_id": "nobody", "code": "x"}, timeout=10)
    assert bad_client.json() == {"error": "invalid_client"}
    assert all(response.headers["Cache-Control"] == "no-store" for response in (reused, bad_client))


def test_client_credentials_with_http_basic(cloud, pool, idp, discovery):
    created = idp.create_user_pool_client(
        UserPoolId=pool["id"], ClientName="reporting", GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["records/read"],
        AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    session = OAuth2Session(created["ClientId"], created["ClientSecret"],
                            token_endpoint_auth_method="client_secret_basic")
    token = session.fetch_token(discovery["token_endpoint"], grant_type="client_credentials", scope="records/read")
    assert token["token_type"] == "Bearer" and "refresh_token" not in token and "id_token" not in token
    wrong = OAuth2Session(created["ClientId"], "not-the-secret", token_endpoint_auth_method="client_secret_basic")
    with pytest.raises(AuthlibBaseError) as refused:
        wrong.fetch_token(discovery["token_endpoint"], grant_type="client_credentials")
    assert refused.value.error == "invalid_client"


def test_configuration_operations_from_boto3(cloud, pool, idp):
    described = idp.describe_user_pool(UserPoolId=pool["id"])["UserPool"]
    assert described["Id"] == pool["id"]
    assert [p["Id"] for p in idp.list_user_pools(MaxResults=10)["UserPools"]] == [pool["id"]]
    client = idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=pool["client"])["UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["code"] and "http://127.0.0.1/callback" in client["CallbackURLs"]
    idp.create_identity_provider(UserPoolId=pool["id"], ProviderName="Partner", ProviderType="OIDC",
                                 ProviderDetails={"client_id": "p", "client_secret": "s",
                                                  "authorize_scopes": "openid", "oidc_issuer": "https://p.example",
                                                  "attributes_request_method": "GET"})
    providers = idp.list_identity_providers(UserPoolId=pool["id"], MaxResults=10)["Providers"]
    assert "Partner" in [p["ProviderName"] for p in providers]
    stored = cloud.read_pool()
    assert "Partner" in [p["providerName"] for p in stored["identityProviders"]]
    idp.delete_identity_provider(UserPoolId=pool["id"], ProviderName="Partner")



def test_the_aws_cli_configures_managed_login(cloud, pool, idp, tmp_path):
    """Every configuration operation through the AWS CLI itself, as on AWS; each change is in pool.json."""
    assert shutil.which("aws"), "the AWS CLI is installed by scripts/bootstrap --tests"
    # Version 1 of the CLI would fetch a parameter that is an https URL (a callback URL) and send its content.
    config = tmp_path / "aws-config"
    config.write_text("[default]\ncli_follow_urlparam = false\n")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_DEFAULT_REGION=pool["region"],
               AWS_CONFIG_FILE=str(config))

    def aws(*arguments, fails=False):
        result = subprocess.run(["aws", "cognito-idp", *arguments, "--endpoint-url", cloud.url, "--output", "json"],
                                env=env, capture_output=True, text=True, timeout=60)
        assert (result.returncode != 0) == fails, (arguments, result.stdout, result.stderr)
        return json.loads(result.stdout) if result.stdout.strip() else result.stderr

    def stored():
        # It holds client secrets and the providers' secrets: for the cloud's user alone (on MariaDB, the database's).
        if BACKEND == "sqlite":
            assert stat.S_IMODE((cloud.data_dir / "pool.json").stat().st_mode) == 0o600
        return cloud.read_pool()

    pool_id = ["--user-pool-id", pool["id"]]
    # The read-only calls at once (each CLI run is a second of Python starting up).
    with ThreadPoolExecutor(4) as runner:
        pools, described, client, clients = runner.map(lambda arguments: aws(*arguments), [
            ["list-user-pools", "--max-results", "5"], ["describe-user-pool", *pool_id],
            ["describe-user-pool-client", *pool_id, "--client-id", pool["client"]],
            ["list-user-pool-clients", *pool_id]])
    assert [p["Id"] for p in pools["UserPools"]] == [pool["id"]]
    described = described["UserPool"]
    assert described["Id"] == pool["id"] and described["Domain"]
    assert "http://127.0.0.1/callback" in client["UserPoolClient"]["CallbackURLs"]
    assert pool["client"] in [c["ClientId"] for c in clients["UserPoolClients"]]

    created = aws("create-user-pool-client", *pool_id, "--client-name", "cli-web", "--generate-secret",
                  "--callback-urls", "https://app.example/callback", "--logout-urls", "https://app.example/bye",
                  "--allowed-o-auth-flows", "code", "--allowed-o-auth-scopes", "openid", "email",
                  "--allowed-o-auth-flows-user-pool-client", "--supported-identity-providers", "COGNITO")
    new_client = created["UserPoolClient"]
    assert len(new_client["ClientSecret"]) == 51
    assert [c for c in stored()["clients"] if c["clientId"] == new_client["ClientId"]][0]["callbackURLs"] == [
        "https://app.example/callback"]
    aws("update-user-pool-client", *pool_id, "--client-id", new_client["ClientId"], "--client-name", "cli-web-2",
        "--callback-urls", "https://app.example/callback", "https://app.example/other",
        "--allowed-o-auth-flows", "code", "--allowed-o-auth-scopes", "openid",
        "--allowed-o-auth-flows-user-pool-client", "--supported-identity-providers", "COGNITO")
    updated = idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=new_client["ClientId"])["UserPoolClient"]
    assert updated["ClientName"] == "cli-web-2" and len(updated["CallbackURLs"]) == 2
    assert updated["ClientSecret"] == new_client["ClientSecret"]
    assert "InvalidParameterException" in aws(
        "create-user-pool-client", *pool_id, "--client-name", "bad", "--callback-urls", "http://app.example/cb",
        fails=True)

    domain = described["Domain"]
    assert aws("describe-user-pool-domain", "--domain", domain)["DomainDescription"]["UserPoolId"] == pool["id"]
    aws("delete-user-pool-domain", *pool_id, "--domain", domain)
    assert aws("describe-user-pool-domain", "--domain", domain)["DomainDescription"] == {}
    aws("create-user-pool-domain", *pool_id, "--domain", "cli-made")
    assert stored()["domain"] == "cli-made"

    details = "client_id=p,client_secret=s,authorize_scopes=openid email,oidc_issuer=https://p.example," \
              "attributes_request_method=GET"
    aws("create-identity-provider", *pool_id, "--provider-name", "Partner", "--provider-type", "OIDC",
        "--provider-details", details, "--attribute-mapping", "email=email", "--idp-identifiers", "p.example")
    with pytest.raises(idp.exceptions.DuplicateProviderException):
        idp.create_identity_provider(UserPoolId=pool["id"], ProviderName="Partner", ProviderType="OIDC",
                                     ProviderDetails={"client_id": "p", "authorize_scopes": "openid",
                                                      "oidc_issuer": "https://p.example"})
    assert aws("describe-identity-provider", *pool_id, "--provider-name", "Partner")["IdentityProvider"][
        "ProviderDetails"]["oidc_issuer"] == "https://p.example"
    aws("update-identity-provider", *pool_id, "--provider-name", "Partner", "--attribute-mapping",
        "email=email,name=name")
    assert [p for p in stored()["identityProviders"] if p["providerName"] == "Partner"][0]["attributeMapping"] == {
        "email": "email", "name": "name"}
    providers = aws("list-identity-providers", *pool_id)["Providers"]
    assert "Partner" in [p["ProviderName"] for p in providers]
    aws("delete-identity-provider", *pool_id, "--provider-name", "Partner")
    assert "Partner" not in [p["providerName"] for p in stored()["identityProviders"]]
    aws("delete-user-pool-client", *pool_id, "--client-id", new_client["ClientId"])
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=new_client["ClientId"])
    # The running cloud serves managed login for its remaining client as before.
    assert requests.get(pool["issuer"] + "/.well-known/openid-configuration", timeout=10).status_code == 200
