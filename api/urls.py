from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.exceptions import not_found

# The docs bundles (Swagger UI, ReDoc) insert <style> elements and ReDoc runs its search in a
# blob: worker and shows its maker's logo; their pages allow exactly that, and still no inline
# or foreign scripts (the split Swagger view serves its start-up script as a file; ReDoc's page
# is templates/drf_spectacular/redoc.html).
_docs_csp = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["'self'", "blob:"]})
_redoc_csp = csp_update(
    {"style-src": [UNSAFE_INLINE], "worker-src": ["'self'", "blob:"], "img-src": ["https://cdn.redoc.ly"]}
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", _docs_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"),
    path("redoc/", _redoc_csp(SpectacularRedocView.as_view(url_name="schema")), name="redoc"),
    path("v1/", include("api.v1")),
    # Last: any other path under /api/ (newlines included) is a 404 in the API's error
    # shape, not an HTML page; a known endpoint without its slash redirects (not_found).
    re_path(r"^[\s\S]*$", not_found),
]
