"""The demo's privacy module: requests in Lê Chân, a tracing officer with cases only they see."""

from nhandao.accounts.models import User
from nhandao.privacy import selectors
from nhandao.privacy.models import SubjectRequest, TracingCase


def test_the_demo_has_requests_and_a_tracing_officer_who_alone_sees_the_cases(seeded_city, db):
    assert SubjectRequest.objects.filter(status="verifying").exists()
    assert SubjectRequest.objects.filter(status="done").exists()
    tracer = User.objects.get(username="truytim.thanhpho")
    assert selectors.tracing_visible(tracer).count() == TracingCase.objects.count() >= 2
    manager = User.objects.get(username="quanly.lechan")
    assert not selectors.tracing_visible(manager).exists()
    assert "truytim.thanhpho" in seeded_city.output
