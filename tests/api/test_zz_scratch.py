import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/annotations/?created_after=0211-06-29T15%3A03%3A21.0Z&created_before=0383-06-22T16%3A01%3A56%2B16%3A39",
    "/api/v1/source-scores/?sort=claims&ordering=id&layer=mixed&project=7789265296&kind=author&min_documents=3432808&q=u",
    "/api/v1/source-scores/history/?ordering=-id&project=100&layer=submitted&kind=author&entity=4650587",
    "/api/v1/reviews/queue/?source=-1.024509311123534e-232",
]


def test_scratch(team, client_for):
    c = client_for(team.manager)
    for u in URLS:
        r = c.get(u)
        print(u[:60], r.status_code, r.content[:300])
    r = c.post(
        "/api/v1/reviews/assignments/bulk/", {"annotators": [1], "overlap": 100, "project": 1}, format="json"
    )
    print(r.status_code, r.content[:300])
    r = c.post(
        "/api/v1/documents/",
        "=&authors=x&project=3192962095146",
        content_type="application/x-www-form-urlencoded",
    )
    print(r.status_code, r.content[:300])
