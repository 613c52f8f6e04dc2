from django.urls import path

from annotator.propositions import views

app_name = "propositions"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("<int:project_id>/", views.index, name="index"),
    path("<int:project_id>/p/<int:pk>/", views.proposition_detail, name="detail"),
    path("<int:project_id>/sources/<int:source_id>/", views.source_map, name="source-map"),
    path("<int:project_id>/repeats/", views.repeats_confirm_view, name="repeats-confirm"),
    path("<int:project_id>/changes/<int:change_id>/undo/", views.undo_view, name="undo"),
    path("<int:project_id>/links/<int:link_id>/review/", views.link_review_view, name="link-review"),
]
