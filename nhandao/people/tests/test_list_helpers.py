"""The per-row helpers of lists: a choice's label and a record's URL, as Django's own give them."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from nhandao.core import links
from nhandao.core.formatting import choice_label
from nhandao.people.choices import RoleKind, Sex
from nhandao.people.models import Person, PersonRole


def test_choice_label_is_the_display_in_each_language_and_the_raw_value_otherwise():
    person = Person(full_name="Lê Thị Ái", sex=Sex.FEMALE)
    role = PersonRole(kind=RoleKind.VOLUNTEER)
    for language in ("vi", "en"):
        with translation.override(language):
            assert choice_label(person, "sex") == person.get_sex_display()
            assert choice_label(role, "kind") == role.get_kind_display()
    with translation.override("en"):
        assert choice_label(person, "sex") == "Female"
    assert choice_label(Person(sex=""), "sex") == ""
    assert choice_label(PersonRole(kind="unknown"), "kind") == "unknown"


@pytest.mark.parametrize("name", ["people:person", "beneficiaries:case"])
def test_link_is_what_reverse_gives(name):
    for pk in (1, 42, 987654321, 1234567890123):
        assert links.url_of(name, pk) == reverse(name, args=[pk])
        assert links.url_maker(name)(pk) == reverse(name, args=[pk])


def test_link_follows_the_script_prefix():
    try:
        set_script_prefix("/nhandao/")
        assert links.url_of("people:person", 7) == reverse("people:person", args=[7])
        assert links.url_of("people:person", 7).startswith("/nhandao/")
    finally:
        set_script_prefix("/")


def test_link_refuses_what_is_not_an_id():
    with pytest.raises((TypeError, ValueError)):
        links.url_of("people:person", "1/../../admin")
