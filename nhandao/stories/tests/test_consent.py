"""A story naming a beneficiary needs that person's recorded consent to publication: refused
without it (nothing written), and the story leaves the public site when the consent is withdrawn."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nhandao.beneficiaries import services as beneficiaries
from nhandao.beneficiaries.tests.helpers import make_case
from nhandao.stories import services
from nhandao.stories.models import Story

from .conftest import published, story


def _consent(case, purpose="publish"):
    return beneficiaries.consent_record(
        actor=None,
        case=case,
        purpose=purpose,
        given_on=timezone.localdate() - dt.timedelta(days=3),
        collected_by="Cán bộ Hội",
    )


def test_a_story_naming_a_beneficiary_without_consent_to_publication_is_refused(world):
    case = make_case(world.commune_a)  # consents to sharing, not to publication
    with pytest.raises(ValidationError) as exc:
        story(world, case=case)
    assert "chưa đồng ý công bố" in str(exc.value.message_dict["case"])
    assert not Story.objects.exists()


def test_with_the_consent_recorded_the_story_is_written_and_published(world, cast, client):
    case = make_case(world.commune_a)
    _consent(case)
    s = published(world, cast, case=case)
    assert client.get(s.get_public_url()).status_code == 200


def test_publishing_checks_the_consent_again(world, cast):
    case = make_case(world.commune_a)
    consent = _consent(case)
    s = services.story_submit(actor=world.manager_a, story=story(world, case=case))
    beneficiaries.consent_withdraw(actor=None, consent=consent, withdrawn_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.story_publish(actor=cast.officer, story=s)
    s.refresh_from_db()
    assert s.status == "in_review"


def test_a_published_story_leaves_the_public_site_when_the_consent_is_withdrawn(world, cast, client):
    case = make_case(world.commune_a)
    consent = _consent(case)
    s = published(world, cast, case=case)
    beneficiaries.consent_withdraw(actor=None, consent=consent, withdrawn_on=timezone.localdate())
    assert client.get(s.get_public_url()).status_code == 404
    assert s.title not in client.get("/tin-tuc/").content.decode()


def test_the_create_page_refuses_a_case_of_another_commune(world):
    case = make_case(world.commune_b)
    _consent(case)
    response = world.client(world.manager_a).post(
        "/tin-bai/viet/",
        {
            "unit": world.commune_a.pk,
            "kind": "good_deed",
            "title": "Gương sáng",
            "summary": "Tóm tắt",
            "body": "Nội dung",
            "case": case.pk,
        },
    )
    assert response.status_code == 200
    assert f"Không tìm thấy hồ sơ số {case.pk}" in response.content.decode()
    assert not Story.objects.exists()
