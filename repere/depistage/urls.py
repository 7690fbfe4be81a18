app_name = "depistage"

urlpatterns = []
