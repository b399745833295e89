from django.urls import path

from . import views

app_name = "banking"

urlpatterns = [
    path("ngan-hang/vietqr/", views.vietqr_preview, name="vietqr"),
    path("ngan-hang/vietqr/anh.png", views.vietqr_png, name="vietqr_png"),
    path("ngan-hang/doc-sao-ke/", views.statement_preview, name="statement_preview"),
    path("ngan-hang/mau-cot/", views.mapping_list, name="mappings"),
    path("ngan-hang/mau-cot/them/", views.mapping_create, name="mapping_create"),
    path("ngan-hang/mau-cot/<int:pk>/sua/", views.mapping_edit, name="mapping_edit"),
    path("ngan-hang/mau-cot/<int:pk>/xoa/", views.mapping_delete, name="mapping_delete"),
]
