app_name = "supplies"

urlpatterns: list = []
