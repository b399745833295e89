from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("nguoi/", views.person_list, name="list"),
    path("nguoi/xuat/", views.person_export, name="export"),
    path("nguoi/them/", views.person_create, name="create"),
    path("nguoi/trung-lap/", views.duplicate_list, name="duplicates"),
    path("nguoi/<int:pk>/", views.person_detail, name="person"),
    path("nguoi/<int:pk>/sua/", views.person_edit, name="edit"),
    path("nguoi/<int:pk>/vai-tro/", views.role_add, name="role_add"),
    path("nguoi/<int:pk>/hoi-phi/", views.dues_add, name="dues_add"),
    path("nguoi/<int:pk>/gio-tinh-nguyen/", views.hours_add, name="hours_add"),
    path("nguoi/<int:pk>/khen-thuong/", views.award_add, name="award_add"),
    path("nguoi/<int:pk>/cau-lac-bo/", views.club_join, name="club_join"),
    path("nguoi/<int:pk>/hop-nhat/", views.person_merge, name="merge"),
    path("vai-tro/<int:pk>/trang-thai/", views.role_status, name="role_status"),
    path("vai-tro/<int:pk>/the/", views.member_card, name="card"),
    path("vai-tro/<int:pk>/cap-lai-the/", views.card_reissue, name="card_reissue"),
    path("the/<str:token>/", views.card_verify, name="card_verify"),
    path("hoi-phi/", views.dues_overview, name="dues"),
    path("hoi-phi/muc-thu/", views.dues_rate, name="dues_rate"),
    path("cau-lac-bo/", views.club_list, name="clubs"),
    path("cau-lac-bo/them/", views.club_create, name="club_create"),
    path("cau-lac-bo/<int:pk>/", views.club_detail, name="club"),
    path("cau-lac-bo/thanh-vien/<int:pk>/roi/", views.club_member_leave, name="club_member_leave"),
    path("tap-huan/", views.training_list, name="trainings"),
    path("tap-huan/them/", views.training_create, name="training_create"),
    path("tap-huan/khoa/them/", views.course_create, name="course_create"),
    path("tap-huan/<int:pk>/", views.training_detail, name="training"),
    path("tap-huan/chung-nhan-sap-het-han/", views.certificates_expiring, name="certificates"),
    path("cai-dat/hoi-vien/", views.rules_edit, name="rules"),
]
