"""The review workflow, help (double help, cancelling), humanitarian addresses and the fund's API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nhandao.beneficiaries import api, selectors, services
from nhandao.beneficiaries.models import Case, Commitment, HelpRecord, Sponsor
from nhandao.core.models import AuditEvent

from .helpers import give, make_case

TODAY = timezone.localdate


# Workflow ---------------------------------------------------------------------------------------
def test_a_case_goes_from_proposed_to_active_recording_who_and_when(world):
    case = make_case(world.commune_a, status="proposed")
    services.case_review(actor=world.entry_a, case=case, reviewed_on=TODAY(), minutes="BB số 2 ngày 01/03")
    services.case_confirm(actor=world.manager_a, case=case, confirmed_on=TODAY(), reference="12/XN-UBND")
    case.refresh_from_db()
    assert case.status == "confirmed" and case.confirmed_by == world.manager_a and case.review_minutes
    services.case_activate(actor=world.entry_a, case=case)
    steps = list(case.steps.values_list("status", "actor_label"))
    assert [s for s, _a in steps] == ["proposed", "reviewed", "confirmed", "active"]
    assert steps[2][1] == "manager_a"


def test_the_commune_cannot_confirm_a_case_that_was_not_reviewed(world):
    case = make_case(world.commune_a, status="proposed")
    with pytest.raises(ValidationError, match="bình xét công khai tại cộng đồng trước khi xã xác nhận"):
        services.case_confirm(actor=world.manager_a, case=case, confirmed_on=TODAY())


def test_only_the_communes_managers_confirm_not_data_entry_nor_a_chi_hoi(world):
    case = make_case(world.branch_a, status="reviewed")
    with pytest.raises(PermissionDenied):
        services.case_confirm(actor=world.entry_a, case=case, confirmed_on=TODAY())
    from conftest import make_user
    from nhandao.core.access import Role
    from nhandao.org import services as org_services

    branch_manager = make_user("branch_manager")
    org_services.role_assign(
        actor=None,
        user=branch_manager,
        unit=world.branch_a,
        role=Role.UNIT_MANAGER,
        valid_from=dt.date(2025, 7, 1),
    )
    with pytest.raises(PermissionDenied):
        services.case_confirm(actor=branch_manager, case=case, confirmed_on=TODAY())
    services.case_confirm(actor=world.manager_a, case=case, confirmed_on=TODAY())


def test_a_case_without_a_current_category_cannot_be_confirmed(world):
    case = make_case(world.commune_a, status="reviewed", categories=[])
    with pytest.raises(ValidationError, match="chưa có diện đối tượng nào còn hiệu lực"):
        services.case_confirm(actor=world.manager_a, case=case, confirmed_on=TODAY())


def test_review_needs_the_minutes_and_no_future_date(world):
    case = make_case(world.commune_a, status="proposed")
    with pytest.raises(ValidationError) as exc:
        services.case_review(actor=world.entry_a, case=case, reviewed_on=TODAY(), minutes="  ")
    assert "minutes" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.case_review(
            actor=world.entry_a, case=case, reviewed_on=TODAY() + dt.timedelta(days=1), minutes="BB"
        )
    assert "reviewed_on" in exc.value.error_dict


def test_closing_a_case_ends_its_commitments_and_reopening_starts_the_review_again(world):
    case = make_case(world.commune_a)
    sponsor = services.sponsor_create(actor=None, unit=world.commune_a, kind="organisation", name="Công ty A")
    commitment = services.commitment_create(
        actor=None,
        case=case,
        sponsor=sponsor,
        kind="cash",
        description="500.000 đ/tháng",
        amount=500_000,
        starts_on=TODAY() - dt.timedelta(days=60),
    )
    services.case_close(
        actor=world.entry_a, case=case, closed_on=TODAY(), reason="moved", note="Chuyển vào Nam"
    )
    commitment.refresh_from_db()
    assert commitment.status == "ended" and "Chuyển nơi ở" in commitment.end_reason
    with pytest.raises(ValidationError, match="Hồ sơ đã đóng"):
        services.member_add(actor=None, case=case, relationship="child", person_fields={"full_name": "Ai Đó"})
    services.case_reopen(actor=world.manager_a, case=case, note="Quay về địa phương")
    case.refresh_from_db()
    assert case.status == "proposed" and case.confirmed_on is None


# Help --------------------------------------------------------------------------------------------
def test_help_for_an_unconfirmed_case_is_refused_with_a_clear_message(world):
    case = make_case(world.commune_a, status="reviewed")
    with pytest.raises(ValidationError) as exc:
        give(case, actor=world.entry_a)
    assert exc.value.messages == [
        f"Hồ sơ {case.number} chưa được xã xác nhận (đang: đã bình xét tại cộng đồng); chỉ hồ sơ đã được "
        "bình xét và xác nhận mới được trợ giúp."
    ]
    assert not HelpRecord.objects.exists()
    assert not api.case_can_receive_help(case)


def test_the_first_help_makes_a_confirmed_case_active_and_is_recorded_with_volunteers(world):
    from nhandao.people.tests.helpers import person as registry_person

    volunteer = registry_person(world.branch_a, "Tình Nguyện Viên", role="volunteer")
    case = make_case(world.commune_a)
    record = give(case, actor=world.entry_a, volunteers=[volunteer], campaign="Tết Nhân ái 2026")
    case.refresh_from_db()
    assert case.status == "active" and case.last_help_on == record.date
    assert list(record.volunteers.all()) == [volunteer]
    assert record.unit == case.unit and record.campaign_key == "tet nhan ai 2026"
    assert AuditEvent.objects.filter(action="beneficiaries.help.recorded", object_id=str(record.pk)).exists()


def test_the_same_kind_within_30_days_from_another_unit_shows_the_earlier_record(world):
    case = make_case(world.commune_a)
    earlier = give(case, world.city, kind="gift", days_ago=20, actor=world.city_admin)
    with pytest.raises(services.DoubleHelpSuspected) as exc:
        give(case, kind="gift", actor=world.entry_a)
    assert exc.value.earlier == [earlier]
    assert world.city.name in exc.value.messages[0] and "hãy ghi lý do" in exc.value.messages[0]
    record = give(case, kind="gift", actor=world.entry_a, duplicate_reason="Hộ có người mới mất")
    assert record.duplicate_of == earlier and record.duplicate_reason == "Hộ có người mới mất"
    # Another kind, or the same kind after the window, is not double help.
    give(case, kind="health", actor=world.entry_a)
    give(case, kind="goods", days_ago=40, actor=world.entry_a)
    give(case, kind="goods", actor=world.entry_a)


def test_the_same_campaign_twice_is_double_help_whatever_the_kind_or_date(world):
    case = make_case(world.commune_a)
    give(case, kind="gift", days_ago=60, campaign="Tết Nhân ái 2026")
    with pytest.raises(services.DoubleHelpSuspected):
        give(case, kind="cash", campaign="TET NHAN AI 2026")


def test_double_help_is_found_through_a_person_in_two_files_of_two_communes(world):
    child = make_case(world.commune_b, "Cù Văn Hai", kind="individual")
    household = make_case(world.commune_a, "Cù Văn Một")
    services.member_add(
        actor=None, case=household, relationship="child", person=child.head, allow_other_household=True
    )
    earlier = give(child, world.commune_b, kind="scholarship", days_ago=5)
    with pytest.raises(services.DoubleHelpSuspected) as exc:
        give(household, kind="scholarship", actor=world.entry_a)
    assert exc.value.earlier == [earlier]


def test_help_to_two_different_members_of_a_household_is_not_double_help(world):
    case = make_case(world.commune_a)
    a = services.member_add(
        actor=None, case=case, relationship="child", person_fields={"full_name": "Con Cả"}
    )
    b = services.member_add(
        actor=None,
        case=case,
        relationship="child",
        person_fields={"full_name": "Con Út"},
        allow_duplicate=True,
    )
    give(case, kind="scholarship", person=a.person)
    give(case, kind="scholarship", person=b.person)
    with pytest.raises(services.DoubleHelpSuspected):
        give(case, kind="scholarship", person=a.person)


def test_the_window_is_configurable(world):
    case = make_case(world.commune_a)
    give(case, kind="gift", days_ago=10)
    with pytest.raises(services.DoubleHelpSuspected):  # the default 30 days cover ten days ago
        give(case, kind="gift")
    services.rules_update(actor=world.city_admin, double_help_days=7)
    give(case, kind="gift")  # seven days do not
    with pytest.raises(services.DoubleHelpSuspected):  # and still cover three days ago
        give(case, kind="gift", days_ago=3)
    assert case.help_records.filter(kind="gift", status="valid").count() == 2


def test_a_wrong_record_is_cancelled_with_a_reason_never_deleted(world):
    case = make_case(world.commune_a)
    first = give(case, days_ago=100)
    wrong = give(case, kind="cash", days_ago=3)
    with pytest.raises(ValidationError) as exc:
        services.help_record_cancel(actor=world.entry_a, record=wrong, reason=" ")
    assert "reason" in exc.value.error_dict
    services.help_record_cancel(actor=world.entry_a, record=wrong, reason="Ghi nhầm hộ")
    wrong.refresh_from_db()
    case.refresh_from_db()
    assert (
        wrong.status == "cancelled"
        and wrong.cancelled_by == world.entry_a
        and wrong.cancel_reason == "Ghi nhầm hộ"
    )
    assert case.last_help_on == first.date
    assert HelpRecord.objects.filter(pk=wrong.pk).exists()
    # A cancelled record no longer counts as earlier help.
    give(case, kind="cash")
    with pytest.raises(ValidationError, match="đã bị hủy"):
        services.help_record_cancel(actor=world.entry_a, record=wrong, reason="Lần nữa")


def test_inspectors_read_but_never_write(world):
    case = make_case(world.commune_a)
    record = give(case)
    assert selectors.case_get(world.inspector, case.pk) == case
    with pytest.raises(PermissionDenied):
        give(case, kind="cash", actor=world.inspector)
    with pytest.raises(PermissionDenied):
        services.help_record_cancel(actor=world.inspector, record=record, reason="x")
    with pytest.raises(PermissionDenied):
        services.case_review(actor=world.inspector_a, case=case, reviewed_on=TODAY(), minutes="x")


def test_a_user_of_another_commune_cannot_record_help_for_a_case_they_cannot_see(world):
    case = make_case(world.commune_a)
    with pytest.raises(Case.DoesNotExist):
        give(case, world.commune_b, actor=world.user_b)


# Humanitarian addresses --------------------------------------------------------------------------
@pytest.fixture
def sponsor(world):
    return services.sponsor_create(
        actor=world.entry_a,
        unit=world.commune_a,
        kind="organisation",
        name="Công ty TNHH May Hải An",
        phone="0225 3 888 999",
    )


def test_only_a_confirmed_case_gets_a_humanitarian_address(world, sponsor):
    case = make_case(world.commune_a, status="reviewed")
    with pytest.raises(ValidationError, match="Chỉ hồ sơ đã được xã xác nhận mới gắn được địa chỉ nhân đạo"):
        services.commitment_create(
            actor=world.entry_a,
            case=case,
            sponsor=sponsor,
            kind="cash",
            description="x",
            amount=1,
            starts_on=TODAY(),
        )


def test_monthly_deliveries_keep_the_commitment_up_to_date_and_are_not_double_help(world, sponsor):
    case = make_case(world.commune_a)
    start = TODAY() - dt.timedelta(days=90)
    commitment = services.commitment_create(
        actor=world.entry_a,
        case=case,
        sponsor=sponsor,
        kind="cash",
        description="500.000 đồng mỗi tháng",
        amount=500_000,
        starts_on=start,
    )
    case.refresh_from_db()
    assert case.status == "active" and commitment.next_due_on == start
    for days in (85, 57, 29):
        services.commitment_deliver(
            actor=world.entry_a,
            commitment=commitment,
            date=TODAY() - dt.timedelta(days=days),
            delivering_unit=world.commune_a,
        )
    commitment.refresh_from_db()
    assert (commitment.delivered_count, commitment.delivered_value) == (3, 1_500_000)
    assert commitment.next_due_on == TODAY() - dt.timedelta(days=29) + dt.timedelta(days=31)
    assert not commitment.is_late()
    record = HelpRecord.objects.filter(commitment=commitment).first()
    assert record.sponsor == sponsor and record.source == sponsor.name and record.kind == "cash"


def test_a_delivery_against_an_ended_commitment_is_refused(world, sponsor):
    case = make_case(world.commune_a)
    commitment = services.commitment_create(
        actor=world.entry_a,
        case=case,
        sponsor=sponsor,
        kind="goods",
        description="Gạo mỗi quý",
        amount=400_000,
        period="quarterly",
        starts_on=TODAY() - dt.timedelta(days=400),
        ends_on=TODAY() - dt.timedelta(days=35),
    )
    with pytest.raises(ValidationError) as exc:
        services.commitment_deliver(
            actor=world.entry_a, commitment=commitment, date=TODAY(), delivering_unit=world.commune_a
        )
    assert (
        "đã kết thúc ngày" in exc.value.messages[0]
        and "không thể ghi nhận lần trao mới" in exc.value.messages[0]
    )
    services.commitment_deliver(
        actor=world.entry_a,
        commitment=commitment,
        date=TODAY() - dt.timedelta(days=40),
        delivering_unit=world.commune_a,
    )
    open_ended = services.commitment_create(
        actor=world.entry_a,
        case=case,
        sponsor=sponsor,
        kind="tuition",
        description="Học bổng",
        amount=1_000_000,
        period="term",
        starts_on=TODAY() - dt.timedelta(days=30),
    )
    services.commitment_end(
        actor=world.entry_a, commitment=open_ended, ended_on=TODAY(), reason="Nhà tài trợ dừng"
    )
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.commitment_deliver(
            actor=world.entry_a, commitment=open_ended, date=TODAY(), delivering_unit=world.commune_a
        )


def test_late_commitments_are_listed_and_counted(world, sponsor):
    case = make_case(world.commune_a)
    late = services.commitment_create(
        actor=None,
        case=case,
        sponsor=sponsor,
        kind="cash",
        description="Hằng tháng",
        amount=300_000,
        starts_on=TODAY() - dt.timedelta(days=120),
    )
    services.commitment_deliver(
        actor=None, commitment=late, date=TODAY() - dt.timedelta(days=110), delivering_unit=world.commune_a
    )
    on_time = services.commitment_create(
        actor=None,
        case=make_case(world.commune_a),
        sponsor=sponsor,
        kind="cash",
        description="Hằng tháng",
        amount=300_000,
        starts_on=TODAY() - dt.timedelta(days=5),
    )
    listed = list(selectors.commitments(world.manager_a, selectors.CommitmentFilter(state="late")))
    assert listed == [late]
    assert on_time in selectors.commitments(world.manager_a, selectors.CommitmentFilter())
    assert selectors.subtree_stats(world.city)["commitments_late"] == 1


def test_a_city_sponsor_adopts_an_address_in_a_commune_but_a_commune_sponsor_stays_local(world):
    city_sponsor = services.sponsor_create(
        actor=world.city_admin, unit=world.city, kind="organisation", name="Cảng Hải Phòng"
    )
    b_sponsor = services.sponsor_create(
        actor=world.user_b, unit=world.commune_b, kind="person", name="Ông Ba"
    )
    assert set(selectors.visible_sponsors(world.entry_a)) == {city_sponsor}
    case = make_case(world.commune_a)
    services.commitment_create(
        actor=world.entry_a,
        case=case,
        sponsor=city_sponsor,
        kind="house",
        description="Nhà nhân đạo",
        amount=60_000_000,
        period="once",
        starts_on=TODAY(),
    )
    with pytest.raises(ValidationError) as exc:
        services.commitment_create(
            actor=world.entry_a,
            case=case,
            sponsor=b_sponsor,
            kind="cash",
            description="x",
            amount=1,
            starts_on=TODAY(),
        )
    assert "sponsor" in exc.value.error_dict


# The fund module's entry points ----------------------------------------------------------------------
def test_the_fund_records_help_through_the_api_with_its_reference(world):
    case = make_case(world.commune_a)
    assert api.case_can_receive_help(case) and api.case_help_refusal(case) is None
    assert case in api.eligible_cases(world.finance_officer_a)
    record = api.help_record_create(
        actor=world.entry_a,
        case=case,
        date=TODAY(),
        kind="cash",
        value=2_000_000,
        description="Chi hỗ trợ từ Quỹ Nhân đạo",
        delivering_unit=world.commune_a,
        source_type="fund",
        source="Quỹ Nhân đạo thành phố",
        source_ref="funds.disbursement:42",
    )
    assert list(api.help_records_for_source("funds.disbursement:42")) == [record]
    closed = make_case(world.commune_a, status="closed")
    assert "chưa được xã xác nhận" in api.case_help_refusal(closed)


# Merging two files of one household -------------------------------------------------------------------
def test_merging_two_files_moves_everything_and_leaves_a_tombstone(world, sponsor):
    keep = make_case(world.commune_a, "Kha Văn Giữ", phone="0912000111")
    remove = make_case(world.commune_a, "Kha Văn Bỏ", status="active")
    services.member_add(
        actor=None, case=remove, relationship="spouse", person_fields={"full_name": "Lã Thị Vợ"}
    )
    record = give(remove, days_ago=90)
    commitment = services.commitment_create(
        actor=None,
        case=remove,
        sponsor=sponsor,
        kind="cash",
        description="x",
        amount=300_000,
        starts_on=TODAY(),
    )
    with pytest.raises(PermissionDenied):
        services.case_merge(actor=world.entry_a, keep=keep, remove=remove)
    services.case_merge(actor=world.manager_a, keep=keep, remove=remove, take_from_removed=["address_detail"])
    keep.refresh_from_db()
    remove.refresh_from_db()
    assert remove.merged_into == keep and remove.status == "closed" and remove.close_reason == "merged"
    assert keep.status == "active"  # the furthest state wins
    assert keep.address_detail == remove.address_detail
    assert set(keep.members.filter(left_on__isnull=True).values_list("person__full_name", flat=True)) == {
        "Kha Văn Giữ",
        "Kha Văn Bỏ",
        "Lã Thị Vợ",
    }
    record.refresh_from_db()
    commitment.refresh_from_db()
    assert record.case == keep and commitment.case == keep and keep.last_help_on == record.date
    with pytest.raises(ValidationError, match="đã được hợp nhất"):
        give(remove, kind="cash")


def test_the_city_merges_files_of_two_communes(world):
    a = make_case(world.commune_a)
    b = make_case(world.commune_b)
    with pytest.raises(Case.DoesNotExist):
        services.case_merge(actor=world.manager_a, keep=a, remove=b)
    services.case_merge(actor=world.city_admin, keep=a, remove=b)
    assert Case.objects.get(pk=b.pk).merged_into_id == a.pk


# Counters --------------------------------------------------------------------------------------------
def test_counters_roll_up_to_the_city(world):
    make_case(world.commune_a, status="proposed")
    give(make_case(world.branch_a), value=700_000)
    make_case(world.commune_b, status="reviewed")
    stats = selectors.subtree_stats(world.city)
    assert (stats["cases_proposed"], stats["cases_reviewed"], stats["cases_active"]) == (1, 1, 1)
    assert stats["help_year_value"] == 700_000
    assert selectors.subtree_stats(world.commune_a)["cases_reviewed"] == 0


# Invariant -----------------------------------------------------------------------------------------------
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(0, 3_000_000), st.booleans()), min_size=1, max_size=8)
)
def test_derived_columns_always_equal_the_valid_records(world, steps):
    HelpRecord.objects.all().delete()
    Commitment.objects.all().delete()
    Sponsor.objects.all().delete()
    case = Case.objects.filter(commune=world.commune_a).first() or make_case(world.commune_a)
    sponsor = services.sponsor_create(actor=None, unit=world.commune_a, kind="person", name="Bà Tư")
    commitment = services.commitment_create(
        actor=None,
        case=case,
        sponsor=sponsor,
        kind="cash",
        description="x",
        amount=1,
        starts_on=TODAY() - dt.timedelta(days=300),
    )
    for days_ago, value, cancel in steps:
        record = services.commitment_deliver(
            actor=None,
            commitment=commitment,
            date=TODAY() - dt.timedelta(days=days_ago),
            value=value,
            delivering_unit=world.commune_a,
        )
        if cancel:
            services.help_record_cancel(actor=None, record=record, reason="Sai")
    valid = HelpRecord.objects.filter(case=case, status="valid")
    case.refresh_from_db()
    commitment.refresh_from_db()
    dates = [r.date for r in valid]
    assert case.last_help_on == (max(dates) if dates else None)
    assert commitment.delivered_value == sum(r.value for r in valid)
    assert commitment.delivered_count == len(dates)
