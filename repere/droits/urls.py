app_name = "droits"

urlpatterns = []
