from django.urls import path

from annotator.hedges import views

app_name = "hedges"
urlpatterns = [
    path("<int:project_id>/rules/", views.rules, name="rules"),
    path("<int:project_id>/rules/switch/", views.rule_switch, name="rule-switch"),
    path("<int:project_id>/run/", views.run, name="run"),
]
