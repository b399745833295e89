app_name = "portal_data"

urlpatterns: list = []
