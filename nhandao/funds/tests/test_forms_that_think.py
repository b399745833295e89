"""The donation form thinks (issue 15, point 5): the unit's only fund chosen, fields that apply."""

from __future__ import annotations

from django.urls import reverse


def test_the_units_only_fund_is_preselected_and_said(world, fund_a):
    page = world.client(world.finance_officer_a).get(reverse("funds:donation_create")).content.decode()
    assert f'<option value="{fund_a.pk}" selected>' in page
    assert "Chỉ có một lựa chọn nên đã được chọn sẵn." in page


def test_bank_and_foreign_currency_fields_wait_for_their_choice(world, fund_a):
    page = world.client(world.finance_officer_a).get(reverse("funds:donation_create")).content.decode()
    assert 'data-show-when="channel=bank"' in page
    assert 'data-show-when="currency!=VND"' in page
    assert 'data-show-when="channel=in_kind"' in page  # the goods


def test_a_bank_is_searched_when_declaring_an_account(world):
    page = world.client(world.manager_a).get(reverse("funds:bank_account_create")).content.decode()
    assert 'data-search-select="/tim/ngan-hang/"' in page
