"""Every review and manager page on the demo data at 1440×900 and 1920×1080 (issue 16):
each opens without a script error and without a horizontal scroll bar, and is saved to
artifacts/screenshots/ (review-<page>-<width>.png) to be looked at."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotator.annotations.models import Annotation, Layer
from annotator.documents.models import Document

PASSWORD = "assay-demo"
SIZES = [(1440, 900), (1920, 1080)]


@pytest.fixture
def demo(transactional_db):
    for command in (("load_seeds",), ("create_demo_users",), ("load_sample_layer", "--demo-workflow")):
        call_command(*command, stdout=StringIO())
    return {u.username: u for u in get_user_model().objects.all()}


def _pages(demo):
    queued = Document.objects.get(title__startswith="20 truths")
    finished = Document.objects.order_by("pk").first()
    gold = Annotation.objects.filter(document=finished, layer=Layer.GOLD).order_by("start").first()
    project = finished.project_id
    return {
        "reviewer": [
            ("queue", "/review/"),
            ("document", f"/review/documents/{queued.pk}/"),
            ("document-adjudicated", f"/review/documents/{finished.pk}/"),
        ],
        "manager": [
            ("project", f"/projects/{project}/"),
            ("assignments", f"/review/projects/{project}/assignments/"),
            ("history", f"/review/documents/{finished.pk}/history/"),
            ("span-history", f"/review/annotations/{gold.pk}/history/"),
            ("details", f"/documents/{finished.pk}/details/"),
        ],
        "annotator1": [("mine", "/review/mine/")],
    }


@pytest.mark.browser
@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_review_and_manager_page_fits_the_screen(page, login, demo, screenshot, width, height):
    page.set_viewport_size({"width": width, "height": height})
    for username, pages in _pages(demo).items():
        page.context.clear_cookies()
        login(demo[username], PASSWORD)
        for name, url in pages:
            response = page.goto(url)
            assert response.status == 200, (url, response.status)
            page.wait_for_load_state("load")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}"
            screenshot(f"review-{name}-{width}")
    assert page.js_errors == []
