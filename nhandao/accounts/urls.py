from django.contrib.auth import views as auth_views
from django.urls import path

from . import password_first, views

app_name = "accounts"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-xuat-moi-noi/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("doi-mat-khau/", password_first.password_change, name="password_change"),
    path("xac-thuc-hai-buoc/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/dang-ky/", views.otp_enrol, name="otp_enrol"),
    path("nguoi-dung/<int:pk>/dat-lai-xac-thuc/", views.user_otp_reset, name="user_otp_reset"),
    path("nguoi-dung/", views.user_list, name="users"),
    path("nguoi-dung/them/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_unlock, name="user_unlock"),
    path(
        "nguoi-dung/<int:pk>/dang-xuat-moi-noi/",
        views.user_sign_out_everywhere,
        name="user_sign_out_everywhere",
    ),
]
