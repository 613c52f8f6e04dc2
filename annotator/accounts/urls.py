from django.urls import path

from annotator.accounts import views

app_name = "accounts"
urlpatterns = [path("token/", views.api_token, name="token")]
