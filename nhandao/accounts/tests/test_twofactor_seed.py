"""The demo's two-factor logins (README, "Demo logins"): the roles that must use a second factor
get the published demo key; the others have none."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from nhandao.accounts.twofactor import DEMO_TOTP_KEY_BASE32


def test_the_demo_logins_that_need_a_second_factor_have_the_published_key(seeded_city, db):
    key = base64.b32decode(DEMO_TOTP_KEY_BASE32).hex()
    with_key = set(
        TOTPDevice.objects.filter(key=key, confirmed=True).values_list("user__username", flat=True)
    )
    assert {"admin.thanhpho", "kiemtra.thanhpho", "ketoan.lechan", "duyetchi.lechan"} <= with_key
    assert "ketoan.thanhpho" in with_key and "duyetchi.thanhpho" in with_key
    assert not with_key & {"quanly.lechan", "nhaplieu.lechan", "xem.lechan", "baocao.soyte"}
