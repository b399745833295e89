from django.urls import path

from . import views, views_dashboard, views_register

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plans"),
    path("ke-hoach/them/", views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/noi-dung/them/", views.content_create, name="content_create"),
    path("noi-dung-ke-hoach/<int:pk>/sua/", views.content_edit, name="content_edit"),
    path("ke-hoach/<int:pk>/nhiem-vu/them/", views.duty_create, name="duty_create"),
    path("ke-hoach/<int:pk>/sao-chep/", views.plan_copy, name="plan_copy"),
    path("ke-hoach/<int:pk>/mo-dot-bao-cao/", views.round_create, name="round_create"),
    path("dot-bao-cao/", views.round_list, name="rounds"),
    path("dot-bao-cao/<int:pk>/", views.round_board, name="round"),
    path("dot-bao-cao/<int:pk>/khoa/", views.round_close, name="round_close"),
    path("dot-bao-cao/<int:pk>/so-lieu.xlsx", views.round_xlsx, name="round_xlsx"),
    path("dot-bao-cao/<int:pk>/van-ban/", views.document_generate, name="document_generate"),
    path("van-ban-bao-cao/<int:pk>/ban-hanh/", views.document_issue, name="document_issue"),
    path("van-ban-bao-cao/<int:pk>/tai-ve/", views.document_download, name="document"),
    path("bao-cao/", views.report_list, name="reports"),
    path("bao-cao/<int:pk>/", views.report_detail, name="report"),
    path("bao-cao/<int:pk>/so-lieu/", views.report_figures, name="report_figures"),
    path("bao-cao/<int:pk>/dieu-chinh/", views.figure_correct, name="figure_correct"),
    path("bao-cao/<int:pk>/dinh-kem/", views.attachment_add, name="attachment_add"),
    path("bao-cao/<int:pk>/nop/", views.report_submit, name="report_submit"),
    path("bao-cao/<int:pk>/xem-xet/", views.report_decide, name="report_decide"),
    path("bao-cao/<int:pk>/mo-lai/", views.report_reopen, name="report_reopen"),
    path("bao-cao/<int:pk>/lan-nop/<int:number>/", views.version_detail, name="version"),
    path("tep-bao-cao/<int:pk>/", views.attachment_download, name="attachment"),
    # The difficulties and proposals register (point 7)
    path("kho-khan-de-xuat/", views_register.issue_list, name="issues"),
    path("kho-khan-de-xuat/<int:pk>/", views_register.issue_detail, name="issue"),
    path("kho-khan-de-xuat/<int:pk>/tra-loi/", views_register.issue_respond, name="issue_respond"),
    path("kho-khan-de-xuat/<int:pk>/chuyen/", views_register.issue_address, name="issue_address"),
    # Inspection and supervision (point 8)
    path("kiem-tra/", views_register.inspection_plans, name="inspection_plans"),
    path("kiem-tra/<int:pk>/", views_register.inspection_plan, name="inspection_plan"),
    path("kiem-tra/<int:pk>/danh-muc/", views_register.checklist_edit, name="checklist_edit"),
    path("kiem-tra/<int:pk>/them/", views_register.inspection_create, name="inspection_create"),
    path("cuoc-kiem-tra/<int:pk>/", views_register.inspection_detail, name="inspection"),
    path("cuoc-kiem-tra/<int:pk>/bien-ban/", views_register.inspection_record, name="inspection_record"),
    path(
        "cuoc-kiem-tra/<int:pk>/kien-nghi/",
        views_register.recommendation_create,
        name="recommendation_create",
    ),
    path("kien-nghi/", views_register.recommendation_list, name="recommendations"),
    path("kien-nghi/<int:pk>/", views_register.recommendation_detail, name="recommendation"),
    path("kien-nghi/<int:pk>/tra-loi/", views_register.recommendation_answer, name="recommendation_answer"),
    path(
        "kien-nghi/<int:pk>/theo-doi/",
        views_register.recommendation_follow_up,
        name="recommendation_follow_up",
    ),
    # Dashboards (point 9)
    path("bang-dieu-hanh/", views_dashboard.dashboard, name="dashboard"),
]
