"""The remaining long lists become search lists (issue 15, point 5): the blood drives' commune,
the awards proposal's person, a new case's existing person and the audit log's "who did it".
Each new source answers only inside the asker's scope."""

from __future__ import annotations

from django.urls import reverse

from nhandao.blood.forms import DriveForm, DriveMoveForm
from nhandao.core import forms as core_forms
from nhandao.geo.models import Ward
from nhandao.movements import services as movements
from nhandao.org.models import Unit
from nhandao.people.forms import PersonCreateForm
from nhandao.people.tests.helpers import person


def _found(client, source, q):
    response = client.get(reverse("office:search", args=[source]), {"q": q})
    assert response.status_code == 200, response.status_code
    return response.json()["results"]


# The blood drives' commune: Hải Phòng's communes only -------------------------------------------------
def test_the_drive_forms_ask_for_a_hai_phong_commune_by_name(world):
    page = world.client(world.manager_a).get(reverse("blood:drive_create")).content.decode()
    assert 'data-search-select="/tim/xa-phuong-hp/"' in page
    assert "<select" not in page.split('name="ward"')[0].rsplit("<label", 1)[-1]  # no dropdown of communes
    assert 'data-search-select="/tim/xa-phuong-hp/"' in str(DriveMoveForm()["ward"])


def test_the_hai_phong_commune_list_finds_hai_phong_only(world):
    client = world.client(world.manager_a)
    found = _found(client, "xa-phuong-hp", "le chan")
    assert found[0]["value"] == world.commune_a.ward_id
    elsewhere = Ward.objects.exclude(province_id="31").first()
    assert _found(client, "xa-phuong-hp", elsewhere.code) == []
    assert all(
        r["label"].endswith(")") and "Hải Phòng" in r["label"] for r in _found(client, "xa-phuong-hp", "a")
    )


def test_a_commune_outside_hai_phong_is_refused_by_the_drive_form(world):
    elsewhere = Ward.objects.exclude(province_id="31").first()
    form = DriveForm(data={"ward": elsewhere.code}, user=world.manager_a)
    form.is_valid()
    assert "ward" in form.errors
    form = DriveForm(data={"ward": world.commune_a.ward_id}, user=world.manager_a)
    form.is_valid()
    assert "ward" not in form.errors


# The audit log's filter by who did it -------------------------------------------------------------
def test_the_audit_filter_asks_for_an_account_by_name(world):
    page = world.client(world.city_admin).get(reverse("org:audit")).content.decode()
    assert 'data-search-select="/tim/nguoi-thuc-hien/"' in page


def test_the_city_admin_finds_every_account_in_the_audit_filter(world):
    found = {r["value"] for r in _found(world.client(world.city_admin), "nguoi-thuc-hien", "manager")}
    assert found == {"manager_a", "manager_b"}


def test_a_commune_manager_finds_only_the_accounts_of_its_own_commune(world):
    client = world.client(world.manager_a)
    found = {r["value"] for r in _found(client, "nguoi-thuc-hien", "")}
    assert {"manager_a", "entry_a"} <= found
    assert not found & {"manager_b", "entry_b", "admin"}
    assert _found(client, "nguoi-thuc-hien", "entry_b") == []


def test_who_may_not_read_the_audit_log_cannot_list_its_actors(world):
    url = reverse("office:search", args=["nguoi-thuc-hien"])
    assert world.client(world.entry_a).get(url, {"q": "manager"}).status_code == 403


def test_the_audit_filter_still_filters_by_the_chosen_username(world):
    client = world.client(world.city_admin)
    person(world.commune_a, "Nguyễn Thị Mai")  # an event by no one
    page = client.get(reverse("org:audit"), {"actor": "manager_b"}).content.decode()
    assert 'data-search-label="manager_b' in page  # the chosen account shown by its name
    assert "Không có sự kiện nào." in page


# A person chosen by name, not by record number ----------------------------------------------------
def test_the_awards_proposal_asks_for_a_person_by_name(world):
    proposal = movements.proposal_create(
        actor=None, unit=world.commune_a, level="city_society", title="Giấy khen", year=2026
    )
    page = world.client(world.manager_a).get(reverse("movements:proposal_item_add", args=[proposal.pk]))
    assert 'data-search-select="/tim/nguoi/"' in page.content.decode()


def test_the_awards_proposal_refuses_a_person_of_another_commune(world):
    proposal = movements.proposal_create(
        actor=None, unit=world.commune_a, level="city_society", title="Giấy khen", year=2026
    )
    theirs = person(world.commune_b, "Trần Văn Bình")
    assert _found(world.client(world.manager_a), "nguoi", "Trần Văn Bình") == []
    page = world.client(world.manager_a).post(
        reverse("movements:proposal_item_add", args=[proposal.pk]),
        {"person": theirs.pk, "reason": "Tích cực"},
    )
    assert page.status_code == 200 and "Không có người này trong phạm vi của bạn." in page.content.decode()


def test_a_new_case_asks_for_an_existing_person_by_name(world):
    page = world.client(world.manager_a).get(reverse("beneficiaries:case_create")).content.decode()
    assert 'name="existing_person"' in page
    field = (
        page.split('name="existing_person"')[0].rsplit("<label", 1)[-1]
        + page.split('name="existing_person"')[1][:400]
    )
    assert 'data-search-select="/tim/nguoi/"' in field


# A unit's select becomes a search list once long (core.forms.search_long_lists) ------------------
def test_a_long_unit_select_becomes_the_units_search_list_and_a_short_one_stays(world, monkeypatch):
    units = Unit.objects.filter(pk__in=[world.commune_a.pk, world.branch_a.pk])
    short = PersonCreateForm(units=units)
    assert core_forms.search_long_lists(short) == []
    monkeypatch.setattr(core_forms, "LONG_LIST", 1)
    long = PersonCreateForm(units=units)
    assert core_forms.search_long_lists(long) == ["unit"]
    assert 'data-search-select="/tim/don-vi/"' in str(long["unit"])


def test_the_units_search_lists_keep_to_the_askers_scope(world):
    client = world.client(world.manager_a)
    found = {r["value"] for r in _found(client, "don-vi", "")}
    assert found == {str(world.commune_a.pk), str(world.branch_a.pk)}
    assert _found(client, "don-vi", "ngo quyen") == []  # the other commune is not found
    assert {r["value"] for r in _found(client, "don-vi-quy", "")} == {str(world.commune_a.pk)}  # no branch
    city = {r["value"] for r in _found(world.client(world.city_admin), "don-vi-quy", "")}
    assert {str(world.city.pk), str(world.commune_a.pk), str(world.commune_b.pk)} <= city
    assert world.client(world.nobody).get(reverse("office:search", args=["don-vi"])).status_code == 403
