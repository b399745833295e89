from django.urls import path

from . import views
from .imports import views as import_views

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tim/<slug:source>/", views.search_choices, name="search"),
    path("viec/<int:pk>/", views.job_detail, name="job"),
    path("viec/<int:pk>/tien-do/", views.job_progress, name="job_progress"),
    path("viec/<int:pk>/thu-lai/", views.job_retry, name="job_retry"),
    path("nhap-du-lieu/lo/<int:pk>/", import_views.batch_detail, name="import_batch"),
    path("nhap-du-lieu/lo/<int:pk>/xac-nhan/", import_views.batch_commit, name="import_commit"),
    path("nhap-du-lieu/lo/<int:pk>/huy/", import_views.batch_discard, name="import_discard"),
    path("nhap-du-lieu/lo/<int:pk>/loi.xlsx", import_views.batch_problems, name="import_problems"),
    path("nhap-du-lieu/<str:kind>/", import_views.upload, name="import_upload"),
    path("nhap-du-lieu/<str:kind>/mau.xlsx", import_views.template, name="import_template"),
]
