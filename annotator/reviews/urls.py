from django.urls import path, re_path

from annotator.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/history/", views.document_history, name="document-history"),
    path("documents/<int:pk>/history/undo/", views.history_undo, name="history-undo"),
    path("documents/<int:pk>/agreement/", views.agreement_compute, name="agreement-compute"),
    path("documents/<int:pk>/gold/agreed/", views.gold_agreed, name="gold-agreed"),
    path("documents/<int:pk>/gold/add/", views.gold_add, name="gold-add"),
    path("gold/<int:pk>/", views.gold_edit, name="gold-edit"),
    path("annotations/<int:pk>/history/", views.span_history, name="span-history"),
    re_path(
        r"^annotations/(?P<pk>[0-9]+)/(?P<decision>accept|reject|correct|gold)/$",
        views.annotation_decide,
        name="annotation-decide",
    ),
    re_path(
        r"^relations/(?P<pk>[0-9]+)/(?P<decision>accept|reject|correct|gold)/$",
        views.relation_decide,
        name="relation-decide",
    ),
    path("assignments/<int:pk>/approve/", views.approve, name="approve"),
    path("assignments/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("assignments/<int:pk>/request-changes/", views.request_changes, name="request-changes"),
    path("projects/<int:project_id>/assignments/", views.assignments, name="assignments"),
    path("projects/<int:project_id>/assign/", views.assign, name="assign"),
    path("history/restore/", views.restore, name="restore"),
]
