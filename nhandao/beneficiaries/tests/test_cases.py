"""Registering cases: one identity per human, addresses in scope, dedup, members, categories, consent."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nhandao.beneficiaries import selectors, services
from nhandao.beneficiaries.models import Case, CaseCategory, CaseStep, Member
from nhandao.core.models import AuditEvent
from nhandao.geo.models import Ward
from nhandao.people import services as people_services
from nhandao.people.models import Person
from nhandao.people.tests.helpers import person as registry_person

from .helpers import category, make_case, poor


@pytest.fixture
def lechan(world):
    return world.commune_a.ward


def test_a_household_is_registered_as_proposed_with_its_head_as_first_member(world, lechan):
    case = services.case_create(
        actor=world.entry_a,
        kind="household",
        ward=lechan,
        address_detail="Số 12 Lạch Tray",
        phone="0912 345 678",
        head_fields={"full_name": "NGUYỄN văn hùng", "birth_year": 1958, "sex": "M"},
        categories=[poor(2026)],
    )
    assert case.status == "proposed" and case.unit == world.commune_a and case.commune == world.commune_a
    assert case.head.full_name == "Nguyễn Văn Hùng" and case.head.unit == world.commune_a
    assert list(case.members.values_list("relationship", flat=True)) == ["head"]
    assert case.phone == "0912345678"
    assert "nguyen van hung" in case.search_key
    assert CaseStep.objects.filter(case=case, status="proposed").exists()
    assert AuditEvent.objects.filter(action="beneficiaries.case.created", object_id=str(case.pk)).exists()


def test_a_volunteer_in_the_registry_is_the_same_person_when_registered_as_head_by_cccd(world, lechan):
    volunteer = registry_person(
        world.branch_a,
        "Lê Thị Hoa",
        role="volunteer",
        cccd="031175000321",
        sex="F",
        date_of_birth=dt.date(1975, 3, 1),
    )
    case = services.case_create(
        actor=world.entry_a,
        kind="individual",
        ward=lechan,
        head_fields={"full_name": "Lê Thị Hoa", "cccd": "031175000321", "sex": "F"},
    )
    assert case.head_id == volunteer.pk
    assert Person.objects.filter(cccd="031175000321").count() == 1


def test_a_cccd_belonging_to_someone_else_is_refused_with_a_message_naming_the_field(world, lechan):
    registry_person(
        world.branch_a, "Lê Thị Hoa", cccd="031175000321", sex="F", date_of_birth=dt.date(1975, 3, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=world.entry_a,
            kind="household",
            ward=lechan,
            head_fields={"full_name": "Phạm Văn Khác", "cccd": "031175000321"},
        )
    assert "cccd" in exc.value.error_dict
    assert "khác họ tên" in exc.value.messages[0]


def test_an_address_outside_the_users_scope_is_refused(world):
    ngo_quyen = world.commune_b.ward
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=world.entry_a,
            kind="household",
            ward=ngo_quyen,
            head_fields={"full_name": "Đỗ Văn Xa", "birth_year": 1950},
        )
    message = exc.value.error_dict["ward"][0].messages[0]
    assert "ngoài phạm vi của bạn" in message and world.commune_b.name in message
    assert not Case.objects.exists()


def test_an_address_with_no_commune_society_is_refused(world):
    elsewhere = (
        Ward.objects.filter(province_id="31")
        .exclude(pk__in=[world.commune_a.ward_id, world.commune_b.ward_id])
        .first()
    )
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=world.city_admin, kind="household", ward=elsewhere, head_fields={"full_name": "Đỗ Văn Xa"}
        )
    assert "chưa có Hội Chữ thập đỏ cấp xã" in exc.value.error_dict["ward"][0].messages[0]


def test_a_chi_hoi_of_another_commune_cannot_keep_the_file(world, lechan):
    with pytest.raises(ValidationError) as exc:
        services.case_create(
            actor=world.city_admin,
            kind="household",
            ward=lechan,
            unit=world.branch_b,
            head_fields={"full_name": "Đỗ Văn Xa"},
        )
    assert "unit" in exc.value.error_dict


def test_a_user_without_the_edit_permission_cannot_register(world, lechan):
    for user in (world.viewer_a, world.inspector_a, world.finance_officer_a):
        with pytest.raises(PermissionDenied):
            services.case_create(
                actor=user, kind="household", ward=lechan, head_fields={"full_name": "Đỗ Văn Xa"}
            )


# Households deduplicated across communes -----------------------------------------------------
def test_the_same_head_cannot_head_two_open_household_files_even_in_another_commune(world):
    first = make_case(world.commune_b, "Vũ Văn Trùng", cccd="031060000777", date_of_birth=dt.date(1960, 5, 5))
    with pytest.raises(services.DuplicateCaseSuspected) as exc:
        services.case_create(
            actor=world.city_admin,
            kind="household",
            ward=world.commune_a.ward,
            head_fields={"full_name": "Vũ Văn Trùng", "cccd": "031060000777"},
            allow_duplicate=True,
        )
    assert exc.value.blocking and exc.value.cases == [first]
    assert first.number in exc.value.messages[0] and world.commune_b.name in exc.value.messages[0]


def test_a_head_with_the_same_name_at_the_same_address_needs_a_confirmation(world, lechan):
    make_case(world.commune_a, "Vũ Văn Trùng", address="Số 5, ngõ 12 Lạch Tray")
    fields = {"full_name": "vu van trung", "birth_year": 1970}
    with pytest.raises(services.DuplicateCaseSuspected) as exc:
        services.case_create(
            actor=world.entry_a,
            kind="household",
            ward=lechan,
            address_detail="so 5 ngo 12 lach tray",
            head_fields=fields,
        )
    assert not exc.value.blocking
    assert "cùng họ tên chủ hộ và địa chỉ" in exc.value.messages[0]
    case = services.case_create(
        actor=world.entry_a,
        kind="household",
        ward=lechan,
        address_detail="so 5 ngo 12 lach tray",
        head_fields=fields,
        allow_duplicate=True,
    )
    assert case.pk


def test_the_duplicates_page_pairs_files_of_the_same_household(world):
    a = make_case(world.commune_a, "Vũ Văn Trùng", address="Số 5 Lạch Tray")
    b = make_case(world.commune_a, "Vũ Văn Trùng", address="so 5 lach tray")
    pairs = selectors.duplicate_households(world.manager_a)
    assert [(x.pk, y.pk, r) for x, y, r in pairs] == [(a.pk, b.pk, "same_name_address")]
    assert selectors.duplicate_households(world.manager_b) == []


def test_two_files_in_two_communes_found_to_be_one_human_pair_up_for_the_city(world):
    """The household moved from B to A and was registered again without its CCCD; once the people
    registry merges the two person records, the city sees one head heading two files."""
    old = make_case(world.commune_b, "Vũ Văn Chuyển", address="Số 9 Cầu Đất")
    new = make_case(world.commune_a, "Vũ Văn Chuyển", address="Số 40 Tô Hiệu")
    people_services.person_merge(actor=world.city_admin, keep=new.head, remove=old.head)
    pairs = selectors.duplicate_households(world.city_admin)
    assert [(x.pk, y.pk, r) for x, y, r in pairs] == [(old.pk, new.pk, "same_person")]
    assert selectors.duplicate_households(world.manager_a) == []


# Members ------------------------------------------------------------------------------------------
def test_a_member_already_in_another_open_household_is_refused_until_confirmed_then_flagged(world):
    first = make_case(world.commune_a, "Hoàng Văn Một")
    second = make_case(world.commune_a, "Hoàng Văn Hai")
    child = services.member_add(
        actor=world.entry_a,
        case=first,
        relationship="child",
        person_fields={"full_name": "Hoàng Thị Con", "birth_year": 2010, "sex": "F"},
    )
    with pytest.raises(services.MemberElsewhere) as exc:
        services.member_add(actor=world.entry_a, case=second, relationship="grandchild", person=child.person)
    assert exc.value.cases == [first]
    assert "đang là thành viên của hộ khác" in exc.value.messages[0] and first.number in exc.value.messages[0]
    services.member_add(
        actor=world.entry_a,
        case=second,
        relationship="grandchild",
        person=child.person,
        allow_other_household=True,
    )
    assert selectors.member_flags(second) == {child.person_id: [first]}
    assert selectors.member_flags(first) == {child.person_id: [second]}
    listed = selectors.cases(world.manager_a, selectors.CaseFilter(flagged=True))
    assert set(listed) == {first, second}


def test_a_member_who_left_is_no_longer_flagged_and_the_head_cannot_leave(world):
    first = make_case(world.commune_a)
    second = make_case(world.commune_a)
    child = services.member_add(
        actor=None,
        case=first,
        relationship="child",
        person_fields={"full_name": "Lý Văn Con", "birth_year": 2012},
    )
    services.member_add(
        actor=None, case=second, relationship="child", person=child.person, allow_other_household=True
    )
    services.member_leave(
        actor=world.entry_a, member=child, left_on=dt.date.today(), reason="Chuyển sang hộ bà nội"
    )
    assert selectors.member_flags(second) == {}
    head = Member.objects.get(case=first, relationship="head")
    with pytest.raises(ValidationError, match="chủ hộ"):
        services.member_leave(actor=world.entry_a, member=head, left_on=dt.date.today(), reason="x")


def test_setting_a_new_head_changes_the_file_and_keeps_the_old_head_as_member(world):
    case = make_case(world.commune_a, "Đặng Văn Cũ")
    wife = services.member_add(
        actor=None,
        case=case,
        relationship="spouse",
        person_fields={"full_name": "Ngô Thị Mới", "birth_year": 1965},
    )
    services.member_set_head(actor=world.entry_a, member=wife)
    case.refresh_from_db()
    # sort_key is the Vietnamese-order key of core.collation: "ơ" is "o|", after every "o…".
    assert case.head_id == wife.person_id and case.sort_key.startswith("mo|i ngo{ thi mo|i")
    assert set(case.members.filter(left_on__isnull=True).values_list("relationship", flat=True)) == {
        "head",
        "other",
    }


# Categories and evidence ----------------------------------------------------------------------------
def test_a_category_that_requires_evidence_is_refused_without_it(world):
    case = make_case(world.commune_a, status="proposed")
    with pytest.raises(ValidationError) as exc:
        services.case_category_add(
            actor=world.entry_a, case=case, category=category("ho-can-ngheo"), evidence_year=2026
        )
    assert exc.value.error_dict["evidence_number"][0].messages == [
        "Diện “Hộ cận nghèo” cần có số giấy chứng nhận hộ cận nghèo."
    ]


def test_a_yearly_category_needs_its_year_and_is_valid_for_that_year(world):
    case = make_case(world.commune_a, status="proposed", categories=[])
    with pytest.raises(ValidationError) as exc:
        services.case_category_add(
            actor=None, case=case, category=category("ho-ngheo"), evidence_number="7/GCN"
        )
    assert "evidence_year" in exc.value.error_dict
    item = services.case_category_add(
        actor=None, case=case, category=category("ho-ngheo"), evidence_number="7/GCN", evidence_year=2025
    )
    assert (item.valid_from, item.valid_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(ValidationError, match="đã có diện"):
        services.case_category_add(
            actor=None, case=case, category=category("ho-ngheo"), evidence_number="8/GCN", evidence_year=2025
        )


def test_a_persons_category_in_a_household_names_the_member(world):
    case = make_case(world.commune_a, status="proposed")
    with pytest.raises(ValidationError) as exc:
        services.case_category_add(
            actor=None, case=case, category=category("khuyet-tat"), evidence_number="9/XN"
        )
    assert "person" in exc.value.error_dict
    item = services.case_category_add(
        actor=None, case=case, category=category("khuyet-tat"), evidence_number="9/XN", person=case.head
    )
    assert item.person == case.head


def test_a_household_only_category_is_refused_for_an_individual(world):
    case = make_case(world.commune_a, kind="individual", status="proposed")
    with pytest.raises(ValidationError, match="chỉ áp dụng cho hộ gia đình"):
        services.case_category_add(
            actor=None, case=case, category=category("ho-ngheo"), evidence_number="1", evidence_year=2026
        )


# Consent ------------------------------------------------------------------------------------------
def test_consent_to_share_sets_the_flag_and_its_withdrawal_clears_it(world):
    case = make_case(world.commune_a, consent=False, status="proposed")
    assert not case.share_consent
    consent = services.consent_record(
        actor=world.entry_a, case=case, purpose="share", given_on=dt.date.today(), collected_by="Vũ Minh Tuấn"
    )
    case.refresh_from_db()
    assert case.share_consent and consent.form_version == "PĐY-01/2025"
    services.consent_withdraw(
        actor=world.entry_a, consent=consent, withdrawn_on=dt.date.today(), note="Không muốn"
    )
    case.refresh_from_db()
    assert not case.share_consent
    assert consent.__class__.objects.filter(pk=consent.pk, withdrawn_on__isnull=False).exists()


def test_a_consent_needs_the_collector_and_no_future_date(world):
    case = make_case(world.commune_a, consent=False, status="proposed")
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=None,
            case=case,
            purpose="share",
            given_on=dt.date.today() + dt.timedelta(days=3),
            collected_by="",
        )
    assert {"given_on", "collected_by"} <= set(exc.value.error_dict)


# Person merge (people registry) keeps this module's rows ------------------------------------------
def test_merging_two_person_records_moves_beneficiary_rows_and_folds_a_doubled_member(world):
    case = make_case(world.commune_a, "Trịnh Văn Chủ")
    a = services.member_add(
        actor=None,
        case=case,
        relationship="child",
        person_fields={"full_name": "Trịnh Thị Trùng", "birth_year": 2001},
    )
    b = services.member_add(
        actor=None,
        case=case,
        relationship="child",
        person_fields={"full_name": "Trịnh Thị Trùng", "birth_year": 2001},
        allow_duplicate=True,
    )
    assert selectors.duplicate_members(selectors.case_members(case))
    services.case_category_add(
        actor=None, case=case, category=category("khuyet-tat"), evidence_number="4/XN", person=b.person
    )
    from .helpers import give

    record = give(case, person=b.person)
    people_services.person_merge(actor=world.manager_a, keep=a.person, remove=b.person)
    current = Member.objects.filter(case=case, left_on__isnull=True, person=a.person)
    assert current.count() == 1
    assert Member.objects.get(pk=b.pk).left_on is not None
    assert CaseCategory.objects.get(case=case, category__code="khuyet-tat").person_id == a.person_id
    record.refresh_from_db()
    assert record.person_id == a.person_id
    assert not selectors.duplicate_members(selectors.case_members(case))
    assert AuditEvent.objects.filter(action="beneficiaries.member.folded", object_id=str(case.pk)).exists()


def test_merging_the_head_person_keeps_the_case_pointing_at_the_kept_record(world):
    case = make_case(world.commune_a, "Mai Văn Đầu")
    other = registry_person(world.branch_a, "Mai Văn Đầu", role="volunteer")
    people_services.person_merge(actor=world.manager_a, keep=other, remove=case.head)
    case.refresh_from_db()
    assert case.head_id == other.pk
    assert Member.objects.get(case=case, relationship="head").person_id == other.pk
