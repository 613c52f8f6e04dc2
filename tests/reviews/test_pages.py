"""The HTML pages: who may open them, and the actions posting back with CSRF."""

from django.template import Context, Template

from annotator.annotations.models import Annotation, Layer
from annotator.reviews.agreement_services import agreement_document_compute
from annotator.reviews.models import Assignment
from tests.clients import page_client


def test_queue_and_document_pages_by_role(scene):
    """Reviewer 200; annotator 403; non-member 404 on the document; differences are marked."""
    agreement_document_compute(document=scene.document)
    response = page_client(scene.reviewer).get("/review/")
    assert response.status_code == 200 and scene.document.title in response.content.decode()
    assert page_client(scene.ann1).get("/review/").status_code == 403
    url = f"/review/documents/{scene.document.pk}/"
    assert page_client(scene.outsider).get(url).status_code == 404
    assert page_client(scene.ann1).get(url).status_code == 403
    html = page_client(scene.reviewer).get(url).content.decode()
    assert 'class="diff diff-boundary"' in html and 'class="diff diff-missing"' in html
    assert "0.600" in html  # alpha of the scene, shown with the agreement table


def test_actions_post_with_csrf_and_report(scene):
    url = f"/review/assignments/{scene.a1.pk}/approve/"
    assert page_client(scene.reviewer, csrf=True).post(url).status_code == 403  # no CSRF token
    response = page_client(scene.reviewer).post(url, {"next": "/review/"}, follow=True)
    assert "Approved ann1&#x27;s layer." in response.content.decode()
    assert Assignment.objects.get(pk=scene.a1.pk).state == "approved"
    response = page_client(scene.reviewer).post(
        f"/review/assignments/{scene.a2.pk}/request-changes/",
        {"reason": "", "next": "/review/mine/"},
        follow=True,
    )
    assert "Say what needs to change: the reason is required." in response.content.decode()
    page_client(scene.reviewer).post(
        f"/review/assignments/{scene.a2.pk}/request-changes/", {"reason": "Mark <b>it</b>"}
    )
    mine = page_client(scene.ann2).get("/review/mine/").content.decode()
    assert "Changes requested" in mine and "Mark &lt;b&gt;it&lt;/b&gt;" in mine


def test_gold_actions_from_the_page(scene):
    doc = scene.document
    client = page_client(scene.reviewer)
    client.post(f"/review/documents/{doc.pk}/gold/agreed/")
    hedge = Annotation.objects.get(annotator=scene.ann2, start=23)
    client.post(f"/review/annotations/{hedge.pk}/gold/")
    label = scene.project.labels.get(code="OPINION")
    client.post(f"/review/documents/{doc.pk}/gold/add/", {"start": 12, "end": 14, "label": label.pk})
    gold = list(
        Annotation.objects.filter(layer=Layer.GOLD)
        .order_by("start")
        .values_list("start", "end", "label__code")
    )
    assert gold == [(0, 11, "CLAIM"), (12, 14, "OPINION"), (23, 28, "HEDGE")]
    own = Annotation.objects.get(layer=Layer.GOLD, start=12)
    client.post(f"/review/gold/{own.pk}/", {"version": 1, "start": 12, "end": 22})
    assert Annotation.objects.get(pk=own.pk).quote == "on the mat"
    assert page_client(scene.outsider).post(f"/review/gold/{own.pk}/", {"version": 2}).status_code == 404


def test_history_page_and_restore_button_for_managers(scene):
    """The span page keeps its before -> after detail; the document page reads as actions, each with
    one "Undo this" for managers only, and undoing the approval makes the layer submitted again."""
    span = Annotation.objects.get(annotator=scene.ann1, start=15)
    page_client(scene.reviewer).post(f"/review/annotations/{span.pk}/reject/", {"reason": "Too short."})
    html = page_client(scene.reviewer).get(f"/review/annotations/{span.pk}/history/").content.decode()
    assert "<del>pending</del> → <ins>rejected</ins>" in html and "Restore" not in html
    html = page_client(scene.reviewer).get(f"/review/documents/{scene.document.pk}/history/").content.decode()
    assert "rev rejected ann1&#x27;s EVIDENCE “the mat” (“Too short.”)" in html and "Undo this" not in html
    first = span.history.earliest("history_date")
    page_client(scene.manager).post(
        "/review/history/restore/", {"model": "annotation", "history_id": first.history_id}
    )
    assert Annotation.objects.get(pk=span.pk).status == "pending"
    page_client(scene.reviewer).post(f"/review/assignments/{scene.a1.pk}/approve/")
    approval = scene.a1.history.latest("history_date")
    html = page_client(scene.manager).get(f"/review/documents/{scene.document.pk}/history/").content.decode()
    assert "rev approved ann1&#x27;s layer" in html and "Undo this" in html
    response = page_client(scene.manager).post(
        f"/review/documents/{scene.document.pk}/history/undo/",
        {"items": f"assignment:{approval.history_id}", "summary": "rev: approved", "next": "/review/"},
        follow=True,
    )
    assert "Undone: rev: approved (1 item(s) put back as they were)." in response.content.decode()
    assert Assignment.objects.get(pk=scene.a1.pk).state == "submitted"
    assert (
        page_client(scene.outsider).get(f"/review/documents/{scene.document.pk}/history/").status_code == 404
    )
    bad = page_client(scene.manager).get(f"/review/documents/{scene.document.pk}/history/", {"since": "soon"})
    assert (bad.status_code, bad.content.decode()) == (400, "Since must be a date like 2026-12-31.")


def test_manager_assignment_page(scene):
    url = f"/review/projects/{scene.project.pk}/assignments/"
    assert page_client(scene.reviewer).get(url).status_code == 403
    assert page_client(scene.outsider).get(url).status_code == 404
    assert "ann1" in page_client(scene.manager).get(url).content.decode()
    from tests.factories import DocumentFactory

    DocumentFactory(project=scene.project)
    page_client(scene.manager).post(
        f"/review/projects/{scene.project.pk}/assign/",
        {"mode": "bulk", "annotators": [scene.ann1.pk, scene.ann2.pk], "overlap": 2},
    )
    assert Assignment.objects.filter(project=scene.project).count() == 4


def test_lowest_agreement_include(scene):
    agreement_document_compute(document=scene.document)
    html = Template("{% load review_tags %}{% lowest_agreement project %}").render(
        Context({"project": scene.project})
    )
    assert scene.document.title in html and "0.600" in html


def test_relation_differences_on_the_page(scene):
    """Both annotators link OPINION[23,28) supports CLAIM[0,11): "agreed" in both layers;
    only ann2 links HEDGE qualifies CLAIM: "missing" (ann1 lacks it)."""
    from tests.factories import AnnotationFactory, RelationFactory

    agreed = []
    for annotator in (scene.ann1, scene.ann2):
        opinion = AnnotationFactory(
            document=scene.document, annotator=annotator, start=23, end=28, label_code="OPINION"
        )
        claim = Annotation.objects.get(annotator=annotator, start=0)
        agreed.append(RelationFactory(source=opinion, target=claim, type="supports"))
    hedge = Annotation.objects.get(annotator=scene.ann2, start=23, label__code="HEDGE")
    only = RelationFactory(
        source=hedge, target=Annotation.objects.get(annotator=scene.ann2, start=0), type="qualifies"
    )
    html = page_client(scene.reviewer).get(f"/review/documents/{scene.document.pk}/").content.decode()

    def item(relation):
        return html.split(f'<li data-relation="{relation.pk}">', 1)[1].split("</li>", 1)[0]

    assert 'class="diff diff-agreed"' in item(agreed[0]) and 'class="diff diff-agreed"' in item(agreed[1])
    assert 'class="diff diff-missing"' in item(only)


def test_relation_correct_from_the_page(scene):
    """Correcting supports -> attacks writes a gold relation; the original keeps its type, marked corrected."""
    from annotator.annotations.models import Relation
    from tests.factories import RelationFactory

    source = Annotation.objects.get(annotator=scene.ann1, start=15)
    target = Annotation.objects.get(annotator=scene.ann1, start=0)
    rel = RelationFactory(source=source, target=target, type="supports")
    client = page_client(scene.reviewer)
    response = client.post(f"/review/relations/{rel.pk}/correct/", {"type": "supports"}, follow=True)
    assert "The relation already is supports; to keep it, accept it." in response.content.decode()
    client.post(f"/review/relations/{rel.pk}/correct/", {"type": "attacks", "reason": "It argues against."})
    rel.refresh_from_db()
    assert (rel.type, rel.status, rel.status_reason) == ("supports", "corrected", "It argues against.")
    gold = Relation.objects.get(layer=Layer.GOLD)
    assert (gold.type, gold.origin, gold.annotator) == ("attacks", rel, scene.reviewer)


def test_queue_filters_on_the_page(scene):
    """Filters by project, annotator, outlet and label narrow the queue; a filter that is not
    a number is a 400 naming it."""
    from tests.factories import DocumentFactory, SourceFactory
    from tests.reviews.conftest import submitted

    outlet = SourceFactory(name="Daily Example")
    other = DocumentFactory(project=scene.project, title="Only claims here", source=outlet)
    submitted(other, scene.ann1, [(0, 4, "CLAIM")])
    client = page_client(scene.reviewer)
    hedge = scene.project.labels.get(code="HEDGE")

    def titles(**params):
        html = client.get("/review/", params).content.decode()
        return [t for t in (scene.document.title, other.title) if t in html]

    assert titles() == [scene.document.title, other.title]
    assert titles(project=scene.project.pk) == [scene.document.title, other.title]
    assert titles(label=hedge.pk) == [scene.document.title]
    assert titles(source=outlet.pk) == [other.title]
    assert titles(annotator=scene.ann2.pk) == [scene.document.title]
    response = client.get("/review/", {"label": "hedge"})
    assert (response.status_code, response.content.decode()) == (400, "Label must be a whole number.")


def test_span_history_page_names_spans_people_and_speakers(scene):
    """The span page reads "EVIDENCE “the mat”" and "CLAIM “The cat sat”", not span ids
    (issue 16: "span 40 qualifies span 39")."""
    from tests.factories import RelationFactory

    evidence = Annotation.objects.get(annotator=scene.ann1, start=15)
    claim = Annotation.objects.get(annotator=scene.ann1, start=0)
    RelationFactory(source=evidence, target=claim, type="supports")
    html = page_client(scene.reviewer).get(f"/review/annotations/{evidence.pk}/history/").content.decode()
    assert '<h1 class="span-history-title">History of EVIDENCE “the mat”</h1>' in html
    assert "<td>EVIDENCE “the mat” supports CLAIM “The cat sat”</td>" in html
    assert "<b>target</b>: CLAIM “The cat sat”" in html
    assert "ann1&#x27;s layer" in html
    assert f"span {evidence.pk}" not in html
