from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("don-vi/", views.tree, name="tree"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit"),
    path("don-vi/<int:pk>/con/", views.unit_children, name="unit_children"),
    path("don-vi/<int:pk>/them/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/chuyen/", views.unit_move, name="unit_move"),
    path("don-vi/<int:pk>/sap-nhap/", views.unit_merge, name="unit_merge"),
    path("don-vi/<int:pk>/giai-the/", views.unit_close, name="unit_close"),
    path("don-vi/<int:pk>/phan-quyen/", views.role_assign, name="role_assign"),
    path("phan-quyen/<int:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("co-quan/", views.agency_list, name="agencies"),
    path("co-quan/them/", views.agency_create, name="agency_create"),
    path("co-quan/<int:pk>/", views.agency_detail, name="agency"),
    path("co-quan/<int:pk>/giai-the/", views.agency_close, name="agency_close"),
    path("nhat-ky/", views.audit_list, name="audit"),
    path("nhat-ky/<int:pk>/", views.audit_detail, name="audit_event"),
]
