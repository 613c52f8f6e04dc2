from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.exceptions import not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("v1/", include("api.v1")),
    # Last: any other path under /api/ (newlines included) is a 404 in the API's error
    # shape, not an HTML page; a known endpoint without its slash redirects (not_found).
    re_path(r"^[\s\S]*$", not_found),
]
