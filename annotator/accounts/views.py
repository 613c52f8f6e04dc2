"""The account pages: the user's API token (the page talks to /api/v1/tokens/ with the session)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie


@login_required
@ensure_csrf_cookie
def api_token(request):
    return render(request, "accounts/token.html")
