app_name = "allervers"

urlpatterns = []
