"""Brute-force protection on every password check (issue 12, items 6 and 8).

Failures are counted per account and per client address (10 within 15
minutes by default); past the limit even the right password is refused with a
429 that says why, on /login/, /admin/login/ and the API's token endpoint,
until the cool-off ends or an administrator runs the documented reset.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MESSAGE = (
    "Too many failed log-in attempts for this account or from this network address. "
    "Logging in is blocked for 15 minutes; an administrator can lift the block sooner."
)


@pytest.fixture
def users():
    ann = UserFactory(username="ann")
    staff = UserFactory(username="chief", is_staff=True, is_superuser=True)
    bystander = UserFactory(username="bystander")
    return ann, staff, bystander


def _login(url, username, password, address="10.0.0.1"):
    client = Client()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)
    return response, client


def test_limit_is_ten_failures_in_fifteen_minutes():
    """The documented defaults."""
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_forty_wrong_passwords_lock_the_account_and_the_address(users, url):
    """After 10 wrong passwords the right one is refused with 429 and the message, and no
    session is opened; the same account from another address is locked too (by account), and
    another account from the same address (by address); others are unaffected."""
    ann, staff, bystander = users
    username = staff.username if url.startswith("/admin/") else ann.username
    for attempt in range(9):
        response, _ = _login(url, username, f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    response, _ = _login(url, username, "wrong-9")
    assert response.status_code == 429
    response, client = _login(url, username, "pw")
    assert response.status_code == 429
    assert MESSAGE in response.content.decode()
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert _login(url, username, "pw", address="10.9.9.9")[0].status_code == 429  # by account
    assert _login("/login/", bystander.username, "pw")[0].status_code == 429  # by address
    response, client = _login("/login/", bystander.username, "pw", address="10.9.9.9")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(bystander.pk)


def test_logging_into_another_account_between_guesses_resets_nothing(users):
    """An attacker with an account of their own gains nothing by logging into it between
    guesses: after 9 wrong passwords for ann, a success as bystander from the same address and
    one more wrong password, ann's right password is refused."""
    ann, _, bystander = users
    for _ in range(9):
        _login("/login/", ann.username, "wrong")
    assert _login("/login/", bystander.username, "pw")[0].status_code == 302
    _login("/login/", ann.username, "wrong")
    assert _login("/login/", ann.username, "pw")[0].status_code == 429


def test_the_reset_commands_lift_the_block(users):
    """`manage.py axes_reset_username ann` lets ann in again; an address blocked by failures on
    unknown names is lifted by `axes_reset_ip <address>`, and `axes_reset` lifts every block."""
    ann, _, bystander = users
    for _ in range(10):
        _login("/login/", ann.username, "wrong")
    assert _login("/login/", ann.username, "pw")[0].status_code == 429
    call_command("axes_reset_username", "ann")
    assert _login("/login/", ann.username, "pw")[0].status_code == 302
    for attempt in range(10):
        _login("/login/", f"nobody{attempt}", "wrong", address="10.0.0.2")
    assert _login("/login/", bystander.username, "pw", address="10.0.0.2")[0].status_code == 429
    call_command("axes_reset_ip", "10.0.0.2")
    assert _login("/login/", bystander.username, "pw", address="10.0.0.2")[0].status_code == 302
    for attempt in range(10):
        _login("/login/", f"nobody{attempt}", "wrong", address="10.0.0.3")
    assert _login("/login/", bystander.username, "pw", address="10.0.0.3")[0].status_code == 429
    call_command("axes_reset")
    assert _login("/login/", bystander.username, "pw", address="10.0.0.3")[0].status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts(users, settings):
    """With ASSAY_TRUSTED_PROXIES=1 the address the proxy appended is the client's: clients behind
    one proxy are told apart, and a forged leftmost X-Forwarded-For entry changes nothing."""
    settings.ASSAY_TRUSTED_PROXIES = 1
    ann, _, bystander = users
    for attempt in range(10):
        Client().post(
            "/login/",
            {"username": f"nobody{attempt}", "password": "x"},
            REMOTE_ADDR="172.16.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}, 203.0.113.5",
        )
    blocked = Client().post(
        "/login/", {"username": "ann", "password": "pw"}, REMOTE_ADDR="172.16.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )  # fmt: skip
    assert blocked.status_code == 429
    other = Client().post(
        "/login/", {"username": "bystander", "password": "pw"}, REMOTE_ADDR="172.16.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )  # fmt: skip
    assert other.status_code == 302


def _script(user) -> APIClient:
    client = APIClient(REMOTE_ADDR="10.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_rotating_a_token_with_a_token_needs_the_password(users):
    """A stolen token cannot replace itself: without the password 400 naming "password", with a
    wrong one 403; either way the old key keeps working. With the password the key is replaced."""
    ann, _, _ = users
    client = _script(ann)
    old = Token.objects.get(user=ann).key
    missing = client.post("/api/v1/tokens/", {}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {
        "message": "Replacing a token from a script needs your password; or replace it from a logged-in browser.",
        "errors": {
            "password": [
                "Replacing a token from a script needs your password; or replace it from a logged-in browser."
            ]
        },
    }
    wrong = client.post("/api/v1/tokens/", {"password": "guess"}, format="json")
    assert wrong.status_code == 403
    assert wrong.json() == {
        "message": "The password is wrong.",
        "errors": {"password": ["The password is wrong."]},
    }
    assert Token.objects.get(user=ann).key == old
    assert client.get("/api/v1/tokens/").status_code == 200
    rotated = client.post("/api/v1/tokens/", {"password": "pw"}, format="json")
    assert rotated.status_code == 201
    assert rotated.json()["key"] != old and Token.objects.get(user=ann).key == rotated.json()["key"]
    assert client.get("/api/v1/tokens/").status_code == 403  # the old key is gone


def test_a_browser_session_rotates_without_the_password(users):
    """A logged-in session (with its CSRF token) replaces the token as before; without the CSRF
    token it is refused."""
    ann, _, _ = users
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(ann)
    assert client.post("/api/v1/tokens/").status_code == 403  # no CSRF token
    client.get("/login/")
    csrf = client.cookies["csrftoken"].value
    response = client.post("/api/v1/tokens/", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201 and Token.objects.get(user=ann).key == response.json()["key"]


def test_token_endpoint_password_guessing_is_locked_out(users):
    """Ten wrong passwords through the token endpoint, then the right one: 429 in the API's error
    shape with the message, and the token is not replaced."""
    ann, _, _ = users
    client = _script(ann)
    old = Token.objects.get(user=ann).key
    for _ in range(10):
        assert client.post("/api/v1/tokens/", {"password": "guess"}, format="json").status_code in (403, 429)
    locked = client.post("/api/v1/tokens/", {"password": "pw"}, format="json")
    assert locked.status_code == 429
    assert locked.json() == {"message": MESSAGE, "errors": {"password": [MESSAGE]}}
    assert locked["Retry-After"] == "900"
    assert Token.objects.get(user=ann).key == old
    assert _login("/login/", ann.username, "pw", address="10.9.9.9")[0].status_code == 429  # same account
