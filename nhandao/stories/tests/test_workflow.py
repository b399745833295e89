"""draft → in review → published → withdrawn: who may take each step, and each step audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent
from nhandao.stories import services

from .conftest import published, story


def test_a_writer_sends_for_review_and_the_communication_officer_publishes(world, cast):
    s = services.story_submit(actor=world.entry_a, story=story(world))
    assert s.status == "in_review"
    s = services.story_publish(actor=cast.officer, story=s)
    assert s.status == "published" and s.published_at is not None and s.reviewer == cast.officer


def test_the_units_manager_cannot_publish(world):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    with pytest.raises(PermissionDenied):
        services.story_publish(actor=world.manager_a, story=s)


def test_the_city_admin_cannot_publish_either(world):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    with pytest.raises(PermissionDenied):
        services.story_publish(actor=world.city_admin, story=s)


def test_the_officer_does_not_publish_their_own_story(world, cast):
    s = story(world, actor=cast.officer)
    s = services.story_submit(actor=cast.officer, story=s)
    with pytest.raises(ValidationError):
        services.story_publish(actor=cast.officer, story=s)


def test_a_draft_cannot_be_published(world, cast):
    with pytest.raises(ValidationError):
        services.story_publish(actor=cast.officer, story=story(world))


def test_returning_needs_a_note_and_makes_a_draft_again(world, cast):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    with pytest.raises(ValidationError):
        services.story_return(actor=cast.officer, story=s, note=" ")
    s = services.story_return(actor=cast.officer, story=s, note="Thiếu ảnh")
    assert s.status == "draft" and s.review_note == "Thiếu ảnh"


def test_a_story_in_review_cannot_be_edited(world):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    with pytest.raises(ValidationError):
        services.story_update(actor=world.manager_a, story=s, title="Khác")


def test_withdrawing_needs_a_reason_and_takes_the_story_off_the_site(world, cast, client):
    s = published(world, cast)
    with pytest.raises(ValidationError):
        services.story_withdraw(actor=cast.officer, story=s, note="")
    services.story_withdraw(actor=cast.officer, story=s, note="Sai số liệu")
    assert client.get(s.get_public_url()).status_code == 404


def test_a_writer_of_another_commune_cannot_write_for_this_one(world):
    with pytest.raises(PermissionDenied):
        story(world, world.commune_a, actor=world.user_b)


def test_a_viewer_cannot_write(world):
    with pytest.raises(PermissionDenied):
        story(world, actor=world.viewer_a)


def test_a_closed_unit_cannot_write(world):
    import datetime as dt

    world.commune_a.valid_to = dt.date(2025, 12, 31)
    world.commune_a.save()
    with pytest.raises((PermissionDenied, ValidationError)):
        story(world, actor=world.city_admin)


def test_each_step_is_audited(world, cast):
    s = published(world, cast)
    services.story_withdraw(actor=cast.officer, story=s, note="Gỡ")
    actions = list(
        AuditEvent.objects.filter(object_id=str(s.pk), action__startswith="stories.story")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "stories.story.created",
        "stories.story.submitted",
        "stories.story.published",
        "stories.story.withdrawn",
    ]


def test_a_required_field_left_empty_is_named(world):
    with pytest.raises(ValidationError) as exc:
        story(world, title=" ", summary="")
    assert set(exc.value.message_dict) >= {"title", "summary"}
