from django.urls import path

from annotator.credibility import views

app_name = "credibility"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export"),
    path("recompute/", views.recompute, name="recompute"),
    path("<int:project_id>/<str:kind>/<int:entity_id>/", views.source_detail, name="detail"),
]
