from django.urls import path

from annotator.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("documents/<int:document_id>/", views.document_workspace, name="document"),
    path("documents/<int:document_id>/details/", views.document_details, name="document-details"),
]
