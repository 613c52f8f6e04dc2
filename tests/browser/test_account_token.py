"""The API token page in the account menu: create (shown once), use, revoke (issue 16, item 10)."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from annotator.projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_show_once_use_and_revoke(page, login, screenshot):
    user = member(ProjectFactory(name="Tokens"), Role.ANNOTATOR)
    login(user)
    page.get_by_role("link", name="API token").click()
    page.locator("body[data-token-ready]").wait_for(state="attached")
    assert page.locator("#token-state").inner_text() == "You have no API token."
    page.get_by_label("Your password").fill("pw")
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#token-key")
    key.wait_for()
    token = Token.objects.get(user=user)
    assert key.inner_text() == token.key
    screenshot("account-token-created")
    projects = Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert projects.status_code == 200 and "Tokens" in projects.content.decode()
    page.reload()
    page.locator("body[data-token-ready]").wait_for(state="attached")
    assert page.locator("#token-state").inner_text().startswith("You have a token, created")
    assert token.key not in page.content()  # shown only once
    page.get_by_role("button", name="Revoke").click()
    page.get_by_text("You have no API token.").wait_for()
    assert not Token.objects.filter(user=user).exists()
    assert page.js_errors == []
