app_name = "workspace"
urlpatterns = []
