from django.urls import path

from annotator.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("documents/<int:document_id>/", views.document_workspace, name="document"),
    path(
        "invitations/<int:invitation_id>/accept/",
        views.invitation_answer,
        {"accept": True},
        name="invitation-accept",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        views.invitation_answer,
        {"accept": False},
        name="invitation-decline",
    ),
    path("documents/<int:document_id>/details/", views.document_details, name="document-details"),
]
