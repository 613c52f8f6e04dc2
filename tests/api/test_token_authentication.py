"""Token authentication as scripts use it: the header, not a forced login."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.annotations.models import Annotation
from api.authentication import TokenAuthentication
from tests.factories import label

pytestmark = pytest.mark.django_db


def _script(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _span(team) -> dict:
    return {"document": team.document.pk, "start": 0, "end": 5, "label": label(team.project, "CLAIM").pk}


def test_a_token_creates_spans_as_its_user_with_history(team):
    """A span posted with a token is the token user's, and its history row names that user."""
    key = Token.objects.create(user=team.annotator).key
    response = _script(key).post("/api/v1/annotations/", _span(team), format="json")
    assert response.status_code == 201
    span = Annotation.objects.get(pk=response.json()["id"])
    assert span.annotator == team.annotator
    assert [(h.history_type, h.history_user) for h in span.history.all()] == [("+", team.annotator)]


def test_unknown_keys_are_refused(team):
    """A key nobody holds is a 403 "Invalid token." and stores nothing."""
    response = _script("0" * 40).post("/api/v1/annotations/", _span(team), format="json")
    assert response.status_code == 403 and response.json()["message"] == "Invalid token."
    assert Annotation.objects.count() == 0


def test_a_deactivated_users_token_is_refused_on_the_next_request(team):
    """Deactivating the user refuses their token at once (nothing is cached)."""
    key = Token.objects.create(user=team.annotator).key
    client = _script(key)
    assert client.get("/api/v1/projects/").status_code == 200
    team.annotator.is_active = False
    team.annotator.save(update_fields=["is_active"])
    response = client.get("/api/v1/projects/")
    assert response.status_code == 403 and response.json()["message"] == "User inactive or deleted."


def test_credentials_are_the_user_and_their_token(team):
    """authenticate_credentials returns (user, Token) like DRF's class: request.auth is the token."""
    token = Token.objects.create(user=team.annotator)
    user, auth = TokenAuthentication().authenticate_credentials(token.key)
    assert user == team.annotator and user.username == "ann"
    assert isinstance(auth, Token) and auth.key == token.key and auth.user == team.annotator
    assert auth.created == token.created
