from django.urls import path

from .views import incidents

app_name = "relief"

urlpatterns = [
    path("thien-tai/", incidents.incident_list, name="incidents"),
    path("thien-tai/mo/", incidents.incident_create, name="incident_create"),
    path("thien-tai/<int:pk>/", incidents.incident_detail, name="incident"),
    path("thien-tai/<int:pk>/cap-nhat/", incidents.incident_edit, name="incident_edit"),
    path("thien-tai/<int:pk>/xa/", incidents.area_set, name="area_set"),
    path("thien-tai/<int:pk>/bao-cao/", incidents.report_create, name="report_create"),
    path("thien-tai/<int:pk>/xa/<int:commune>/", incidents.commune_history, name="commune_history"),
]
