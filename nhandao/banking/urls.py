from django.urls import path

from . import views, views_statements

app_name = "banking"

urlpatterns = [
    path("ngan-hang/vietqr/", views.vietqr_preview, name="vietqr"),
    path("ngan-hang/vietqr/anh.png", views.vietqr_png, name="vietqr_png"),
    path("ngan-hang/doc-sao-ke/", views.statement_preview, name="statement_preview"),
    path("ngan-hang/mau-cot/", views.mapping_list, name="mappings"),
    path("ngan-hang/mau-cot/them/", views.mapping_create, name="mapping_create"),
    path("ngan-hang/mau-cot/<int:pk>/sua/", views.mapping_edit, name="mapping_edit"),
    path("ngan-hang/mau-cot/<int:pk>/xoa/", views.mapping_delete, name="mapping_delete"),
    # Statements of the fund's bank accounts
    path("ngan-hang/tai-khoan/<int:pk>/", views_statements.account_detail, name="account"),
    path("ngan-hang/tai-khoan/<int:pk>/nhap-sao-ke/", views_statements.statement_upload, name="upload"),
    path("ngan-hang/tai-khoan/<int:pk>/cho-phan-loai/", views_statements.queue, name="queue"),
    path("ngan-hang/tai-khoan/<int:pk>/doi-chieu-lai/", views_statements.rematch, name="rematch"),
    path("ngan-hang/tai-khoan/<int:pk>/quy-tac/", views_statements.rule_list, name="rules"),
    path("ngan-hang/tai-khoan/<int:pk>/doi-chieu/", views_statements.reconcile, name="reconcile"),
    path("ngan-hang/tai-khoan/<int:pk>/vietqr/", views_statements.account_vietqr, name="account_vietqr"),
    path(
        "ngan-hang/tai-khoan/<int:pk>/vietqr.png",
        views_statements.account_vietqr_png,
        name="account_vietqr_png",
    ),
    path("ngan-hang/quy-tac/<int:pk>/ngung/", views_statements.rule_deactivate, name="rule_deactivate"),
    path("ngan-hang/sao-ke/<int:pk>/", views_statements.import_detail, name="import"),
    path("ngan-hang/sao-ke/<int:pk>/xac-nhan/", views_statements.import_commit, name="import_commit"),
    path("ngan-hang/sao-ke/<int:pk>/huy/", views_statements.import_discard, name="import_discard"),
    path(
        "ngan-hang/sao-ke/<int:pk>/tai-khoan-khac/",
        views_statements.import_confirm_other_account,
        name="import_confirm_other_account",
    ),
    path("ngan-hang/sao-ke/<int:pk>/can-sua/", views_statements.import_problems, name="import_problems"),
    path("ngan-hang/dong-can-sua/<int:pk>/", views_statements.problem_detail, name="problem"),
    path("ngan-hang/dong/<int:pk>/", views_statements.line_detail, name="line"),
    path("ngan-hang/ma/<str:reference>/", views_statements.reference_vietqr, name="reference_vietqr"),
    path(
        "ngan-hang/ma/<str:reference>/anh.png",
        views_statements.reference_vietqr_png,
        name="reference_vietqr_png",
    ),
    path("cuoc-van-dong/<int:pk>/vietqr/", views_statements.campaign_vietqr, name="campaign_vietqr"),
    path(
        "cuoc-van-dong/<int:pk>/vietqr/<int:account>.png",
        views_statements.campaign_vietqr_png,
        name="campaign_vietqr_png",
    ),
    path("cam-ket/<int:pk>/vietqr/", views_statements.pledge_vietqr, name="pledge_vietqr"),
]
