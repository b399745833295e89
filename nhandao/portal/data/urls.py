"""/minh-bach/du-lieu/: verify the books and download everything (stable names for links)."""

from django.urls import path

from . import views

app_name = "portal_data"

urlpatterns = [
    path("", views.index, name="index"),
    path("tom-tat.json", views.digests_json, name="digests_json"),
    path("verify_ledger_chain.py", views.verify_script, name="verify_script"),
    path("iati.xml", views.iati_all, name="iati"),
    path("<str:code>/so-cai.json", views.entries_json, name="entries_json"),
    path("<str:code>/ung-ho.csv", views.gifts_csv, name="gifts_csv"),
    path("<str:code>/ung-ho.xlsx", views.gifts_xlsx, name="gifts_xlsx"),
    path("<str:code>/ung-ho-hxl.csv", views.gifts_hxl, name="gifts_hxl"),
    path("<str:code>/chi.csv", views.disbursements_csv, name="disbursements_csv"),
    path("<str:code>/chi.xlsx", views.disbursements_xlsx, name="disbursements_xlsx"),
    path("<str:code>/chi-hxl.csv", views.disbursements_hxl, name="disbursements_hxl"),
    path("<str:code>/iati.xml", views.campaign_iati, name="campaign_iati"),
]
