"""Forms that think (issue 15, point 5): the shared helpers of core.forms and core.search."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import RequestFactory

from nhandao.core import search
from nhandao.core.forms import ONLY_CHOICE_NOTE, form_ready, preselect_only_choices, show_when
from nhandao.core.search import SearchSelect


class OneFund(forms.Form):
    fund = forms.ChoiceField(label="Quỹ", choices=[("", "—"), ("7", "Quỹ Nhân đạo phường Lê Chân")])
    kind = forms.ChoiceField(label="Loại", choices=[("a", "A"), ("b", "B")])
    campaign = forms.ChoiceField(label="Cuộc vận động", choices=[("", "—"), ("3", "Tết")], required=False)


class OptionalButAnswer(OneFund):
    preselect_optional = ("campaign",)


def test_the_only_choice_is_preselected_and_the_form_says_so():
    form = OneFund()
    assert preselect_only_choices(form) == ["fund"]
    assert form["fund"].value() == "7"
    assert form.fields["fund"].choices == [("7", "Quỹ Nhân đạo phường Lê Chân")]  # a list of one, no blank
    assert form.fields["fund"].help_text == ONLY_CHOICE_NOTE
    assert "selected" in str(form["fund"])


def test_a_choice_among_several_or_an_optional_one_is_left_to_the_user():
    form = OneFund()
    preselect_only_choices(form)
    assert form["kind"].value() is None
    assert form["campaign"].value() is None  # optional: "none" is an answer too
    assert not form.fields["kind"].help_text


def test_a_form_names_the_optional_fields_whose_only_choice_is_the_answer():
    form = OptionalButAnswer()
    assert preselect_only_choices(form) == ["fund", "campaign"]
    assert form["campaign"].value() == "3"


def test_what_the_user_sent_or_the_view_chose_is_kept():
    assert preselect_only_choices(OneFund(data={"fund": "", "kind": "a"})) == []
    form = OneFund(initial={"fund": "9"})
    assert preselect_only_choices(form) == []
    assert form["fund"].value() == "9"


def test_the_views_initial_dict_is_not_changed():
    initial = {"kind": "a"}
    form = OneFund(initial=initial)
    preselect_only_choices(form)
    assert initial == {"kind": "a"}


def test_a_model_choice_of_one_is_preselected_without_its_blank(db):
    only = get_user_model().objects.create(username="duy.nhat")

    class PickUser(forms.Form):
        user = forms.ModelChoiceField(queryset=get_user_model().objects.filter(username="duy.nhat"))

    form = PickUser()
    assert preselect_only_choices(form) == ["user"]
    assert form["user"].value() == only.pk
    assert "---------" not in str(form["user"])


def test_show_when_marks_the_field_for_the_script():
    form = OneFund()
    show_when(form, campaign="kind=b", nothing="kind=a")
    assert 'data-show-when="kind=b"' in str(form["campaign"])


def _render_form(form, user=None):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "_form.html" %}').render(Context({"form": form, "request": request}))


class Hinted(forms.Form):
    name = forms.CharField(label="Tên", help_text="Họ và tên đầy đủ.")
    phone = forms.CharField(label="Điện thoại")


def test_the_hint_and_the_error_sit_under_their_own_field():
    form = Hinted(data={"name": "", "phone": "1"})
    form.is_valid()
    html = _render_form(form)
    name_field = html[html.index('<label for="id_name"') : html.index('<label for="id_phone"')]
    label = name_field[: name_field.index("</label>")]
    assert "<small" not in label  # the label names the field, the hint helps under it
    assert (
        name_field.index("<input")
        < name_field.index('id="id_name-error"')
        < name_field.index('id="id_name-help"')
    )
    assert 'aria-describedby="id_name-error id_name-help"' in label
    assert 'aria-invalid="true"' in label
    phone_field = html[html.index('<label for="id_phone"') :]
    assert "id_name-help" not in phone_field  # not on top of the next label


def test_the_shared_include_preselects_the_only_choice():
    html = _render_form(OneFund())
    assert str(ONLY_CHOICE_NOTE) in html and "selected" in html


def _source(key="thu-nghiem", perm=None):
    return search.SearchSource(
        key,
        lambda user, q, limit: [("11311", "Phường Lê Chân"), ("11409", "Phường Ngô Quyền")],
        lambda user, value: {"11311": "Phường Lê Chân"}.get(value) if user is not None else None,
        perm=perm,
    )


class WardForm(forms.Form):
    ward = forms.CharField(label="Xã, phường", required=False, widget=SearchSelect("thu-nghiem"))


def test_the_search_widget_is_a_plain_text_box_with_what_the_script_needs(monkeypatch):
    monkeypatch.setitem(search.SOURCES, "thu-nghiem", _source())
    form = WardForm(data={"ward": "11311"})
    form_ready(form, user=object())
    html = str(form["ward"])
    assert 'type="text"' in html and 'name="ward"' in html and 'value="11311"' in html  # without script
    assert 'data-search-select="/tim/thu-nghiem/"' in html
    assert 'data-search-label="Phường Lê Chân"' in html


def test_the_search_widget_shows_no_label_to_whom_the_source_does_not_answer(monkeypatch):
    monkeypatch.setitem(search.SOURCES, "thu-nghiem", _source())
    form = WardForm(data={"ward": "11311"})
    html = str(form["ward"])  # no user told: a scoped source answers nothing
    assert 'data-search-label=""' in html


def test_search_results_are_capped_and_trimmed(monkeypatch):
    asked = []

    def many(user, q, limit):
        asked.append((q, limit))
        return [(str(i), f"Mục {i}") for i in range(100)]

    source = search.SearchSource("nhieu", many, lambda u, v: None)
    found = search.results(source, None, "  Lê  " + "x" * 200)
    assert len(found) == search.LIMIT
    assert found[0] == {"value": "0", "label": "Mục 0"}
    assert asked[0][0].startswith("Lê") and len(asked[0][0]) == 100
