from django.urls import path

from .views import distributions, incidents, stock

app_name = "relief"

urlpatterns = [
    path("thien-tai/", incidents.incident_list, name="incidents"),
    path("thien-tai/mo/", incidents.incident_create, name="incident_create"),
    path("thien-tai/<int:pk>/", incidents.incident_detail, name="incident"),
    path("thien-tai/<int:pk>/bao-cao-nhanh/", incidents.incident_sitrep, name="sitrep"),
    path("thien-tai/<int:pk>/cap-nhat/", incidents.incident_edit, name="incident_edit"),
    path("thien-tai/<int:pk>/xa/", incidents.area_set, name="area_set"),
    path("thien-tai/<int:pk>/bao-cao/", incidents.report_create, name="report_create"),
    path("thien-tai/<int:pk>/xa/<int:commune>/", incidents.commune_history, name="commune_history"),
    path("kho-cuu-tro/", stock.warehouse_list, name="warehouses"),
    path("kho-cuu-tro/them/", stock.warehouse_create, name="warehouse_create"),
    path("kho-cuu-tro/<int:pk>/", stock.warehouse_detail, name="warehouse"),
    path("kho-cuu-tro/<int:pk>/nhap/", stock.receipt_create, name="receipt_create"),
    path("kho-cuu-tro/<int:pk>/xuat/", stock.issue_create, name="issue_create"),
    path("kho-cuu-tro/<int:pk>/dieu-chuyen/", stock.transfer_create, name="transfer_create"),
    path("kho-cuu-tro/<int:pk>/kiem-ke/", stock.count_create, name="count_create"),
    path("kho-cuu-tro/phieu-nhap/<int:pk>/", stock.receipt_detail, name="receipt"),
    path("kho-cuu-tro/phieu-xuat/<int:pk>/", stock.issue_detail, name="issue"),
    path("kho-cuu-tro/dieu-chuyen/<int:pk>/", stock.transfer_detail, name="transfer"),
    path("kho-cuu-tro/kiem-ke/<int:pk>/", stock.count_detail, name="count"),
    path("kho-cuu-tro/kiem-ke/<int:pk>/duyet/", stock.count_decide, name="count_decide"),
    path("hang-cuu-tro/", stock.item_list, name="items"),
    path("hang-cuu-tro/them/", stock.item_create, name="item_create"),
    path("goi-cuu-tro/", distributions.package_list, name="packages"),
    path("goi-cuu-tro/them/", distributions.package_create, name="package_create"),
    path("thien-tai/<int:pk>/phat-hang/", distributions.distribution_create, name="distribution_create"),
    path("phat-hang/<int:pk>/", distributions.distribution_detail, name="distribution"),
    path("phat-hang/<int:pk>/them-ho/", distributions.distribution_fill, name="distribution_fill"),
    path("phat-hang/<int:pk>/ket-thuc/", distributions.distribution_close, name="distribution_close"),
    path("phat-hang/<int:pk>/in/", distributions.distribution_print, name="distribution_print"),
    path("phat-hang/nhan/<int:pk>/", distributions.recipient_confirm, name="recipient_confirm"),
]
