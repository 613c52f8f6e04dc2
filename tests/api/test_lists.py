"""The rules every list shares: unknown parameters and bad page sizes refused, ordering,
repeated filters, case-insensitive label codes, span text search and the opt-in count."""

import pytest

from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spans(team):
    """Three spans in the annotator's layer: claim 15-45, evidence 0-13, hedge 27-33."""
    claim = AnnotationFactory(document=team.document, annotator=team.annotator, start=15, end=45)
    evidence = AnnotationFactory(
        document=team.document, annotator=team.annotator, start=0, end=13, label_code="EVIDENCE"
    )
    hedge = AnnotationFactory(
        document=team.document, annotator=team.annotator, start=27, end=33, label_code="HEDGE"
    )
    return claim, evidence, hedge


def _ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_unknown_query_parameters_are_a_400_naming_them(team, client_for):
    """A typo such as projectt=1 is refused, naming the parameter and listing what the list accepts."""
    response = client_for(team.annotator).get("/api/v1/documents/?projectt=1&zzz=2")
    assert response.status_code == 400
    body = response.json()
    assert sorted(body["errors"]) == ["projectt", "zzz"]
    assert body["message"].startswith("Unknown query parameter 'projectt'; this list accepts: ")
    assert "project" in body["message"] and "page_size" in body["message"]


@pytest.mark.parametrize("size", ["0", "-5", "abc", "1001", "1.5", "١"])
def test_bad_page_sizes_are_a_400(team, client_for, size):
    """page_size outside 1..1000 or not a whole number is refused, never ignored or capped."""
    response = client_for(team.annotator).get(f"/api/v1/documents/?page_size={size}")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": [f"page_size must be a whole number from 1 to 1000, not {size!r}."]
    }


def test_empty_parameters_are_a_400(team, client_for):
    """?page_size= (or any list parameter sent empty) is refused rather than read as absent."""
    response = client_for(team.annotator).get("/api/v1/annotations/?page_size=&label_code=")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["Give a value, or leave the parameter out."],
        "label_code": ["Give a value, or leave the parameter out."],
    }


def test_page_size_1000_is_accepted(team, client_for):
    assert _ids(client_for(team.annotator).get("/api/v1/documents/?page_size=1000")) == [team.document.pk]


def test_ordering_and_its_errors(team, client_for, spans):
    """?ordering=start and -start sort the spans; an unknown field is a 400 listing the choices."""
    claim, evidence, hedge = spans
    client = client_for(team.annotator)
    assert _ids(client.get("/api/v1/annotations/?ordering=start")) == [evidence.pk, claim.pk, hedge.pk]
    assert _ids(client.get("/api/v1/annotations/?ordering=-start")) == [hedge.pk, claim.pk, evidence.pk]
    assert _ids(client.get("/api/v1/annotations/?ordering=-start&page_size=2")) == [hedge.pk, claim.pk]
    wrong = client.get("/api/v1/annotations/?ordering=quote")
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {
        "ordering": [
            "Cannot sort by 'quote'; use one of created_at, end, id, start, updated_at (prefix - for descending)."
        ]
    }


def test_repeated_filters_and_case_insensitive_label_codes(team, client_for, spans):
    """label_code=claim&label_code=Evidence matches either label, whatever the case."""
    claim, evidence, hedge = spans
    client = client_for(team.annotator)
    assert _ids(client.get("/api/v1/annotations/?label_code=claim&label_code=Evidence")) == [
        claim.pk,
        evidence.pk,
    ]
    assert _ids(client.get("/api/v1/annotations/?label_code=hedge")) == [hedge.pk]
    two_labels = f"label={claim.label_id}&label={hedge.label_id}"
    assert _ids(client.get(f"/api/v1/annotations/?{two_labels}")) == [claim.pk, hedge.pk]
    bad = client.get("/api/v1/annotations/?label=1&label=x")
    assert bad.status_code == 400 and bad.json()["errors"] == {"label": ["Enter a whole number."]}


def test_span_text_search(team, client_for, spans):
    """?q= finds spans whose text contains the words, case-insensitively."""
    claim, evidence, hedge = spans
    client = client_for(team.annotator)
    assert (team.document.text[0:13], team.document.text[27:33]) == ("Taxes rose 5%", "growth")
    assert _ids(client.get("/api/v1/annotations/?q=ROSE")) == [evidence.pk]
    assert _ids(client.get("/api/v1/annotations/?q=growth")) == [claim.pk, hedge.pk]
    assert _ids(client.get("/api/v1/annotations/?q=Growth%20will")) == [claim.pk]


def test_total_count_is_opt_in(team, client_for, spans):
    """count=true adds the number of matching rows (all pages); without it there is no count."""
    client = client_for(team.annotator)
    plain = client.get("/api/v1/annotations/?page_size=1").json()
    assert "count" not in plain
    counted = client.get("/api/v1/annotations/?page_size=1&count=true").json()
    assert (counted["count"], len(counted["results"])) == (3, 1)
    assert client.get("/api/v1/annotations/?count=true&label_code=HEDGE").json()["count"] == 1
    bad = client.get("/api/v1/annotations/?count=maybe")
    assert bad.json()["errors"] == {"count": ["count must be true or false, not 'maybe'."]}


def test_date_filter_errors_name_the_parameter_sent(team, client_for):
    """created_before=garbage is reported as created_before (not the filter's name, created)."""
    response = client_for(team.annotator).get(
        "/api/v1/documents/?created_after=2026-01-01T00:00:00Z&created_before=no"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "created_before": ["Enter an ISO 8601 date-time such as 2026-01-31T12:00:00Z."]
    }


def test_bulk_errors_name_fields_as_sent(team, client_for):
    """Nested errors use one path syntax: annotations[1].end, relations[0].type, and the list itself."""
    from tests.factories import label

    claim = label(team.project, "CLAIM").pk
    good = {"document": team.document.pk, "start": 0, "end": 5, "label": claim}
    client = client_for(team.annotator)
    response = client.post(
        "/api/v1/annotations/bulk/",
        {"annotations": [good, {**good, "end": "x"}], "relations": [{"source": 1, "type": "nope"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "annotations[1].end": ["A valid integer is required."],
        "relations[0].type": ['"nope" is not a valid choice.'],
    }
    not_a_list = client.post("/api/v1/annotations/bulk/", {"annotations": {"a": 1}}, format="json")
    assert not_a_list.json()["errors"] == {"annotations": ['Expected a list of items but got type "dict".']}


def test_a_number_where_a_name_belongs_is_refused(team, client_for):
    """POST /authors/ {"name": -5104} is a 400 (DRF alone would store "-5104")."""
    response = client_for(team.manager).post("/api/v1/authors/", {"name": -5104}, format="json")
    assert (response.status_code, response.json()["errors"]) == (400, {"name": ["Not a valid string."]})
