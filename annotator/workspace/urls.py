from django.urls import path

from annotator.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.project_list, name="project-list"),
]
