"""Passwords: stored with Argon2id (OWASP minimum parameters); older hashes verify and are upgraded at login."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from annotator.config.settings import base

pytestmark = pytest.mark.django_db

ARGON2ID = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture(autouse=True)
def deployed_hashers(settings):
    """The deployed hasher list (the test settings use MD5 for speed)."""
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def _login(username: str, password: str):
    return Client().post("/login/", {"username": username, "password": password})


def test_a_new_password_is_stored_with_argon2id_m19mib_t2_p1():
    """set_password writes an Argon2id hash with m = 19456 KiB, t = 2, p = 1."""
    user = get_user_model().objects.create_user(username="new", password="correct horse battery")
    assert user.password.startswith(ARGON2ID)
    assert user.check_password("correct horse battery")


@pytest.mark.parametrize("hasher", ["pbkdf2_sha256", "pbkdf2_sha1", "argon2"])
def test_an_older_hash_logs_in_and_is_upgraded_at_that_login(hasher):
    """A PBKDF2 hash (or an Argon2 hash with Django's default parameters) still logs in (302),
    and the login re-hashes the password with Argon2id at the new parameters."""
    if hasher == "argon2":
        from django.contrib.auth.hashers import Argon2PasswordHasher

        stored = Argon2PasswordHasher().encode("old secret phrase", Argon2PasswordHasher().salt())
        assert "m=102400,t=2,p=8" in stored
    else:
        stored = make_password("old secret phrase", hasher=hasher)
    user = get_user_model().objects.create(username="old", password=stored)
    assert _login("old", "old secret phrase").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID)
    assert _login("old", "old secret phrase").status_code == 302


def test_a_wrong_password_is_refused_and_the_hash_is_kept():
    """A wrong password: the form again (200), no session, the stored PBKDF2 hash unchanged."""
    stored = make_password("old secret phrase", hasher="pbkdf2_sha256")
    user = get_user_model().objects.create(username="old", password=stored)
    response = _login("old", "not the password")
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
    user.refresh_from_db()
    assert user.password == stored
