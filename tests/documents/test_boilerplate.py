"""Boilerplate regions: stored from the seed manifest, validated, excluded from body words and scores."""

import pytest

from annotator.core.errors import ApplicationError
from annotator.documents.models import Document
from annotator.documents.seeds import SEEDS_DIR, seeds_load
from annotator.documents.services import document_boilerplate_set, document_create
from annotator.projects.models import Role
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def test_seeds_store_their_manifests_regions_and_count_body_words_without_them():
    """Document 000 marks five regions (disclaimer, ads, comment form, share buttons) from
    code point 5459 on: its body words are the words of the text before 5459 and between
    the regions, counted here from the file itself."""
    seeds_load()
    doc = Document.objects.get(provenance__file="000_3ebc57de493f7aab.txt")
    text = (SEEDS_DIR / "000_3ebc57de493f7aab.txt").read_bytes().decode("utf-8")
    assert [(r["kind"], r["start"], r["end"]) for r in doc.boilerplate] == [
        ("other", 5459, 5593),
        ("other", 5596, 5643),
        ("other", 5647, 5710),
        ("comment_form", 5712, 6145),
        ("share_buttons", 6147, 6169),
    ]
    expected = sum(
        len(piece.split()) for piece in (text[:5459], text[5593:5596], text[5643:5647], text[5710:5712])
    )
    assert doc.body_word_count == expected
    assert doc.body_word_count < doc.word_count == len(text.split())
    unmarked = Document.objects.get(provenance__file="004_f998963fd164dc02.txt")
    assert unmarked.boilerplate == [] and unmarked.body_word_count == unmarked.word_count


def test_regions_are_checked_and_name_the_bad_one():
    """A region past the text, of an unknown kind, or overlapping another is refused, naming it."""
    project = ProjectFactory()
    text = "Body words here. Read more: other story."
    with pytest.raises(ApplicationError) as caught:
        document_create(
            project=project, text=text, boilerplate=[{"kind": "read_more", "start": 17, "end": 99}]
        )
    assert caught.value.errors == {
        "boilerplate[0].end": [
            f"Region [17, 99) must satisfy 0 <= start < end <= {len(text)} (the text's length)."
        ]
    }
    with pytest.raises(ApplicationError) as caught:
        document_create(project=project, text=text, boilerplate=[{"kind": "banner", "start": 0, "end": 4}])
    assert list(caught.value.errors) == ["boilerplate[0].kind"]
    with pytest.raises(ApplicationError) as caught:
        document_create(
            project=project,
            text=text,
            boilerplate=[{"kind": "other", "start": 0, "end": 10}, {"kind": "other", "start": 5, "end": 12}],
        )
    assert caught.value.errors == {"boilerplate": ["Regions [0, 10) and [5, 12) overlap."]}
    assert not Document.objects.filter(project=project).exists()

    doc = document_create(project=project, text=text)
    document_boilerplate_set(document=doc, regions=[{"kind": "read_more", "start": 17, "end": len(text)}])
    doc.refresh_from_db()
    assert (doc.word_count, doc.body_word_count) == (7, 3)


def test_the_api_marks_regions_for_managers_only(client):
    """PUT /documents/<id>/boilerplate/: a manager replaces the regions (200, body words
    recounted); an annotator of the project is refused (403); bad input names the field."""
    project = ProjectFactory()
    manager, annotator = member(project, Role.MANAGER), member(project, Role.ANNOTATOR)
    doc = document_create(project=project, text="One two three. Share this: four five.")
    url = f"/api/v1/documents/{doc.pk}/boilerplate/"
    body = {"boilerplate": [{"kind": "share_buttons", "start": 15, "end": 37}]}
    client.force_login(annotator)
    assert client.put(url, body, content_type="application/json").status_code == 403
    client.force_login(manager)
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["word_count"], response.json()["body_word_count"]) == (7, 3)
    bad = client.put(
        url, {"boilerplate": [{"kind": "other", "start": 5, "end": 2}]}, content_type="application/json"
    )
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["boilerplate[0].start"]
