import hashlib
import json
import shutil
from pathlib import Path

import pytest

from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.seeds import SEEDS_DIR, seeds_load
from annotator.projects.models import Label, Project

pytestmark = pytest.mark.django_db
SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def manifest():
    return json.loads((SEEDS_DIR / "manifest.json").read_text(encoding="utf-8"))


def test_seed_files_are_byte_for_byte_the_shared_captures():
    """seeds/ holds the five captures unchanged; the manifest's hashes are theirs."""
    entries = manifest()["documents"]
    assert len(entries) == 5
    for entry in entries:
        data = (SEEDS_DIR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data.decode("utf-8")) == entry["chars"]
        if SHARED_SEEDS.exists():
            assert data == (SHARED_SEEDS / entry["file"]).read_bytes()


def test_manifest_evidence_quotes_the_text_at_its_offsets():
    """Every metadata claim in the manifest points at the words that establish it."""
    for entry in manifest()["documents"]:
        text = (SEEDS_DIR / entry["file"]).read_bytes().decode("utf-8")
        for field, evidence in entry["evidence"].items():
            for item in evidence if isinstance(evidence, list) else [evidence]:
                assert text[item["start"] : item["end"]] == item["quote"], (entry["file"], field)
        for stretch in entry["boilerplate"]:
            assert text[stretch["start"] : stretch["end"]].startswith(stretch["excerpt"])


def test_load_seeds_loads_five_verbatim_documents_with_known_and_unknown_metadata():
    result = seeds_load()
    assert len(result.created) == 5
    project = Project.objects.get(slug="demo")
    assert set(Label.objects.filter(project=project).values_list("code", flat=True)) == {
        "CLAIM",
        "EVIDENCE",
        "OPINION",
        "HEDGE",
    }
    first = Document.objects.get(project=project, provenance__file="000_3ebc57de493f7aab.txt")
    raw = (SEEDS_DIR / "000_3ebc57de493f7aab.txt").read_bytes().decode("utf-8")
    assert first.text == raw
    assert first.char_count == 6169
    assert "\u00a0" in first.text
    assert first.source.name == "Voice of East"
    assert [a.name for a in first.authors.all()] == ["Andrew Korybko"]
    assert first.published_on is None
    untitled = Document.objects.get(project=project, provenance__file="004_f998963fd164dc02.txt")
    assert (untitled.title, untitled.source, untitled.authors.count()) == ("", None, 0)
    assert untitled.provenance["unknown"] == ["title", "outlet", "authors", "published", "url"]


def test_load_seeds_twice_changes_nothing():
    seeds_load()
    before = list(Document.objects.order_by("id").values("id", "content_hash", "title", "updated_at"))
    again = seeds_load()
    assert (len(again.created), len(again.unchanged)) == (0, 5)
    assert list(Document.objects.order_by("id").values("id", "content_hash", "title", "updated_at")) == before


def _copy_seeds(tmp_path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def test_a_missing_seed_file_loads_nothing(tmp_path):
    seed_dir = _copy_seeds(tmp_path)
    (seed_dir / "003_53affd6920c61238.txt").unlink()
    with pytest.raises(ApplicationError) as exc:
        seeds_load(seed_dir=seed_dir)
    assert exc.value.message == (
        f"documents[3]: seed file 003_53affd6920c61238.txt is missing from {seed_dir}."
    )
    assert not Document.objects.exists()
    assert not Project.objects.exists()


def test_a_changed_seed_file_loads_nothing(tmp_path):
    seed_dir = _copy_seeds(tmp_path)
    path = seed_dir / "004_f998963fd164dc02.txt"
    path.write_bytes(path.read_bytes().replace(b"security dilemma", b"security  dilemma", 1))
    with pytest.raises(ApplicationError) as exc:
        seeds_load(seed_dir=seed_dir)
    assert list(exc.value.errors) == ["documents[4].sha256"]
    assert "004_f998963fd164dc02.txt has sha256 " in exc.value.message
    assert not Document.objects.exists()


def test_load_seeds_command_reports_the_error_and_loads_nothing(tmp_path):
    from django.core.management import CommandError, call_command

    seed_dir = _copy_seeds(tmp_path)
    (seed_dir / "manifest.json").write_text(
        '{"schema": "assay.seed-manifest/1", "documents": [', encoding="utf-8"
    )
    with pytest.raises(CommandError) as exc:
        call_command("load_seeds", seed_dir=seed_dir)
    # The text is 50 characters long: the missing value is at column 51.
    assert (
        str(exc.value)
        == "manifest.json is not valid JSON (line 1, column 51: Expecting value). Nothing was loaded."
    )
    assert not Document.objects.exists()
