from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("api.urls")),
    path("account/", include("annotator.accounts.urls")),
    path("sources/", include("annotator.credibility.urls")),
    path("review/", include("annotator.reviews.urls")),
    path("propositions/", include("annotator.propositions.urls")),
    path("hedges/", include("annotator.hedges.urls")),
    path("", include("annotator.workspace.urls")),
]
# Nothing under MEDIA_ROOT is ever served by URL, in any mode: it holds import uploads and job
# results, which only the permission-checked GET /api/v1/jobs/<id>/download/ hands out.
