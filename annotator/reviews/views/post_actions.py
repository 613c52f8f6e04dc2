"""The ``action`` decorator of the review pages' POST endpoints: run, then answer with a
message and a redirect, or, asked for JSON, with the message and the re-rendered document."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from annotator.access import access_page, access_project_row
from annotator.core.errors import ApplicationError, NotFound
from annotator.documents.models import Document
from annotator.reviews.views.comparison import document_context
from annotator.reviews.views.params import int_param


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def action(view):
    """POST actions: run, then go back to ``next`` with the outcome as a message.

    Asked for JSON (the review page's script), the answer is ``{"message"}`` and,
    when the form names a document in ``refresh``, that document's comparison
    re-rendered as ``html``, so the page updates in place. Errors asked for as JSON,
    and NotFound always, go to ``access_page`` (``{"message", "errors"}`` or a 404).
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        as_json = _wants_json(request)
        try:
            done = view(request, *args, **kwargs)
        except ApplicationError as exc:
            if as_json or isinstance(exc, NotFound):
                raise
            messages.error(request, exc.message)
        else:
            if as_json:
                return JsonResponse({"message": done or "", **_refreshed(request)})
            if done:
                messages.success(request, done)
        return redirect(_next(request))

    return access_page(require_POST(wrapped))


def _refreshed(request) -> dict:
    """The review page's body after an action, for the page to swap in."""
    pk = request.POST.get("refresh")
    if not pk:
        return {}
    try:
        doc = access_project_row(Document, request.user, int_param(pk, "refresh"), noun="Document")
        context = document_context(request, doc)
    except ApplicationError:
        return {}  # the action stands; the page reloads what it may see
    return {"html": render_to_string("reviews/_document_body.html", context, request=request)}


def _next(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/review/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/review/"
    return target
