"""The Content-Security-Policy breaks nothing (issue 12, item 7).

Every page a user or manager opens is loaded in Chromium with the policy the
server sends; a listener records each CSP violation. The workspace still
labels and saves a span, the review page, dashboard, admin (history included)
and the API docs render, and no violation is reported anywhere.
"""

import pytest

from annotator.annotations.models import Annotation
from annotator.credibility.services import Targets, scores_recompute
from annotator.projects.models import Role
from tests.factories import DocumentFactory, ProjectFactory, SourceFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def _visit(page, url: str, ready: str = "body"):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    assert _violations(page) == [], url


def test_pages_work_under_the_policy(page, login, workspace):
    project = ProjectFactory(name="CSP project")
    outlet = SourceFactory(name="CSP Outlet")
    document = DocumentFactory(
        project=project, text="Taxes rose sharply last year, experts say.", source=outlet
    )
    manager = member(project, Role.MANAGER, username="cspboss")
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    page.context.add_init_script(RECORD_VIOLATIONS)

    _visit(page, "/login/", "#id_username")
    login(manager)
    _visit(page, "/")
    _visit(page, f"/projects/{project.pk}/")

    ws = workspace.open(document)
    assert _violations(page) == []
    ws.select("Taxes rose sharply")
    page.keyboard.press("c")
    page.keyboard.press("Escape")
    ws.wait_saved()
    span = Annotation.objects.get(document=document)
    assert (span.start, span.end, span.quote) == (0, 18, "Taxes rose sharply")
    assert page.locator("#ws-text .seg").count() >= 1
    assert _violations(page) == []

    scores_recompute(project=project, targets=Targets(everything=True))
    _visit(page, f"/review/documents/{document.pk}/")
    _visit(page, "/sources/")
    _visit(page, f"/sources/?project={project.pk}")
    _visit(page, "/admin/")
    _visit(page, "/admin/annotations/annotation/")
    _visit(page, f"/admin/annotations/annotation/{span.pk}/history/")
    _visit(page, "/api/docs/", ".swagger-ui .info")
    _visit(page, "/api/redoc/", "redoc, .redoc-wrap, [role=search], h1")
    assert page.js_errors == []
