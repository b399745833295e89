"""Writes: permissions on the unit, validation in Vietnamese, one audit event each."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.core.models import AuditEvent
from nhandao.people import selectors, services
from nhandao.people.choices import RoleKind, RoleStatus
from nhandao.people.models import (
    Award,
    ClubMember,
    DuesPayment,
    Person,
    PersonRole,
    Skill,
    TrainingCourse,
    VolunteerHours,
)

from .helpers import person


def test_registering_a_person_is_audited_and_keys_are_derived(world):
    p = services.person_create(
        actor=world.entry_a, unit=world.commune_a, full_name="NGUYỄN  thị minh ANH", phone="+84 912 345 678"
    )
    assert p.full_name == "Nguyễn Thị Minh Anh" and p.given_name == "Anh"
    assert p.phone == "0912345678"
    assert p.search_key == "nguyen thi minh anh 0912345678"
    # sort_key is the Vietnamese-order key of core.collation (given name, then full name):
    # "ê" is "e{" so that it sorts after every "e…" word.
    assert p.sort_key.startswith("anh nguye{n thi minh anh")
    event = AuditEvent.objects.get(action="people.person.created", object_id=str(p.pk))
    assert event.actor == world.entry_a and event.unit_path == world.commune_a.path


def test_a_user_of_commune_b_cannot_register_into_commune_a(world):
    with pytest.raises(PermissionDenied):
        services.person_create(actor=world.user_b, unit=world.commune_a, full_name="Trần Văn Lạ")


def test_viewers_and_inspectors_cannot_register(world):
    for user in (world.viewer_a, world.inspector_a, world.inspector):
        with pytest.raises(PermissionDenied):
            services.person_create(actor=user, unit=world.commune_a, full_name="Trần Văn Lạ")


def test_a_likely_duplicate_is_flagged_on_create(world):
    services.person_create(
        actor=None, unit=world.commune_a, full_name="Phạm Văn Đức", date_of_birth=dt.date(1970, 2, 3)
    )
    with pytest.raises(services.DuplicateSuspected) as exc:
        services.person_create(
            actor=world.entry_a,
            unit=world.commune_a,
            full_name="PHAM VAN DUC",
            date_of_birth=dt.date(1970, 2, 3),
        )
    assert "cùng họ tên và ngày sinh" in exc.value.messages[0]
    assert len(exc.value.candidates) == 1
    # Confirmed as someone else: created.
    services.person_create(
        actor=world.entry_a,
        unit=world.commune_a,
        full_name="Phạm Văn Đức",
        date_of_birth=dt.date(1970, 2, 3),
        allow_duplicate=True,
    )
    assert Person.objects.filter(name_key="pham van duc").count() == 2


def test_same_phone_and_name_is_a_likely_duplicate(world):
    services.person_create(actor=None, unit=world.commune_a, full_name="Vũ Thị Lan", phone="0912000111")
    with pytest.raises(services.DuplicateSuspected) as exc:
        services.person_create(actor=None, unit=world.commune_a, full_name="Vũ Thị Lan", phone="0912 000 111")
    assert "số điện thoại" in exc.value.messages[0]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "12345", "Số điện thoại"),
        ("date_of_birth", dt.date(2999, 1, 1), "tương lai"),
        ("ethnicity", "99", "54 dân tộc"),
        ("full_name", "Nguyễn 123", "chữ số"),
    ],
)
def test_bad_fields_are_named_in_vietnamese(world, field, value, message):
    data = {"full_name": "Đỗ Văn Thử", field: value}
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=None, unit=world.commune_a, **data)
    assert field in exc.value.error_dict and message in str(exc.value)


def test_a_member_joins_leaves_and_rejoins_keeping_history(world):
    p = person(world.commune_a, role=None, date_of_birth=dt.date(1990, 1, 1))
    first = services.role_add(
        actor=world.entry_a,
        person=p,
        kind=RoleKind.MEMBER,
        unit=world.branch_a,
        started_on=dt.date(2020, 1, 1),
    )
    assert first.card_number and first.card_token
    with pytest.raises(ValidationError) as exc:
        services.role_add(actor=world.entry_a, person=p, kind=RoleKind.MEMBER, unit=world.branch_a)
    assert "đang là hội viên" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.role_set_status(actor=world.entry_a, role=first, status=RoleStatus.LEFT)
    assert "lý do" in str(exc.value)
    services.role_set_status(actor=world.entry_a, role=first, status=RoleStatus.LEFT, reason="Chuyển nơi ở")
    second = services.role_add(actor=world.entry_a, person=p, kind=RoleKind.MEMBER, unit=world.branch_a)
    roles = list(PersonRole.objects.filter(person=p).order_by("id"))
    assert [r.status for r in roles] == [RoleStatus.LEFT, RoleStatus.ACTIVE]
    assert roles[0].end_reason == "Chuyển nơi ở" and roles[0].ended_on
    assert second.card_number != first.card_number


def test_a_death_ends_every_current_role(world):
    p = person(world.commune_a)
    services.role_add(actor=None, person=p, kind=RoleKind.VOLUNTEER, unit=world.commune_a)
    member = p.roles.get(kind=RoleKind.MEMBER)
    services.role_set_status(
        actor=world.entry_a, role=member, status=RoleStatus.DECEASED, on=dt.date(2025, 8, 1)
    )
    p.refresh_from_db()
    assert p.deceased_on == dt.date(2025, 8, 1)
    assert set(p.roles.values_list("status", flat=True)) == {RoleStatus.DECEASED}


def test_volunteers_must_be_adults_and_youth_bands_are_checked(world):
    child = person(
        world.commune_a, role=None, date_of_birth=dt.date.today().replace(year=dt.date.today().year - 12)
    )
    with pytest.raises(ValidationError) as exc:
        services.role_add(actor=None, person=child, kind=RoleKind.VOLUNTEER, unit=world.commune_a)
    assert "18 tuổi" in str(exc.value)
    youth = services.role_add(actor=None, person=child, kind=RoleKind.YOUTH, unit=world.commune_a)
    assert youth.youth_band == "teen"
    with pytest.raises(ValidationError):
        services.role_add(
            actor=None,
            person=person(world.commune_a, role=None, birth_year=1950, date_of_birth=None),
            kind=RoleKind.YOUTH,
            unit=world.commune_a,
            youth_band="youth",
        )


def test_staff_need_a_type(world):
    p = person(world.commune_a, role=None)
    with pytest.raises(ValidationError) as exc:
        services.role_add(actor=None, person=p, kind=RoleKind.STAFF, unit=world.commune_a)
    assert "chuyên trách" in str(exc.value)


def test_dues_default_to_the_rate_inherited_from_the_city(world):
    services.dues_rate_set(actor=world.city_admin, unit=world.city, year=2025, amount=24000)
    p = person(world.branch_a)
    payment = services.dues_record(
        actor=world.finance_officer_a, person=p, year=2025, paid_on=dt.date(2025, 3, 1)
    )
    assert payment.amount == 24000 and payment.unit == world.branch_a
    with pytest.raises(ValidationError) as exc:
        services.dues_record(actor=world.entry_a, person=p, year=2025, amount=10000)
    assert "Đã ghi nhận hội phí năm 2025" in str(exc.value)


def test_a_commune_rate_overrides_the_city_rate(world):
    services.dues_rate_set(actor=world.city_admin, unit=world.city, year=2025, amount=24000)
    services.dues_rate_set(actor=world.manager_a, unit=world.commune_a, year=2025, amount=36000)
    assert services.dues_rate_for(world.branch_a, 2025).amount == 36000
    assert services.dues_rate_for(world.branch_b, 2025).amount == 24000


def test_an_exemption_needs_a_reason(world):
    p = person(world.branch_a)
    with pytest.raises(ValidationError) as exc:
        services.dues_record(actor=world.entry_a, person=p, year=2025, exempt=True)
    assert "lý do" in str(exc.value)
    payment = services.dues_record(
        actor=world.entry_a, person=p, year=2025, exempt=True, exempt_reason="Hộ nghèo"
    )
    assert payment.amount == 0 and payment.exempt


def test_dues_are_only_for_members(world):
    p = person(world.branch_a, role=RoleKind.VOLUNTEER)
    with pytest.raises(ValidationError) as exc:
        services.dues_record(actor=world.entry_a, person=p, year=2025, amount=20000)
    assert "không phải hội viên" in str(exc.value)


def test_members_without_dues_this_year(world):
    paid, unpaid = person(world.branch_a), person(world.branch_a)
    services.dues_record(actor=None, person=paid, year=2025, amount=20000, paid_on=dt.date(2025, 2, 1))
    rows = list(selectors.members_without_dues(world.manager_a, world.commune_a, 2025))
    assert rows == [unpaid]


@time_machine.travel(dt.date(2025, 10, 1))
def test_the_active_volunteer_rule_counts_hours_in_the_last_12_months(world):
    v = person(world.commune_a, role=RoleKind.VOLUNTEER)
    services.hours_log(
        actor=world.entry_a, person=v, date=dt.date(2024, 9, 1), hours=10, activity="Cứu trợ bão Yagi"
    )
    services.hours_log(
        actor=world.entry_a, person=v, date=dt.date(2025, 5, 10), hours=4, activity="Tháng Nhân đạo"
    )
    f = selectors.PersonFilter(active_volunteer=True)
    assert list(selectors.people(world.manager_a, f)) == []
    assert selectors.subtree_stats(world.city)["active_volunteers"] == 0
    services.hours_log(actor=world.entry_a, person=v, date=dt.date(2025, 9, 20), hours=4, activity="Hiến máu")
    assert list(selectors.people(world.manager_a, f)) == [v]
    assert selectors.subtree_stats(world.city)["active_volunteers"] == 1


def test_hours_are_validated(world):
    v = person(world.commune_a, role=RoleKind.VOLUNTEER)
    with pytest.raises(ValidationError):
        services.hours_log(actor=None, person=v, date=dt.date.today(), hours=30, activity="X")
    with pytest.raises(ValidationError):
        services.hours_log(
            actor=None, person=v, date=dt.date.today() + dt.timedelta(days=2), hours=2, activity="X"
        )
    not_volunteer = person(world.commune_a)
    with pytest.raises(ValidationError):
        services.hours_log(actor=None, person=not_volunteer, date=dt.date.today(), hours=2, activity="X")
    assert VolunteerHours.objects.count() == 0


def test_clubs_have_one_leader_and_members(world):
    club = services.club_create(
        actor=world.entry_a, unit=world.commune_a, name="Đội sơ cấp cứu phường", kind="first_aid"
    )
    a, b = person(world.commune_a), person(world.commune_a)
    services.club_member_add(actor=world.entry_a, club=club, person=a, role="leader")
    with pytest.raises(ValidationError):
        services.club_member_add(actor=world.entry_a, club=club, person=b, role="leader")
    services.club_member_add(actor=world.entry_a, club=club, person=b)
    assert ClubMember.objects.filter(club=club, left_on__isnull=True).count() == 2
    with pytest.raises(PermissionDenied):
        services.club_create(actor=world.user_b, unit=world.commune_a, name="X", kind="club")


def test_certificates_expire_by_the_course_validity_and_show_up_in_time(world):
    course = TrainingCourse.objects.create(name="Sơ cấp cứu thử", topic="first_aid", validity_months=24)
    session = services.session_create(
        actor=world.entry_a,
        unit=world.commune_a,
        course=course,
        title="Lớp SCC 1",
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 4, 3),
    )
    p = person(world.commune_a)
    part = services.participant_add(
        actor=world.entry_a, session=session, person=p, passed=True, certificate_number="SCC-001"
    )
    assert part.certificate_expires_on == dt.date(2026, 4, 3)
    with time_machine.travel(dt.date(2026, 2, 1)):
        assert list(selectors.certificates_expiring(world.manager_a, world.commune_a)) == [part]
    with time_machine.travel(dt.date(2025, 6, 1)):
        assert list(selectors.certificates_expiring(world.manager_a, world.commune_a)) == []


def test_awards_are_recorded(world):
    p = person(world.commune_a)
    services.award_add(
        actor=world.entry_a, person=p, title="Bằng khen", level="city", awarded_on=dt.date(2024, 5, 8)
    )
    assert Award.objects.get(person=p).title == "Bằng khen"


def test_counts_roll_up_the_tree(world):
    person(world.branch_a)
    person(world.branch_a, role=RoleKind.VOLUNTEER)
    person(world.commune_a, role=RoleKind.STAFF)
    person(world.branch_b)
    services.club_create(actor=None, unit=world.branch_a, name="CLB hiến máu", kind="club")
    city, a = selectors.subtree_stats(world.city), selectors.subtree_stats(world.commune_a)
    assert (city["members"], city["volunteers"], city["staff"], city["clubs"]) == (2, 1, 1, 1)
    assert (a["members"], a["volunteers"], a["staff"]) == (1, 1, 1)


def test_merging_keeps_every_row_of_both_records(world):
    keep = person(world.branch_a, "Hoàng Văn Nam", phone="0912000001")
    dup = person(
        world.commune_a, "Hoàng Văn Nam", role=RoleKind.VOLUNTEER, email="nam@example.org", cccd=None
    )
    skill = Skill.objects.get_or_create(code="boi-loi", defaults={"name": "Bơi lội"})[0]
    dup.skills.add(skill)
    services.role_add(
        actor=None, person=dup, kind=RoleKind.MEMBER, unit=world.commune_a, started_on=dt.date(2023, 1, 1)
    )
    services.dues_record(actor=None, person=dup, year=2024, amount=20000, paid_on=dt.date(2024, 1, 1))
    services.hours_log(actor=None, person=dup, date=dt.date(2025, 1, 5), hours=3, activity="Trực cấp cứu")
    services.award_add(
        actor=None, person=dup, title="Giấy khen", level="commune", awarded_on=dt.date(2024, 1, 1)
    )
    services.person_merge(actor=world.manager_a, keep=keep, remove=dup)
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert dup.merged_into == keep
    assert set(keep.roles.values_list("kind", flat=True)) == {"member", "volunteer"}
    assert keep.hours.count() == 1 and keep.awards.count() == 1
    assert keep.dues.filter(year=2024).count() == 1
    assert keep.email == "nam@example.org"  # filled from the duplicate
    assert list(keep.skills.all()) == [skill]
    assert AuditEvent.objects.filter(action="people.person.merged", object_id=str(keep.pk)).exists()
    # The duplicate's own history is still reachable from the kept record.
    history = selectors.person_history(world.manager_a, keep)
    assert history.filter(object_id=str(dup.pk), action="people.person.created").exists()
    assert selectors.people(world.manager_a).filter(pk=dup.pk).count() == 0


def test_only_managers_merge(world):
    a, b = person(world.commune_a), person(world.commune_a)
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=world.entry_a, keep=a, remove=b)


def test_merge_lets_the_manager_choose_conflicting_values(world):
    keep = person(world.commune_a, "Bùi Thị Hoa", phone="0912000002")
    dup = person(world.commune_a, "Bùi Thị Hoa", phone="0987000002", role=None)
    assert "phone" in services.merge_conflicts(keep, dup)
    services.person_merge(actor=world.manager_a, keep=keep, remove=dup, take_from_removed=["phone"])
    keep.refresh_from_db()
    assert keep.phone == "0987000002"


def test_a_shared_year_of_dues_keeps_one_row_and_records_the_other(world):
    keep, dup = person(world.branch_a, "Lý Văn Tư"), person(world.branch_a, "Lý Văn Tư")
    services.dues_record(actor=None, person=keep, year=2025, amount=20000, paid_on=dt.date(2025, 1, 2))
    services.dues_record(actor=None, person=dup, year=2025, amount=20000, paid_on=dt.date(2025, 1, 3))
    services.person_merge(actor=world.manager_a, keep=keep, remove=dup)
    assert DuesPayment.objects.filter(person=keep, year=2025).count() == 1
    event = AuditEvent.objects.get(action="people.person.merged")
    assert event.data["dropped_dues"][0]["year"] == 2025
    # Both memberships were current: the duplicate's ended, the kept one is current.
    assert keep.roles.filter(kind="member", status="active").count() == 1
    assert keep.roles.filter(kind="member", status="left").count() == 1
