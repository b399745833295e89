from django.urls import path

from . import views

app_name = "blood"

urlpatterns = [
    # Organisers and medical staff
    path("hien-mau/quan-ly/", views.drive_list, name="drives"),
    path("hien-mau/quan-ly/tao/", views.drive_create, name="drive_create"),
    path("hien-mau/quan-ly/<int:pk>/", views.drive_detail, name="drive"),
    path("hien-mau/quan-ly/<int:pk>/doi/", views.drive_move, name="drive_move"),
    path("hien-mau/quan-ly/<int:pk>/huy/", views.drive_cancel, name="drive_cancel"),
    path("hien-mau/quan-ly/<int:pk>/tiep-don/", views.drive_day, name="drive_day"),
    path("hien-mau/quan-ly/<int:pk>/dem/", views.drive_counter, name="drive_counter"),
    path("hien-mau/quan-ly/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("hien-mau/luot/<int:pk>/", views.visit_detail, name="visit"),
    path("hien-mau/luot/<int:pk>/kham/", views.visit_screen, name="visit_screen"),
    path("hien-mau/luot/<int:pk>/tui-mau/", views.visit_donation, name="visit_donation"),
    path("hien-mau/nguoi-hien/", views.donor_list, name="donors"),
    path("hien-mau/nguoi-hien/<int:pk>/", views.donor_detail, name="donor"),
    path("hien-mau/nguoi-hien/<int:pk>/sua/", views.donor_edit, name="donor_edit"),
    path("hien-mau/lan-hien/<int:pk>/chung-nhan.pdf", views.donation_certificate, name="certificate"),
    path("hien-mau/nhom-mau-hiem/", views.rare_list, name="rare"),
    path("hien-mau/ton-vinh/", views.honours, name="honours"),
    path("hien-mau/thong-ke/", views.statistics, name="statistics"),
    path("hien-mau/chi-tieu/", views.target_set, name="target_set"),
    path("hien-mau/hien-mo-tang/", views.pledge_list, name="pledges"),
    path("hien-mau/hien-mo-tang/dang-ky/", views.pledge_create, name="pledge_create"),
    path("hien-mau/hien-mo-tang/<int:pk>/", views.pledge_detail, name="pledge"),
    path("hien-mau/hien-mo-tang/<int:pk>/rut/", views.pledge_withdraw, name="pledge_withdraw"),
    # The public
    path("hien-mau/", views.public_drives, name="public_drives"),
    path("hien-mau/dot/<int:pk>/", views.public_drive, name="public_drive"),
    path("hien-mau/dot/<int:pk>/ap-phich/", views.public_poster, name="public_poster"),
    path("hien-mau/dang-ky/", views.public_lookup, name="public_lookup"),
    path("hien-mau/dang-ky/huy/", views.public_cancel, name="public_cancel"),
    path("hien-mau/dang-ky/<str:code>/", views.public_registration, name="public_registration"),
    path("hien-mau/cua-toi/", views.my_record_lookup, name="my_record_lookup"),
    path("hien-mau/cua-toi/<str:token>/", views.my_record, name="my_record"),
    path(
        "hien-mau/cua-toi/<str:token>/chung-nhan/<int:pk>.pdf",
        views.my_certificate,
        name="my_certificate",
    ),
]
