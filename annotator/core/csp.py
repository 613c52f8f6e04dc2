"""The Content-Security-Policy header, built once per settings instead of on every response.

django-csp's middleware builds the header from the settings on every response (a deep copy
of the policy parts and a walk over ~30 directives: about 6% of a span POST's CPU). Most
responses (every API answer, every page that uses no nonce) carry no change of their own,
so their header depends on the settings alone: it is built once and kept until a
CONTENT_SECURITY_POLICY* setting changes (override_settings in tests).

Responses with their own parts (csp_update/csp_replace/csp_override on a view, the API docs
pages) or whose request used a nonce take django-csp's path unchanged, so a nonce is never
cached or shared between responses. Forbids: making the default policy depend on anything
but the settings (it would be served to every request).
"""

from __future__ import annotations

import http.client
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Attributes django-csp's decorators set on a response to change its policy.
_RESPONSE_PARTS = tuple(f"_csp_{part}{ro}" for part in ("config", "update", "replace") for ro in ("", "_ro"))
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
_HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)


@cache
def csp_default_header(*, report_only: bool) -> str:
    """The header of a response without parts of its own (empty: no header)."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        csp_default_header.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's CSPMiddleware with the settings-only header cached (module docstring)."""

    def process_response(self, request, response):
        own_parts = any(getattr(response, name, None) is not None for name in _RESPONSE_PARTS)
        if own_parts or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        # From here on, django-csp's own rules, with the header taken from the cache.
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in _HEADERS:
            policy = csp_default_header(report_only=report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written is an error, not a silent miss.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
