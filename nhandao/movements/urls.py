from django.urls import path

from . import views

app_name = "movements"

urlpatterns = [
    path("phong-trao/", views.movement_list, name="list"),
    path("phong-trao/tao/", views.movement_create, name="movement_create"),
    path("phong-trao/<int:pk>/", views.movement_detail, name="movement"),
    path("phong-trao/<int:pk>/giao-chi-tieu/", views.target_set, name="target_set"),
    path("phong-trao/<int:pk>/cong-thuc/", views.target_formula, name="target_formula"),
    path("phong-trao/<int:pk>/chi-tieu.xlsx", views.target_export, name="target_export"),
    path("khoi-thi-dua/", views.profile_list, name="profiles"),
    path("khoi-thi-dua/<int:pk>/", views.profile_edit, name="profile_edit"),
    path("khoi-thi-dua/danh-sach.xlsx", views.profile_export, name="profile_export"),
    path("thi-dua/", views.scheme_list, name="schemes"),
    path("thi-dua/tao/", views.scheme_create, name="scheme_create"),
    path("thi-dua/<int:pk>/", views.scheme_detail, name="scheme"),
    path("thi-dua/<int:pk>/tieu-chi/", views.scheme_criteria, name="scheme_criteria"),
    path("thi-dua/<int:pk>/cham-diem/", views.score_add, name="score_add"),
    path("thi-dua/<int:pk>/chot/", views.ranking_freeze, name="ranking_freeze"),
    path("thi-dua/bang-xep-hang/<int:pk>/", views.ranking_detail, name="ranking"),
    path("khen-thuong/", views.proposal_list, name="proposals"),
    path("khen-thuong/tao/", views.proposal_create, name="proposal_create"),
    path("khen-thuong/<int:pk>/", views.proposal_detail, name="proposal"),
    path("khen-thuong/<int:pk>/them/", views.proposal_item_add, name="proposal_item_add"),
    path("khen-thuong/<int:pk>/tu-xep-hang/", views.proposal_fill, name="proposal_fill"),
    path("khen-thuong/<int:pk>/trinh/", views.proposal_submit, name="proposal_submit"),
    path("khen-thuong/<int:pk>/xet/", views.proposal_review, name="proposal_review"),
    path("khen-thuong/<int:pk>/quyet-dinh/", views.proposal_decide, name="proposal_decide"),
    path("khen-thuong/<int:pk>/danh-sach.docx", views.proposal_docx, name="proposal_docx"),
    path("mo-hinh-hay/", views.practice_list, name="practices"),
    path("mo-hinh-hay/tao/", views.practice_create, name="practice_create"),
    path("mo-hinh-hay/<int:pk>/", views.practice_detail, name="practice"),
    path("mo-hinh-hay/<int:pk>/so-lieu/", views.practice_figure_add, name="practice_figure_add"),
    path("mo-hinh-hay/<int:pk>/tep/", views.practice_file_add, name="practice_file_add"),
    path("mo-hinh-hay/tep/<int:pk>/", views.practice_file, name="practice_file"),
    path("mo-hinh-hay/<int:pk>/ap-dung/", views.adoption_add, name="adoption_add"),
]
