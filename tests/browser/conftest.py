"""One live server and one Chromium for every browser test in the run.

Chromium is Debian's (/usr/bin/chromium, or ASSAY_CHROMIUM); Playwright's own
browser downloads are not used. Each test gets a fresh context (cookies,
storage) and page. Screenshots go to artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop; Django refuses sync DB calls
# from a thread with a running loop unless told this is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str:
    path = os.environ.get("ASSAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = f"Chromium not found at {path}: apt-get install -y chromium (or set ASSAY_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(user, password="pw") signs in through the real login form."""

    def do_login(user, password: str = "pw"):
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return do_login


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves artifacts/screenshots/name.png of the current page."""

    def take(name: str, **kwargs) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return take


# --- workspace helpers (issue 3): seed documents, open a document, select text, wait for saves ---


def seed_document(file: str):
    """Load the seed project and return its document made from seeds/<file>."""
    from annotator.documents.seeds import seeds_load

    documents = seeds_load().project.documents.all()
    return next(d for d in documents if d.provenance.get("file") == file)


_FIND_RANGE_JS = """
([selector, phrase, occurrence]) => {
  // Locate the phrase in the rendered text nodes (the test's way to aim the
  // mouse; the app itself maps DOM positions to offsets, never by searching).
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = ""; let n;
  while ((n = walker.nextNode())) { nodes.push([n, all.length]); all += n.data; }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) { at = all.indexOf(phrase, at + 1); if (at < 0) return null; }
  const locate = (pos, isEnd) => {
    for (const [node, base] of nodes) {
      if (pos < base + node.data.length || (isEnd && pos === base + node.data.length)) return [node, pos - base];
    }
  };
  const range = document.createRange();
  range.setStart(...locate(at, false));
  range.setEnd(...locate(at + phrase.length, true));
  return range;
}
"""


class WorkspacePage:
    """Drives the workspace page the way a user does (mouse drags, keys)."""

    def __init__(self, page):
        self.page = page

    def open(self, document, query: str = ""):
        self.page.goto(f"/documents/{document.pk}/{query}")
        self.page.wait_for_selector("#ws[data-ready=true]")
        return self

    def select(self, phrase: str, occurrence: int = 0, *, mouse: bool = True, selector: str = "#ws-text"):
        """Select ``phrase`` with a mouse drag (or by setting a DOM Range when mouse=False)."""
        if not mouse:
            found = self.page.evaluate(
                f"(args) => {{ const r = ({_FIND_RANGE_JS})(args); if (!r) return false;"
                " const s = getSelection(); s.removeAllRanges(); s.addRange(r); return true; }",
                [selector, phrase, occurrence],
            )
            assert found, f"{phrase!r} not found in the text"
            return
        box = self.page.evaluate(
            f"(args) => {{ const r = ({_FIND_RANGE_JS})(args); if (!r) return null;"
            " r.startContainer.parentElement.scrollIntoView({block: 'center'});"
            " const rects = [...r.getClientRects()].filter(x => x.width > 0);"
            " const a = rects[0], b = rects[rects.length - 1];"
            " return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2]; }",
            [selector, phrase, occurrence],
        )
        assert box, f"{phrase!r} not found in the text"
        x1, y1, x2, y2 = box
        self.page.mouse.move(x1, y1)
        self.page.mouse.down()
        self.page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=3)
        self.page.mouse.move(x2, y2, steps=3)
        self.page.mouse.up()

    def click_text(self, phrase: str, occurrence: int = 0):
        """Click in the middle of the first character of ``phrase``."""
        box = self.page.evaluate(
            f"(args) => {{ const r = ({_FIND_RANGE_JS})(args); if (!r) return null;"
            " r.startContainer.parentElement.scrollIntoView({block: 'center'});"
            " const a = r.getClientRects()[0]; return [a.left + 3, a.top + a.height / 2]; }",
            ["#ws-text", phrase, occurrence],
        )
        assert box, f"{phrase!r} not found in the text"
        self.page.mouse.click(*box)

    def wait_saved(self):
        self.page.wait_for_selector('#ws-status[data-state="saved"]')
        self.page.wait_for_function("window.assayWorkspace.store.queue.pending === 0")


@pytest.fixture
def workspace(page):
    return WorkspacePage(page)
