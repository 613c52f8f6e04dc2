from django.urls import path, re_path

from annotator.reviews.views import assignments, comparison, decisions, history

app_name = "reviews"
urlpatterns = [
    path("", comparison.queue, name="queue"),
    path("mine/", comparison.mine, name="mine"),
    path("documents/<int:pk>/", comparison.document, name="document"),
    path("documents/<int:pk>/history/", history.document_history, name="document-history"),
    path("documents/<int:pk>/history/undo/", history.history_undo, name="history-undo"),
    path("documents/<int:pk>/agreement/", decisions.agreement_compute, name="agreement-compute"),
    path("documents/<int:pk>/gold/agreed/", decisions.gold_agreed, name="gold-agreed"),
    path("documents/<int:pk>/gold/add/", decisions.gold_add, name="gold-add"),
    path("gold/<int:pk>/", decisions.gold_edit, name="gold-edit"),
    path("annotations/<int:pk>/history/", history.span_history, name="span-history"),
    re_path(
        r"^annotations/(?P<pk>[0-9]+)/(?P<decision>accept|reject|correct|gold)/$",
        decisions.annotation_decide,
        name="annotation-decide",
    ),
    re_path(
        r"^relations/(?P<pk>[0-9]+)/(?P<decision>accept|reject|correct|gold)/$",
        decisions.relation_decide,
        name="relation-decide",
    ),
    path("assignments/<int:pk>/approve/", assignments.approve, name="approve"),
    path("assignments/<int:pk>/reassign/", assignments.reassign, name="reassign"),
    path("assignments/<int:pk>/request-changes/", assignments.request_changes, name="request-changes"),
    path("projects/<int:project_id>/assignments/", assignments.assignments, name="assignments"),
    path("projects/<int:project_id>/assign/", assignments.assign, name="assign"),
    path("history/restore/", history.restore, name="restore"),
]
