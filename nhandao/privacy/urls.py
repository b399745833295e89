from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("du-lieu-ca-nhan/yeu-cau/", views.request_list, name="requests"),
    path("du-lieu-ca-nhan/yeu-cau/tao/", views.request_create, name="request_create"),
    path("du-lieu-ca-nhan/yeu-cau/<int:pk>/", views.request_detail, name="request"),
    path("du-lieu-ca-nhan/yeu-cau/<int:pk>/xu-ly/", views.request_act, name="request_act"),
    path("du-lieu-ca-nhan/yeu-cau/<int:pk>/du-lieu.json", views.request_export_json, name="request_json"),
    path("du-lieu-ca-nhan/yeu-cau/<int:pk>/du-lieu.pdf", views.request_export_pdf, name="request_pdf"),
    path("du-lieu-ca-nhan/gui-yeu-cau/", views.public_request, name="public_request"),
    path("truy-tim/", views.tracing_list, name="tracing_cases"),
    path("truy-tim/tao/", views.tracing_create, name="tracing_create"),
    path("truy-tim/<int:pk>/", views.tracing_detail, name="tracing_case"),
    path("truy-tim/<int:pk>/xu-ly/", views.tracing_act, name="tracing_act"),
]
