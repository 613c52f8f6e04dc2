"""Test clients logged in as one user: the API's, the pages' and the back office's."""

from django.test import Client
from rest_framework.test import APIClient


def api_client(user) -> APIClient:
    """An API client authenticated as ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_client(user, *, csrf: bool = False) -> Client:
    """A browser-like client logged in as ``user``; ``csrf`` makes it send no CSRF exemption."""
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def staff_client(user) -> Client:
    """``user`` made staff (the admin's gate; what they see is still scoped), logged in."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return page_client(user)
