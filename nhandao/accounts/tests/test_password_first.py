"""A password chosen by an administrator is changed at the first sign-in (issue 15, point 5)."""

from __future__ import annotations

from django.test import Client

from nhandao.accounts.models import User

PASSWORD = "Mat-khau-quan-tri-2026"


def _created_by_admin(world):
    response = world.client(world.city_admin).post(
        "/tai-khoan/nguoi-dung/them/",
        {"username": "moi", "full_name": "Nguyễn Văn Mới", "password": PASSWORD},
    )
    assert response.status_code == 302
    return User.objects.get(username="moi")


def test_a_user_created_by_an_administrator_must_change_the_password(world):
    user = _created_by_admin(world)
    assert user.must_change_password
    client = Client()
    client.force_login(user)
    response = client.get("/nguoi/")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/doi-mat-khau/"
    assert client.get("/tai-khoan/doi-mat-khau/").status_code == 200


def test_changing_the_password_lifts_the_redirect(world):
    client = Client()
    client.force_login(_created_by_admin(world))
    new = "Mat-khau-rieng-cua-toi-2026"
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert not User.objects.get(username="moi").must_change_password
    assert client.get("/").status_code == 200


def test_users_who_chose_their_own_password_are_not_redirected(world):
    assert world.client(world.entry_a).get("/").status_code == 200
