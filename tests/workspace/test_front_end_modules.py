"""The front end's modules get what they need, never the whole workspace.

workspace.js is the composition root: it builds every part with explicit small
objects and callbacks (docs/workspace.md, "Modules"). These tests read the
JavaScript as text (comments and strings removed) and fail when another module
is handed the Workspace object or reaches into it, when workspace.js hands
itself out, or when a shared helper is copied instead of imported from dom.js.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = sorted(ROOT.glob("annotator/*/static/**/*.js"))
COMPOSITION_ROOT = ROOT / "annotator/workspace/static/annotator/js/workspace.js"

# Comments, then string and template literals (not nested), removed so that
# prose ("the workspace") and element ids ("ws-text") do not count.
_CODE = re.compile(
    r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`""",
    re.DOTALL,
)
# Any identifier naming the workspace object: a parameter, a field, a global.
_WORKSPACE_NAME = re.compile(r"(?<![\w$])(?:ws|workspace|Workspace|assayWorkspace)\b")
# A bare `this` (not `this.member`): handing the object on, or keeping it under another name.
_BARE_THIS = re.compile(r"\bthis\b(?!\s*\.)")
# The two bare uses the root may make: the test and benchmark hook, and destructuring members.
_ALLOWED_THIS = ("window.assayWorkspace = this;", "} = this;")


def _code(source: str) -> str:
    return _CODE.sub(lambda m: "" if m.group(0).startswith(("/", "`")) else '""', source)


def workspace_reach_ins(source: str) -> list[str]:
    """Lines of a non-root module that name the workspace object."""
    return [line.strip() for line in _code(source).splitlines() if _WORKSPACE_NAME.search(line)]


def handed_out(source: str) -> list[str]:
    """Lines of the composition root that pass `this` on (as an argument, a value)."""
    found = []
    for line in _code(source).splitlines():
        rest = line
        for allowed in _ALLOWED_THIS:
            rest = rest.replace(allowed, "")
        if _BARE_THIS.search(rest):
            found.append(line.strip())
    return found


def test_the_scanners_catch_a_module_handed_the_workspace():
    """Flags each way a module could be given the Workspace; passes narrow wiring and prose."""
    assert workspace_reach_ins("export class Hedges {\n  constructor(ws) {\n    this.ws = ws;\n  }\n}") == [
        "constructor(ws) {",
        "this.ws = ws;",
    ]
    assert workspace_reach_ins("const w = window.assayWorkspace;\nw.store.spans.get(w.selected);") == [
        "const w = window.assayWorkspace;"
    ]
    assert workspace_reach_ins("if (this.ws.selected) this.ws.select(null);") == [
        "if (this.ws.selected) this.ws.select(null);"
    ]
    assert workspace_reach_ins("export function bindKeys(workspace) { workspace.select(null); }") == [
        "export function bindKeys(workspace) { workspace.select(null); }"
    ]
    narrow = (
        '// the workspace passes callbacks\nconst el = $("ws-text"); /* ws */\nnew Hedges({ store, notice });'
    )
    assert workspace_reach_ins(narrow) == []
    assert handed_out("this.hedges = new Hedges(this);") == ["this.hedges = new Hedges(this);"]
    assert handed_out("bind({ ws: this, store });") == ["bind({ ws: this, store });"]
    assert handed_out("const self = this;") == ["const self = this;"]
    assert (
        handed_out("inspector.render(this.store);\nconst { store } = this;\nwindow.assayWorkspace = this;")
        == []
    )


@pytest.mark.parametrize(
    "path", [p for p in STATIC if p != COMPOSITION_ROOT], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_module_but_the_root_names_the_workspace(path):
    """Every module other than workspace.js works from what it is given."""
    assert workspace_reach_ins(path.read_text()) == []


def test_the_composition_root_never_hands_itself_out():
    """workspace.js passes data and callbacks, never `this`."""
    assert handed_out(COMPOSITION_ROOT.read_text()) == []


def test_modules_stay_small():
    """The root is thin (under 300 lines) and no module passes 400."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines()) for p in STATIC}
    assert sizes[str(COMPOSITION_ROOT.relative_to(ROOT))] < 300
    assert {name: n for name, n in sizes.items() if n > 400} == {}


DOM = "annotator/workspace/static/annotator/js/dom.js"
API = "annotator/workspace/static/annotator/js/api.js"


@pytest.mark.parametrize(
    ("definition", "home"),
    [
        (r"const \$ = ", [DOM]),
        (r"function isTyping\(", [DOM]),
        (r"function typing\(", []),
        (r"function h\(", [DOM]),
        (r"function csrfToken\(", [API]),
        (r"const WORD = ", ["annotator/workspace/static/annotator/js/offsets.js"]),
    ],
)
def test_shared_helpers_are_defined_once(definition, home):
    """The DOM helpers live in dom.js, csrfToken in api.js, the word pattern in offsets.js."""
    defining = [str(p.relative_to(ROOT)) for p in STATIC if re.search(definition, _code(p.read_text()))]
    assert defining == home
