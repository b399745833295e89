import pytest
from django.core.exceptions import PermissionDenied

from nhandao.accounts import services
from nhandao.core.models import AuditEvent


def test_login_page_logs_in_with_a_password(world):
    client = world.client()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "manager_a", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gives_a_vietnamese_message(world):
    response = world.client().post("/tai-khoan/dang-nhap/", {"username": "manager_a", "password": "sai"})
    assert response.status_code == 200
    assert "tên đăng nhập và mật khẩu" in response.content.decode().lower()


def test_city_admin_creates_a_user_and_it_is_audited_without_the_password(world):
    response = world.client(world.city_admin).post(
        "/tai-khoan/nguoi-dung/them/",
        {"username": "canbo.moi", "full_name": "Nguyễn Thị Mới", "password": "Mot-mat-khau-dai-2025"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="accounts.user.created")
    assert "Mot-mat-khau" not in str(event.changes)


def test_only_city_admins_manage_users(world):
    for user in (world.manager_a, world.inspector, world.user_b):
        client = world.client(user)
        assert client.get("/tai-khoan/nguoi-dung/").status_code == 403
        assert client.get(f"/tai-khoan/nguoi-dung/{world.entry_a.pk}/").status_code == 403
        assert client.post("/tai-khoan/nguoi-dung/them/", {"username": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.user_create(actor=world.manager_a, username="x", full_name="X", password="Dai-du-roi-2025")


def test_duplicate_username_is_refused_in_vietnamese(world):
    response = world.client(world.city_admin).post(
        "/tai-khoan/nguoi-dung/them/",
        {"username": "MANAGER_A", "full_name": "X", "password": "Mot-mat-khau-dai-2025"},
    )
    assert "đã được dùng" in response.content.decode()


def test_password_change_needs_login(world):
    response = world.client().get("/tai-khoan/doi-mat-khau/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert world.client(world.entry_a).get("/tai-khoan/doi-mat-khau/").status_code == 200
