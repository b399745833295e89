from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("tin-bai/", views.story_list, name="list"),
    path("tin-bai/viet/", views.story_create, name="create"),
    path("tin-bai/<int:pk>/", views.story_detail, name="detail"),
    path("tin-bai/<int:pk>/sua/", views.story_edit, name="edit"),
    path("tin-bai/<int:pk>/gui-duyet/", views.story_submit, name="submit"),
    path("tin-bai/<int:pk>/dang/", views.story_publish, name="publish"),
    path("tin-bai/<int:pk>/tra-lai/", views.story_return, name="return"),
    path("tin-bai/<int:pk>/go/", views.story_withdraw, name="withdraw"),
    path("tin-bai/<int:pk>/nhap-lai/", views.story_redraft, name="redraft"),
    path("tin-bai/<int:pk>/anh/", views.image_add, name="image_add"),
    path("tin-bai/anh/<int:pk>/", views.image_file, name="image"),
    path("tin-bai/anh/<int:pk>/bo/", views.image_remove, name="image_remove"),
    path("truong-hoc/", views.school_list, name="schools"),
    path("truong-hoc/bao-cao/", views.school_report, name="school_report"),
]
