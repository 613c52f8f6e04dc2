"""No API route shadows another, so their order in api/v1.py is free (the router's resources
come first for speed): every named route's own path resolves back to that route."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import api.v1


def _named(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def test_every_api_route_resolves_to_itself():
    api_names = {pattern.name for pattern in api.v1.urlpatterns if isinstance(pattern, URLPattern)}
    checked = set()
    for name, pattern in _named(get_resolver().url_patterns):
        if pattern.name not in api_names:
            continue
        groups = pattern.pattern.regex.groupindex
        kwargs = {key: ("json" if key == "format" else "7") for key in groups}
        if "rule" in kwargs:
            kwargs["rule"] = "modal.might"
        url = reverse(name, kwargs=kwargs)
        assert resolve(url).url_name == pattern.name, (url, pattern.name, resolve(url).url_name)
        checked.add(pattern.name)
    assert checked == api_names and len(checked) > 60


def test_a_span_write_resolves_before_the_plain_paths():
    names = [p.name for p in api.v1.urlpatterns]
    assert names.index("annotation-list") < names.index("proposition-list")
