"""Two-factor sign-in (issue 16, point 1): required for city administrators, finance officers and
approvers and inspectors, optional for others; enrolment with a QR code and ten recovery codes
shown once; a code after the password; a replayed code or one from another device refused in
Vietnamese; an administrator resets a lost device; every step audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from nhandao.accounts import twofactor
from nhandao.accounts.models import User
from nhandao.core.access import SECOND_FACTOR_ROLES, Role
from nhandao.core.models import AuditEvent
from tests.browser.conftest import totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc-hai-buoc/"
ENROL = "/tai-khoan/xac-thuc-hai-buoc/dang-ky/"


def _sign_in(username: str) -> Client:
    """The password step only, through the real sign-in page."""
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _device(user, key: str | None = None) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True, **({"key": key} if key else {}))


def _code_now(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_required_roles_are_the_admin_finance_and_inspector_roles():
    assert set(SECOND_FACTOR_ROLES) == {
        Role.CITY_ADMIN,
        Role.FINANCE_OFFICER,
        Role.FINANCE_APPROVER,
        Role.INSPECTOR,
    }


@pytest.mark.parametrize("who", ["city_admin", "finance_officer_a", "finance_approver_a", "inspector"])
def test_a_role_that_requires_it_is_sent_to_enrol_after_the_password(world, who):
    client = _sign_in(getattr(world, who).username)
    response = client.get(reverse("funds:donations"))
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_a_commune_officer_need_not_enrol(world):
    client = _sign_in(world.entry_a.username)
    assert client.get(reverse("people:list")).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_first_code_turns_it_on_with_ten_recovery_codes(world):
    client = _sign_in(world.city_admin.username)
    page = client.get(ENROL)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert not TOTPDevice.objects.exists()  # nothing saved before the first code is right
    device = TOTPDevice(key=client.session[twofactor.PENDING_KEY])
    done = client.post(ENROL, {"code": _code_now(device), "next": "/"})
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=world.city_admin).values_list("token", flat=True)
    )
    assert client.get(reverse("funds:donations")).status_code == 200
    # Shown once: the page now only says it is on.
    assert not re.findall(r"<li><code>", client.get(ENROL).content.decode())
    assert "accounts.otp.enrolled" in _actions(world.city_admin)


def test_a_wrong_first_code_does_not_turn_it_on(world):
    client = _sign_in(world.city_admin.username)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000"})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_user_with_a_device_gives_a_code_after_the_password(world):
    device = _device(world.finance_officer_a)
    client = _sign_in(world.finance_officer_a.username)
    held = client.get(reverse("funds:donations"))
    assert held.status_code == 302 and held["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": _code_now(device), "next": reverse("funds:donations")})
    assert response.status_code == 302 and response["Location"] == reverse("funds:donations")
    assert client.get(reverse("funds:donations")).status_code == 200
    assert _actions(world.finance_officer_a)[-2:] == ["accounts.login.succeeded", "accounts.otp.verified"]


def test_a_replayed_code_is_refused_with_a_vietnamese_message(world):
    device = _device(world.finance_officer_a)
    first = _sign_in(world.finance_officer_a.username)
    code = _code_now(device)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = _sign_in(world.finance_officer_a.username)
    response = second.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert "Mã này đã được dùng" in response.content.decode()
    assert second.get(reverse("funds:donations")).status_code == 302
    assert _actions(world.finance_officer_a)[-1] == "accounts.otp.failed"


def test_a_code_from_another_device_is_refused(world):
    _device(world.finance_officer_a)
    other = _device(world.finance_approver_a)
    client = _sign_in(world.finance_officer_a.username)
    response = client.post(VERIFY, {"code": _code_now(other)})
    assert response.status_code == 400
    assert "Mã xác thực không đúng (hoặc của một thiết bị khác)" in response.content.decode()
    assert client.get(reverse("funds:donations")).status_code == 302


def test_a_recovery_code_opens_the_session_once(world):
    _device(world.finance_officer_a)
    code = twofactor.recovery_codes_make(world.finance_officer_a)[0]
    client = _sign_in(world.finance_officer_a.username)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    assert client.get(reverse("funds:donations")).status_code == 200
    again = _sign_in(world.finance_officer_a.username).post(VERIFY, {"code": code})
    assert again.status_code == 400 and "Mã khôi phục không đúng hoặc đã được dùng" in again.content.decode()


def test_an_officer_may_enrol_and_must_then_give_a_code(world):
    client = _sign_in(world.entry_a.username)
    client.get(ENROL)
    device = TOTPDevice(key=client.session[twofactor.PENDING_KEY])
    assert client.post(ENROL, {"code": _code_now(device)}).status_code == 200
    later = _sign_in(world.entry_a.username)
    held = later.get(reverse("people:list"))
    assert held.status_code == 302 and held["Location"].startswith(VERIFY)


def test_an_unverified_session_reaches_no_page_but_the_steps_and_sign_out(world):
    _device(world.city_admin)
    client = _sign_in(world.city_admin.username)
    for name in ("office:home", "accounts:users", "org:audit"):
        assert client.get(reverse(name)).status_code == 302
    assert client.get(VERIFY).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_an_administrator_resets_a_lost_device_audited_and_the_user_enrols_again(world):
    _device(world.finance_officer_a)
    twofactor.recovery_codes_make(world.finance_officer_a)
    admin = world.client(world.city_admin)
    response = admin.post(reverse("accounts:user_otp_reset", args=[world.finance_officer_a.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.finance_officer_a).exists()
    assert not StaticToken.objects.filter(device__user=world.finance_officer_a).exists()
    event = AuditEvent.objects.get(action="accounts.otp.reset")
    assert event.actor == world.city_admin and event.object_id == str(world.finance_officer_a.pk)
    client = _sign_in(world.finance_officer_a.username)
    assert client.get("/")["Location"].startswith(ENROL)


def test_a_unit_manager_cannot_reset_anyones_device(world):
    _device(world.finance_officer_a)
    response = world.client(world.manager_a).post(
        reverse("accounts:user_otp_reset", args=[world.finance_officer_a.pk])
    )
    assert response.status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=world.finance_officer_a).exists()


def test_the_next_address_must_stay_on_this_site(world):
    device = _device(world.finance_officer_a)
    client = _sign_in(world.finance_officer_a.username)
    response = client.post(VERIFY, {"code": _code_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_test_code_helper_gives_a_fresh_code(world):
    device = _device(world.finance_officer_a)
    client = _sign_in(world.finance_officer_a.username)
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    second = _sign_in(world.finance_officer_a.username)
    assert second.post(VERIFY, {"code": totp_code(device)}).status_code == 302


def test_a_superuser_must_enrol_too(world):
    world.nobody.is_superuser = True
    world.nobody.save()
    client = _sign_in(world.nobody.username)
    assert client.get("/")["Location"].startswith(ENROL)


def test_with_no_required_roles_nobody_is_held(world, settings):
    settings.OTP_REQUIRED_ROLES = []
    assert _sign_in(world.city_admin.username).get(reverse("office:home")).status_code == 200


def test_a_device_whose_drift_moved_still_accepts_its_next_code_and_refuses_the_used_one(db, rf):
    """django-otp moves a device's drift when it accepts a code one step ahead; the replay check
    must place the steps with that drift, or the next good code is refused as "already used"."""
    user = User.objects.create_user(username="drift", password="x-very-long-password-1")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    def code_at(step):
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = device.t0 + (step - device.drift) * device.step
        return f"{totp.token():0{device.digits}d}"

    now = TOTP(device.bin_key, device.step, device.t0, device.digits, 0).t()
    used = code_at(now + 1)  # one step ahead: accepted, the drift moves to 1
    twofactor._check(device, used)
    device.refresh_from_db()
    assert device.drift == 1
    twofactor._check(device, code_at(device.last_t + 1))  # the next step's code is not a replay
    with pytest.raises(twofactor.SecondFactorError, match="đã được dùng"):
        twofactor._check(device, used)
