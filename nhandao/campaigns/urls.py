from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("cuoc-van-dong/", views.campaign_list, name="list"),
    path("cuoc-van-dong/them/", views.campaign_create, name="create"),
    path("cuoc-van-dong/<int:pk>/", views.campaign_detail, name="detail"),
    path("cuoc-van-dong/<int:pk>/sua/", views.campaign_edit, name="edit"),
    path("cuoc-van-dong/<int:pk>/mo/", views.campaign_open, name="open"),
    path("cuoc-van-dong/<int:pk>/ket-thuc/", views.campaign_close, name="close"),
    path("cuoc-van-dong/<int:pk>/van-ban.pdf", views.campaign_document, name="document"),
]
