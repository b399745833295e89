"""Sign-in hardening (issue 16, points 2 and 12): lockout per account and per address with a
Vietnamese message, every sign-in, failure and lockout audited, an audited unlock, an idle timeout,
"sign out everywhere", password rules, and a production start that refuses a published key."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD
from nhandao.core.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/dang-nhap/"


def _try(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_the_account_with_a_vietnamese_message_even_for_the_right_one(world):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _try(client, "manager_a", f"sai-{n}", ip=f"10.0.0.{n + 1}")
        assert response.status_code == 200 and "Tạm khóa" not in response.content.decode()
    locked = _try(client, "manager_a", "sai-cuoi", ip="10.0.0.99")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode() and "15 phút" in locked.content.decode()
    # The right password from yet another address is refused too: the account is locked.
    assert _try(Client(), "manager_a", PASSWORD, ip="10.9.9.9").status_code == 429
    assert "_auth_user_id" not in Client().session
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.login").values_list("action", flat=True)
    )
    assert actions.count("accounts.login.failed") >= settings.AXES_FAILURE_LIMIT
    assert "accounts.login.locked_out" in actions
    event = AuditEvent.objects.filter(action="accounts.login.failed").latest("id")
    assert event.object_repr.endswith("(manager_a)") and event.data["username"] == "manager_a"


def test_many_usernames_from_one_address_lock_the_address(world):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(client, f"doan-mo-{n}", "sai", ip="10.1.1.1")
    assert _try(client, "entry_a", PASSWORD, ip="10.1.1.1").status_code == 429
    assert _try(Client(), "entry_a", PASSWORD, ip="10.1.1.2").status_code == 302  # another address


def test_a_successful_sign_in_is_audited_and_forgets_earlier_failures(world):
    client = Client()
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "viewer_a", "sai")
    assert _try(client, "viewer_a", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login.succeeded", actor=world.viewer_a).exists()
    client = Client()
    for _n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "viewer_a", "sai").status_code == 200  # counting starts again


def test_a_user_manager_unlocks_an_account_and_the_unlock_is_audited(world):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try(Client(), "entry_a", "sai", ip=f"10.2.0.{n}")
    assert _try(Client(), "entry_a", PASSWORD, ip="10.2.1.1").status_code == 429
    page = world.client(world.city_admin).get(f"/tai-khoan/nguoi-dung/{world.entry_a.pk}/").content.decode()
    assert "đang bị khóa đăng nhập" in page
    # A commune's manager may not unlock (accounts are the city's).
    refused = world.client(world.manager_a).post(f"/tai-khoan/nguoi-dung/{world.entry_a.pk}/mo-khoa/")
    assert refused.status_code == 403
    assert _try(Client(), "entry_a", PASSWORD, ip="10.2.1.2").status_code == 429
    response = world.client(world.city_admin).post(f"/tai-khoan/nguoi-dung/{world.entry_a.pk}/mo-khoa/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.unlocked", actor=world.city_admin).exists()
    assert _try(Client(), "entry_a", PASSWORD, ip="10.2.1.3").status_code == 302


def test_a_session_left_idle_is_signed_out_and_an_active_one_is_not(world):
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client = Client()
        assert _try(client, "viewer_a", PASSWORD).status_code == 302
        for _step in range(3):  # a request every 20 minutes keeps it alive
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/nguoi/").status_code == 200
        traveller.shift(dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
        response = client.get("/nguoi/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
        assert client.get("/nguoi/").status_code == 302


def test_sign_out_everywhere_ends_the_sessions_on_every_device(world):  # a role without the second factor
    phone, desk = Client(), Client()
    assert _try(phone, "manager_a", PASSWORD).status_code == 302
    assert _try(desk, "manager_a", PASSWORD, ip="10.3.0.2").status_code == 302
    assert desk.get("/quy/").status_code == 200
    assert phone.post("/tai-khoan/dang-xuat-moi-noi/").status_code == 302
    assert desk.get("/quy/").status_code == 302  # the desk's session ended too
    assert phone.get("/quy/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.user.signed_out_everywhere").count() == 1
    fresh = Client()
    assert _try(fresh, "manager_a", PASSWORD).status_code == 302
    assert fresh.get("/quy/").status_code == 200  # signing in again works


def test_a_user_manager_signs_another_user_out_everywhere_and_others_may_not(world):
    desk = Client()
    _try(desk, "viewer_a", PASSWORD)
    url = f"/tai-khoan/nguoi-dung/{world.viewer_a.pk}/dang-xuat-moi-noi/"
    assert world.client(world.manager_a).post(url).status_code == 403
    assert desk.get("/nguoi/").status_code == 200
    assert world.client(world.city_admin).post(url).status_code == 302
    assert desk.get("/nguoi/").status_code == 302


@pytest.mark.parametrize(
    "password",
    ["ngan123", "manager_a2026", "password123", "12345678901"],
    ids=["short", "username", "common", "digits"],
)
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, world.manager_a)


@pytest.mark.parametrize(
    "key", ["django-insecure-nhandao-development-key-change-me", "short-key"], ids=["published", "short"]
)
def test_production_refuses_to_start_with_a_published_or_short_key(key):
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": key, "DJANGO_SETTINGS_MODULE": "nhandao.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    good = {**env, "SECRET_KEY": "x" * 50}
    assert subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=good).returncode == 0
