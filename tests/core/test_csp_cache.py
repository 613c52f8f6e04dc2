"""The CSP header built once per settings (annotator/core/csp.py): the same header django-csp
builds, rebuilt when the settings change, never caching a nonce or a view's own changes."""

from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from annotator.core.csp import CSPMiddleware, csp_default_header


def _served(view, path="/api/v1/projects/") -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return middleware.process_response(request, view(request))


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


def _plain(request):
    return HttpResponse("{}", content_type="application/json")


def test_a_plain_response_gets_the_header_django_csp_builds():
    assert _served(_plain)["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in build_policy()


def test_changed_settings_rebuild_the_header():
    before = csp_default_header(report_only=False)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert _served(_plain)["Content-Security-Policy"] == "default-src 'none'"
    assert _served(_plain)["Content-Security-Policy"] == before


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}})
def test_a_nonce_is_fresh_on_every_response():
    """(Assay's pages use no nonce today; a policy that names one gets it per response.)"""

    def page(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    first, second = (_served(page, "/")["Content-Security-Policy"] for _ in range(2))
    assert "'nonce-" in first and "'nonce-" in second and first != second
    plain = _directives(_served(_plain)["Content-Security-Policy"])
    assert plain["script-src"] == "'self'"  # no nonce left behind


def test_a_views_own_update_applies_to_its_response_only():
    docs = csp_update({"style-src": ["'unsafe-inline'"]})(_plain)
    assert _directives(_served(docs)["Content-Security-Policy"])["style-src"] == "'self' 'unsafe-inline'"
    assert _directives(_served(_plain)["Content-Security-Policy"])["style-src"] == "'self'"


@override_settings(DEBUG=True)
def test_debug_error_pages_and_exempt_responses_get_no_header():
    def missing(request):
        return HttpResponse(status=404)

    def exempt(request):
        response = HttpResponse()
        response._csp_exempt = True
        return response

    assert "Content-Security-Policy" not in _served(missing)
    assert "Content-Security-Policy" not in _served(exempt)
