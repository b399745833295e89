"""Emulation: weighted criteria, manual scores, ranking in peer groups and its history, proposals
for commendation reviewed, decided, written to the awards registers and printed (Decree 30)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document

from nhandao.beneficiaries.tests.helpers import give, make_case
from nhandao.movements import documents, results, services
from nhandao.movements.models import PeerGroup, ProposalStatus, UnitAward
from nhandao.people import services as people_services
from nhandao.people.models import Award

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "criteria",
    [[("beneficiaries.gifts", 60), ("beneficiaries.households", 30)], [("beneficiaries.gifts", 110)]],
)
def test_weights_that_do_not_sum_to_100_are_refused(world, criteria):
    with pytest.raises(ValidationError) as exc:
        services.scheme_create(actor=None, unit=world.city, year=2026, name="Sai", criteria=criteria)
    assert "Tổng trọng số phải bằng 100" in exc.value.message_dict["criteria"][0]


def test_a_zero_weight_is_refused(world):
    with pytest.raises(ValidationError):
        services.scheme_create(
            actor=None,
            unit=world.city,
            year=2026,
            name="Sai",
            criteria=[("beneficiaries.gifts", 100), ("funds.raised", 0)],
        )


def test_changing_the_criteria_checks_the_weights_too(world, scheme):
    with pytest.raises(ValidationError):
        services.scheme_criteria_set(actor=None, scheme=scheme, criteria=[("beneficiaries.gifts", 50)])
    assert scheme.criteria.count() == 2


def test_the_best_unit_of_a_peer_group_gets_the_whole_weight(world, scheme):
    give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_a), kind="gift")
    give(make_case(world.commune_b), kind="gift")
    rows = {s.unit.pk: s for s in results.standings(scheme)}
    a, b = rows[world.commune_a.pk], rows[world.commune_b.pk]
    assert a.peer_group == b.peer_group == PeerGroup.WARD
    assert (a.score, a.rank) == (100, 1)  # 60 for gifts, 40 for households (2 vs 1 case)
    assert (b.score, b.rank) == (50, 2)


def test_a_manual_score_needs_a_reason_and_counts(world, scheme):
    with pytest.raises(ValidationError) as exc:
        services.manual_score_add(actor=None, scheme=scheme, unit=world.commune_b, points=10, reason=" ")
    assert "reason" in exc.value.message_dict
    give(make_case(world.commune_a), kind="gift")
    services.manual_score_add(
        actor=None, scheme=scheme, unit=world.commune_b, points=10, reason="Cứu trợ tốt"
    )
    rows = {s.unit.pk: s for s in results.standings(scheme)}
    assert rows[world.commune_b.pk].score == 10 and rows[world.commune_b.pk].manual == 10


def test_equal_totals_share_a_rank(world, scheme):
    rows = results.standings(scheme, group=PeerGroup.WARD)
    assert [s.rank for s in rows] == [1, 1]


def test_units_are_ranked_within_their_peer_group(world, scheme):
    services.unit_profile_set(actor=None, unit=world.commune_b, peer_group=PeerGroup.COMMUNE)
    groups = {s.unit.pk: (s.peer_group, s.rank) for s in results.standings(scheme)}
    assert groups[world.commune_a.pk] == (PeerGroup.WARD, 1)
    assert groups[world.commune_b.pk] == (PeerGroup.COMMUNE, 1)


def test_a_frozen_ranking_keeps_its_scores(world, scheme):
    give(make_case(world.commune_a), kind="gift")
    ranking = services.ranking_freeze(actor=world.city_admin, scheme=scheme)
    give(make_case(world.commune_b), kind="gift")
    give(make_case(world.commune_b), kind="gift")
    entry = ranking.entries.get(unit=world.commune_a)
    assert (entry.rank, entry.score) == (1, 100)


def _decided(world, scheme):
    give(make_case(world.commune_a), kind="gift")
    ranking = services.ranking_freeze(actor=None, scheme=scheme)
    proposal = services.proposal_create(
        actor=world.city_admin, unit=world.city, level="city_committee", title="Bằng khen", year=2026
    )
    assert (
        services.proposal_fill_from_ranking(actor=world.city_admin, proposal=proposal, ranking=ranking, top=1)
        == 1
    )
    person = people_services.person_create(
        actor=None, unit=world.commune_a, full_name="Nguyễn Thị Tình Nguyện"
    )
    services.proposal_item_add(
        actor=world.city_admin, proposal=proposal, person=person, reason="Nhiều giờ tình nguyện"
    )
    services.proposal_submit(actor=world.city_admin, proposal=proposal)
    items = list(proposal.items.values_list("pk", flat=True))
    services.proposal_review(actor=world.city_admin, proposal=proposal, accepted=set(items))
    services.proposal_decide(
        actor=world.city_admin,
        proposal=proposal,
        decision_number="15/QĐ-UBND",
        decided_on=timezone.localdate(),
    )
    proposal.refresh_from_db()
    return proposal, person


def test_a_decided_proposal_is_written_to_the_awards_registers(world, scheme):
    proposal, person = _decided(world, scheme)
    assert proposal.status == ProposalStatus.DECIDED
    award = Award.objects.get(person=person)
    assert (award.title, award.level, award.decision_number) == ("Bằng khen", "city", "15/QĐ-UBND")
    assert UnitAward.objects.get().unit == world.commune_a


def test_a_refused_item_is_not_written(world, scheme):
    proposal = services.proposal_create(
        actor=None, unit=world.city, level="city_society", title="Giấy khen", year=2026
    )
    item = services.proposal_item_add(
        actor=None, proposal=proposal, unit=world.commune_b, reason="Thành tích"
    )
    services.proposal_submit(actor=None, proposal=proposal)
    services.proposal_review(actor=None, proposal=proposal, accepted=set())
    services.proposal_decide(
        actor=None, proposal=proposal, decision_number="1/QĐ", decided_on=timezone.localdate()
    )
    item.refresh_from_db()
    assert item.accepted is False and not UnitAward.objects.exists()


def test_a_submitted_proposal_cannot_be_changed(world, scheme):
    proposal = services.proposal_create(
        actor=None, unit=world.city, level="central", title="Bằng khen", year=2026
    )
    services.proposal_item_add(actor=None, proposal=proposal, unit=world.commune_b, reason="Thành tích")
    services.proposal_submit(actor=None, proposal=proposal)
    with pytest.raises(ValidationError):
        services.proposal_item_add(actor=None, proposal=proposal, unit=world.commune_a, reason="Muộn")


def test_the_list_is_printed_in_the_decree_30_layout(world, scheme):
    proposal, person = _decided(world, scheme)
    doc = Document(io.BytesIO(documents.proposal_docx(proposal)))
    head = doc.tables[0].rows[0].cells
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[1].text and "Độc lập - Tự do - Hạnh phúc" in head[1].text
    )
    assert "Số:" in head[0].text
    texts = [p.text for p in doc.paragraphs]
    assert "DANH SÁCH" in texts
    listed = doc.tables[1]
    assert [c.text for c in listed.rows[0].cells] == ["STT", "Tập thể, cá nhân", "Loại", "Thành tích"]
    assert {r.cells[1].text for r in listed.rows[1:]} == {world.commune_a.name, person.full_name}
    assert doc.tables[-1].rows[0].cells[0].text.startswith("Nơi nhận:")
