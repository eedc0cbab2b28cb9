"""Federation to an OpenID Connect provider that is not handset: a minimal provider written in the test
(`oidc_provider.py`, keys and tokens by joserfc), configured through Cognito's own operations (boto3), with a
scripted browser (the provider signs in whoever the test names at once).

The sign-in as `<Provider>_<sub>` with the `identities` claim, the provider's group and mapped attributes refreshed
at each sign-in; the pool's side of the provider's protocol (client secret by HTTP Basic, PKCE S256, the exact
redirect URI); `idp_identifier`; AdminLinkProviderForUser; and every kind of bad provider answer refused without a
code for the app or a user created.
"""

import shutil
import tempfile
from pathlib import Path

import boto3
import pytest
import requests

from conftest import Cloud
from hosted_ui import ScriptedBrowser, authorize_url, claims, pkce_pair, pool_of, query_of, redeem
from oidc_provider import OIDCProvider

# One worker runs the whole module: its tests share one module-scoped server, in order (pytest-xdist loadgroup).
pytestmark = pytest.mark.xdist_group("test_federation_oidc")

REDIRECT = "http://127.0.0.1:47011/callback"


@pytest.fixture(scope="module")
def cloud(bin_dir):
    root = Path(tempfile.mkdtemp(prefix="handset-federation-"))
    instance = Cloud(bin_dir / "handset-cloud", root / "cloud").start()
    yield instance
    instance.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def pool(cloud):
    return pool_of(cloud)


@pytest.fixture(scope="module")
def idp(cloud, pool):
    return boto3.client("cognito-idp", endpoint_url=cloud.url, region_name=pool["region"],
                        aws_access_key_id="x", aws_secret_access_key="x")


@pytest.fixture(scope="module")
def provider(idp, pool):
    instance = OIDCProvider()
    idp.create_identity_provider(
        UserPoolId=pool["id"], ProviderName="Acme", ProviderType="OIDC",
        ProviderDetails={"client_id": instance.client_id, "client_secret": instance.client_secret,
                         "authorize_scopes": "openid email profile", "oidc_issuer": instance.issuer,
                         "attributes_request_method": "GET"},
        AttributeMapping={"email": "email", "email_verified": "email_verified", "name": "name"},
        IdpIdentifiers=["acme.example"])
    client = idp.describe_user_pool_client(UserPoolId=pool["id"], ClientId=pool["client"])["UserPoolClient"]
    idp.update_user_pool_client(
        UserPoolId=pool["id"], ClientId=pool["client"], ClientName=client["ClientName"],
        ExplicitAuthFlows=client["ExplicitAuthFlows"], CallbackURLs=client["CallbackURLs"],
        LogoutURLs=client["LogoutURLs"], AllowedOAuthFlows=["code"], AllowedOAuthScopes=client["AllowedOAuthScopes"],
        AllowedOAuthFlowsUserPoolClient=True, SupportedIdentityProviders=["COGNITO", "Acme"])
    yield instance
    instance.close()


@pytest.fixture(autouse=True)
def unspoiled(request):
    yield
    if "provider" in request.fixturenames:
        request.getfixturevalue("provider").spoil = None


def sign_in_through_provider(cloud, pool, extra=None):
    """authorize → the provider → /oauth2/idpresponse → the app's callback (or wherever the pool stops)."""
    verifier, challenge = pkce_pair()
    url, params = authorize_url(cloud, pool, REDIRECT, challenge, extra=extra or {"identity_provider": "Acme"})
    browser = ScriptedBrowser(cloud.url)
    hop = browser.get(url)
    assert hop.status_code == 302, hop.text[:500]
    at_provider = requests.get(hop.headers["Location"], allow_redirects=False, timeout=20)
    assert at_provider.status_code == 302
    page, outside = browser.follow(browser.get(at_provider.headers["Location"]))
    return {"page": page, "callback": outside, "verifier": verifier, "state": params["state"]}


def user_named(idp, pool, username):
    try:
        return idp.admin_get_user(UserPoolId=pool["id"], Username=username)
    except idp.exceptions.UserNotFoundException:
        return None


def test_sign_in_as_the_federated_user(cloud, pool, idp, provider):
    provider.subject = "pat-0001"
    result = sign_in_through_provider(cloud, pool)
    assert result["callback"] and result["callback"].startswith(REDIRECT + "?"), result["page"].text[:500]
    answer = query_of(result["callback"])
    assert answer["state"] == result["state"]
    tokens = redeem(cloud, pool, answer["code"], REDIRECT, result["verifier"]).json()
    id_claims = claims(tokens["id_token"])
    assert id_claims["cognito:username"] == "Acme_pat-0001"
    assert id_claims["identities"][0]["providerName"] == "Acme"
    assert id_claims["identities"][0]["userId"] == "pat-0001"
    assert id_claims["identities"][0]["providerType"] == "OIDC"
    assert f"{pool['id']}_Acme" in id_claims["cognito:groups"]
    assert id_claims["email"] == "pat@acme.example"

    # The pool spoke the provider's protocol as a confidential client with PKCE.
    sent = provider.authorize_requests[-1]
    assert sent["redirect_uri"] == cloud.url + "/oauth2/idpresponse"
    assert sent["code_challenge_method"] == "S256" and sent["scope"] == "openid email profile"
    assert sent["client_id"] == provider.client_id and "client_secret" not in sent
    token_request = provider.token_requests[-1]
    assert token_request["authorization"].startswith("Basic ")
    assert "client_secret" not in token_request["fields"] and token_request["fields"]["code_verifier"]

    user = idp.admin_get_user(UserPoolId=pool["id"], Username="Acme_pat-0001")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == "Pat Acme"

    # Mapped attributes follow the provider at the next sign-in.
    provider.claims = {**provider.claims, "email": "pat.new@acme.example", "name": "Pat Renamed"}
    again = sign_in_through_provider(cloud, pool)
    tokens = redeem(cloud, pool, query_of(again["callback"])["code"], REDIRECT, again["verifier"]).json()
    assert claims(tokens["id_token"])["email"] == "pat.new@acme.example"
    attributes = {a["Name"]: a["Value"] for a in idp.admin_get_user(
        UserPoolId=pool["id"], Username="Acme_pat-0001")["UserAttributes"]}
    assert attributes["name"] == "Pat Renamed"


def test_idp_identifier_picks_the_provider(cloud, pool, provider):
    provider.subject = "pat-0002"
    result = sign_in_through_provider(cloud, pool, extra={"idp_identifier": "acme.example"})
    assert result["callback"], result["page"].text[:500]
    tokens = redeem(cloud, pool, query_of(result["callback"])["code"], REDIRECT, result["verifier"]).json()
    assert claims(tokens["id_token"])["cognito:username"] == "Acme_pat-0002"


@pytest.mark.parametrize("spoil", OIDCProvider.SPOILS)
def test_a_bad_provider_answer_signs_nobody_in(cloud, pool, idp, provider, spoil):
    provider.subject = f"spoiled-{spoil.replace('_', '-')}"
    provider.spoil = spoil
    result = sign_in_through_provider(cloud, pool)
    assert result["callback"] is None, f"{spoil}: the app got {result['callback']}"
    page = result["page"]
    assert page.status_code == 400, (spoil, page.status_code, page.text[:300])
    assert "Something went wrong" in page.text and OIDCProvider.SPOILS[spoil] in page.text, page.text[:800]
    assert user_named(idp, pool, f"Acme_{provider.subject}") is None, f"{spoil}: a user was created"


def test_admin_link_provider_for_user(cloud, pool, idp, provider):
    """bob links his Acme identity: signing in with Acme is then signing in as bob, with the identity shown."""
    provider.subject = "bob-at-acme"
    idp.admin_link_provider_for_user(
        UserPoolId=pool["id"], DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "bob"},
        SourceUser={"ProviderName": "Acme", "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": "bob-at-acme"})
    result = sign_in_through_provider(cloud, pool)
    assert result["callback"], result["page"].text[:500]
    tokens = redeem(cloud, pool, query_of(result["callback"])["code"], REDIRECT, result["verifier"]).json()
    id_claims = claims(tokens["id_token"])
    assert id_claims["cognito:username"] == "bob"
    assert [(i["providerName"], i["userId"]) for i in id_claims["identities"]] == [("Acme", "bob-at-acme")]
    assert user_named(idp, pool, "Acme_bob-at-acme") is None, "no separate federated user"
    # bob's own records come with the linked sign-in: the API takes the token as bob's.
    records = requests.get(cloud.url + "/api/tasks?limit=1", headers={"Authorization": tokens["id_token"]},
                           timeout=10)
    assert records.status_code == 200

    # The same identity cannot be linked to a second user, and a link needs an existing destination.
    with pytest.raises(idp.exceptions.ClientError):
        idp.admin_link_provider_for_user(
            UserPoolId=pool["id"], DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice"},
            SourceUser={"ProviderName": "Acme", "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": "bob-at-acme"})
    with pytest.raises(idp.exceptions.ClientError):
        idp.admin_link_provider_for_user(
            UserPoolId=pool["id"], DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "nobody"},
            SourceUser={"ProviderName": "Acme", "ProviderAttributeName": "Cognito_Subject",
                        "ProviderAttributeValue": "someone"})


def test_an_unreachable_provider_is_a_clear_error(cloud, pool, idp, provider):
    idp.update_identity_provider(
        UserPoolId=pool["id"], ProviderName="Acme",
        ProviderDetails={"client_id": provider.client_id, "client_secret": provider.client_secret,
                         "authorize_scopes": "openid email profile", "oidc_issuer": "http://127.0.0.1:9/tenant",
                         "attributes_request_method": "GET"})
    try:
        verifier, challenge = pkce_pair()
        url, _ = authorize_url(cloud, pool, REDIRECT, challenge, extra={"identity_provider": "Acme"})
        response = requests.get(url, allow_redirects=False, timeout=30)
        assert response.status_code == 400
        assert "could not be reached" in response.text or "not reach" in response.text, response.text[:500]
    finally:
        idp.update_identity_provider(
            UserPoolId=pool["id"], ProviderName="Acme",
            ProviderDetails={"client_id": provider.client_id, "client_secret": provider.client_secret,
                             "authorize_scopes": "openid email profile", "oidc_issuer": provider.issuer,
                             "attributes_request_method": "GET"})
    described = idp.describe_identity_provider(UserPoolId=pool["id"], ProviderName="Acme")["IdentityProvider"]
    assert described["ProviderDetails"]["oidc_issuer"] == provider.issuer
