"""The pages of movements, emulation, commendations and good practice models: thin, each calls one
selector or service; the access checks are the shared ones (org/access)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core import indicators
from nhandao.core.access import (
    MOVEMENTS_DECIDE,
    MOVEMENTS_MANAGE,
    MOVEMENTS_PROPOSE,
    MOVEMENTS_VIEW,
    PEOPLE_VIEW,
)
from nhandao.core.exports import ExportColumn, export_response
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access
from nhandao.people.models import Person

from . import documents, forms, results, selectors, services
from .importers import ProfileImporter
from .models import PeerGroup, PracticeFile, ProposalStatus, Ranking


def _form_page(request, form, title, *, multipart=False, intro=""):
    return render(
        request, "movements/form.html", {"form": form, "title": title, "multipart": multipart, "intro": intro}
    )


def _saved(request, form, call):
    """Run a service; on a ValidationError show it on the form and return None."""
    try:
        return call()
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


# Movements -------------------------------------------------------------------------------------
@login_required
def movement_list(request):
    access.require(request.user, MOVEMENTS_VIEW)
    return render(
        request,
        "movements/movement_list.html",
        {
            "page": paginate(request, selectors.movements_visible(request.user)),
            "can_manage": access.has_perm(request.user, MOVEMENTS_MANAGE),
        },
    )


@login_required
def movement_create(request):
    access.require(request.user, MOVEMENTS_MANAGE)
    form = forms.MovementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        movement = _saved(
            request, form, lambda: services.movement_create(actor=request.user, **form.cleaned_data)
        )
        if movement:
            return redirect(movement)
    return _form_page(request, form, _("Phát động phong trào"))


@login_required
def movement_detail(request, pk):
    movement = selectors.movement_get(request.user, pk)
    codes = list(movement.indicators.values_list("code", flat=True))
    page = paginate(request, selectors.board_units(request.user, movement))
    return render(
        request,
        "movements/movement_detail.html",
        {
            "movement": movement,
            "indicators": selectors.indicator_labels(codes),
            "page": page,
            "rows": selectors.board_rows(movement, list(page.object_list), codes),
            "total": selectors.board_total(request.user, movement, codes),
            "can_manage": access.has_perm(request.user, MOVEMENTS_MANAGE, movement.unit),
        },
    )


@login_required
def target_set(request, pk):
    movement = selectors.movement_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, movement.unit)
    form = forms.TargetForm(request.POST or None, movement=movement, units=services.target_units(movement))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.target_set(actor=request.user, movement=movement, **form.cleaned_data),
        )
    ):
        messages.success(request, _("Đã giao chỉ tiêu."))
        return redirect(movement)
    return _form_page(request, form, _("Giao chỉ tiêu: %(m)s") % {"m": movement})


@login_required
def target_formula(request, pk):
    movement = selectors.movement_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, movement.unit)
    form = forms.FormulaForm(request.POST or None, movement=movement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = _saved(
            request,
            form,
            lambda: services.targets_by_formula(
                actor=request.user,
                movement=movement,
                indicator=data["indicator"],
                basis=data["basis"],
                total=data.get("total"),
                growth_percent=data.get("growth_percent") or 0,
                minimum=data.get("minimum") or 0,
            ),
        )
        if count is not None:
            messages.success(request, _("Đã giao chỉ tiêu cho %(n)s đơn vị.") % {"n": count})
            return redirect(movement)
    return _form_page(request, form, _("Giao chỉ tiêu theo công thức: %(m)s") % {"m": movement})


@login_required
def target_export(request, pk):
    """The targets as an Excel file to fill in and import (same columns as the importer)."""
    movement = selectors.movement_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, movement.unit)
    codes = list(movement.indicators.values_list("code", flat=True))
    targets = {(t.unit_id, t.indicator): t.value for t in movement.targets.all()}
    units = services.target_units(movement).active(movement.starts_on).order_by("path")
    rows = (
        {
            "movement": movement.code,
            "unit_code": u.code,
            "unit_name": u.name,
            "indicator": c,
            "label": str(indicators.get(c).label),
            "value": targets.get((u.pk, c)),
        }
        for u in units
        for c in codes
        if indicators.get(c)
    )
    columns = [
        ExportColumn("movement", _("Mã phong trào")),
        ExportColumn("unit_code", _("Mã đơn vị")),
        ExportColumn("unit_name", _("Tên đơn vị"), width=36),
        ExportColumn("indicator", _("Mã chỉ tiêu"), width=28),
        ExportColumn("label", _("Chỉ tiêu"), width=36),
        ExportColumn("value", _("Chỉ tiêu giao"), kind="int"),
    ]
    return export_response(
        actor=request.user,
        columns=columns,
        rows=rows,
        fmt="xlsx",
        filename=f"chi-tieu-{movement.code.lower()}",
        what="movements.targets",
        unit=movement.unit,
    )


# Peer groups and population --------------------------------------------------------------------
def _profile_row(unit) -> dict:
    profile = getattr(unit, "movement_profile", None)
    group = (profile.peer_group if profile else "") or results.default_peer_group(unit)
    return {
        "unit": unit,
        "group": group,
        "group_label": PeerGroup(group).label,
        "chosen": bool(profile and profile.peer_group),
        "population": profile.population if profile else None,
    }


@login_required
def profile_list(request):
    """The units the user places: their peer group (by hand or from the tree) and population."""
    access.require(request.user, MOVEMENTS_MANAGE)
    query, group = request.GET.get("q", "").strip(), request.GET.get("khoi", "")
    page = paginate(request, selectors.profile_units(request.user, query=query, group=group))
    return render(
        request,
        "movements/profile_list.html",
        {
            "page": page,
            "rows": [_profile_row(u) for u in page.object_list],
            "query": query,
            "group": group,
            "groups": PeerGroup.choices,
            "import_kind": ProfileImporter.slug,
        },
    )


@login_required
def profile_edit(request, pk):
    unit = selectors.profile_unit_get(request.user, pk)
    row = _profile_row(unit)
    form = forms.ProfileForm(
        request.POST or None, initial={"peer_group": row["group"], "population": row["population"]}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.unit_profile_set(actor=request.user, unit=unit, **form.cleaned_data),
        )
    ):
        messages.success(request, _("Đã lưu khối thi đua và dân số của %(u)s.") % {"u": unit})
        return redirect("movements:profiles")
    return _form_page(request, form, _("Khối thi đua, dân số: %(u)s") % {"u": unit})


@login_required
def profile_export(request):
    """Every unit of the page as an Excel file to fill in and import (the importer's columns)."""
    access.require(request.user, MOVEMENTS_MANAGE)
    rows = (_profile_row(u) for u in selectors.profile_units(request.user).iterator(chunk_size=500))
    return export_response(
        actor=request.user,
        columns=[
            ExportColumn("unit.code", _("Mã đơn vị")),
            ExportColumn("unit.name", _("Tên đơn vị"), width=40),
            ExportColumn("group_label", _("Khối thi đua"), width=26),
            ExportColumn("population", _("Dân số"), kind="int"),
        ],
        rows=rows,
        fmt="xlsx",
        filename="khoi-thi-dua-dan-so",
        what="movements.profiles",
    )


# Emulation -------------------------------------------------------------------------------------
@login_required
def scheme_list(request):
    access.require(request.user, MOVEMENTS_VIEW)
    return render(
        request,
        "movements/scheme_list.html",
        {
            "page": paginate(request, selectors.schemes_visible(request.user)),
            "can_manage": access.has_perm(request.user, MOVEMENTS_MANAGE),
        },
    )


@login_required
def scheme_create(request):
    access.require(request.user, MOVEMENTS_MANAGE)
    form = forms.SchemeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scheme = _saved(
            request,
            form,
            lambda: services.scheme_create(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                name=data["name"],
                criteria=form.criteria(),
            ),
        )
        if scheme:
            return redirect(scheme)
    return _form_page(
        request,
        form,
        _("Tiêu chí thi đua"),
        intro=_("Ghi trọng số cho các chỉ tiêu được chọn; tổng phải bằng 100."),
    )


@login_required
def scheme_detail(request, pk):
    """The live ranking board of one peer group, the units in scope shown with their rank."""
    scheme = selectors.scheme_get(request.user, pk)
    group = request.GET.get("khoi", PeerGroup.WARD)
    if group not in PeerGroup.values:
        group = PeerGroup.WARD
    scope = access.scope(request.user, MOVEMENTS_VIEW)
    rows = [s for s in results.standings(scheme, group=group) if scope.allows(s.unit)]
    criteria = list(scheme.criteria.all())
    return render(
        request,
        "movements/scheme_detail.html",
        {
            "scheme": scheme,
            "criteria": [(c, indicators.get(c.indicator)) for c in criteria],
            "group": group,
            "groups": PeerGroup.choices,
            "page": paginate(request, rows),
            "rankings": scheme.rankings.all()[:20],
            "scores": access.in_scope(
                request.user, MOVEMENTS_VIEW, scheme.manual_scores.select_related("unit")
            )[:20],
            "can_manage": access.has_perm(request.user, MOVEMENTS_MANAGE, scheme.unit),
        },
    )


@login_required
def scheme_criteria(request, pk):
    scheme = selectors.scheme_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, scheme.unit)
    initial = {f"w_{c.indicator}": c.weight for c in scheme.criteria.all()}
    form = forms.CriteriaForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.scheme_criteria_set(actor=request.user, scheme=scheme, criteria=form.criteria()),
        )
    ):
        return redirect(scheme)
    return _form_page(
        request, form, _("Tiêu chí thi đua: %(s)s") % {"s": scheme}, intro=_("Tổng trọng số phải bằng 100.")
    )


@login_required
def score_add(request, pk):
    scheme = selectors.scheme_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, scheme.unit)
    units = [u for u, _g in results.competitors(scheme.unit, scheme.ends_on).values()]
    form = forms.ManualScoreForm(
        request.POST or None, units=scheme.unit.descendants().filter(pk__in=[u.pk for u in units])
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.manual_score_add(actor=request.user, scheme=scheme, **form.cleaned_data),
        )
    ):
        return redirect(scheme)
    return _form_page(request, form, _("Chấm điểm: %(s)s") % {"s": scheme})


@login_required
def ranking_freeze(request, pk):
    scheme = selectors.scheme_get(request.user, pk, MOVEMENTS_MANAGE)
    access.require(request.user, MOVEMENTS_MANAGE, scheme.unit)
    form = forms.FreezeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ranking = _saved(
            request,
            form,
            lambda: services.ranking_freeze(
                actor=request.user, scheme=scheme, note=form.cleaned_data["note"]
            ),
        )
        if ranking:
            return redirect(ranking)
    return _form_page(request, form, _("Chốt bảng xếp hạng: %(s)s") % {"s": scheme})


@login_required
def ranking_detail(request, pk):
    ranking = selectors.ranking_get(request.user, pk)
    return render(
        request,
        "movements/ranking_detail.html",
        {"ranking": ranking, "page": paginate(request, selectors.ranking_entries(request.user, ranking))},
    )


# Commendations ---------------------------------------------------------------------------------
@login_required
def proposal_list(request):
    access.require(request.user, MOVEMENTS_VIEW)
    return render(
        request,
        "movements/proposal_list.html",
        {
            "page": paginate(request, selectors.proposals_visible(request.user)),
            "can_propose": access.has_perm(request.user, MOVEMENTS_PROPOSE),
        },
    )


@login_required
def proposal_create(request):
    access.require(request.user, MOVEMENTS_PROPOSE)
    form = forms.ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        proposal = _saved(
            request, form, lambda: services.proposal_create(actor=request.user, **form.cleaned_data)
        )
        if proposal:
            return redirect(proposal)
    return _form_page(request, form, _("Lập đề nghị khen thưởng"))


@login_required
def proposal_detail(request, pk):
    proposal = selectors.proposal_get(request.user, pk)
    items = proposal.items.select_related("unit", "person", "award", "unit_award")
    return render(
        request,
        "movements/proposal_detail.html",
        {
            "proposal": proposal,
            "page": paginate(request, items),
            "can_edit": proposal.status == ProposalStatus.DRAFT
            and access.has_perm(request.user, MOVEMENTS_PROPOSE, proposal.unit),
            "can_decide": access.has_perm(request.user, MOVEMENTS_DECIDE, proposal.unit),
            "decide_form": forms.DecideForm(),
        },
    )


@login_required
def proposal_item_add(request, pk):
    proposal = selectors.proposal_get(request.user, pk, MOVEMENTS_PROPOSE)
    units = (
        access.scope(request.user, MOVEMENTS_PROPOSE)
        .units()
        .filter(path__startswith=proposal.unit.path)
        .active()
        .order_by("path")
    )
    form = forms.ProposalItemForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = None
        if data.get("person"):
            person = (
                access.in_scope(request.user, PEOPLE_VIEW, Person.objects.select_related("unit"))
                .filter(pk=data["person"])
                .first()
            )
            if person is None:
                form.add_error("person", _("Không có người này trong phạm vi của bạn."))
        if form.is_valid() and _saved(
            request,
            form,
            lambda: services.proposal_item_add(
                actor=request.user,
                proposal=proposal,
                reason=data["reason"],
                unit=data.get("unit"),
                person=person,
            ),
        ):
            return redirect(proposal)
    return _form_page(request, form, _("Thêm vào danh sách đề nghị"))


@login_required
def proposal_fill(request, pk):
    proposal = selectors.proposal_get(request.user, pk, MOVEMENTS_PROPOSE)
    rankings = Ranking.objects.filter(scheme__in=selectors.schemes_visible(request.user)).select_related(
        "scheme"
    )
    form = forms.FillForm(request.POST or None, rankings=rankings)
    if request.method == "POST" and form.is_valid():
        count = _saved(
            request,
            form,
            lambda: services.proposal_fill_from_ranking(
                actor=request.user, proposal=proposal, **form.cleaned_data
            ),
        )
        if count is not None:
            messages.success(request, _("Đã thêm %(n)s đơn vị từ bảng xếp hạng.") % {"n": count})
            return redirect(proposal)
    return _form_page(request, form, _("Lấy từ bảng xếp hạng"))


def _step(request, pk, perm, call, done):
    proposal = selectors.proposal_get(request.user, pk, perm)
    try:
        call(proposal)
        messages.success(request, done)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(proposal)


@login_required
@require_POST
def proposal_submit(request, pk):
    return _step(
        request,
        pk,
        MOVEMENTS_PROPOSE,
        lambda p: services.proposal_submit(actor=request.user, proposal=p),
        _("Đã trình đề nghị."),
    )


@login_required
@require_POST
def proposal_review(request, pk):
    accepted = {int(v) for v in request.POST.getlist("accepted") if v.isdigit()}
    return _step(
        request,
        pk,
        MOVEMENTS_DECIDE,
        lambda p: services.proposal_review(
            actor=request.user, proposal=p, accepted=accepted, note=request.POST.get("note", "")
        ),
        _("Đã ghi kết quả xét."),
    )


@login_required
@require_POST
def proposal_decide(request, pk):
    proposal = selectors.proposal_get(request.user, pk, MOVEMENTS_DECIDE)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(proposal)
    return _step(
        request,
        pk,
        MOVEMENTS_DECIDE,
        lambda p: services.proposal_decide(actor=request.user, proposal=p, **form.cleaned_data),
        _("Đã ghi quyết định khen thưởng vào sổ khen thưởng."),
    )


@login_required
def proposal_docx(request, pk):
    proposal = selectors.proposal_get(request.user, pk)
    response = HttpResponse(
        documents.proposal_docx(proposal),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="de-nghi-khen-thuong-{proposal.pk}.docx"'
    return response


# Good practice models --------------------------------------------------------------------------
@login_required
def practice_list(request):
    access.require(request.user, MOVEMENTS_VIEW)
    return render(
        request,
        "movements/practice_list.html",
        {
            "page": paginate(request, selectors.practices_visible(request.user)),
            "can_propose": access.has_perm(request.user, MOVEMENTS_PROPOSE),
        },
    )


@login_required
def practice_create(request):
    access.require(request.user, MOVEMENTS_PROPOSE)
    form = forms.PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        practice = _saved(
            request, form, lambda: services.practice_create(actor=request.user, **form.cleaned_data)
        )
        if practice:
            return redirect(practice)
    return _form_page(request, form, _("Ghi nhận mô hình hay"))


@login_required
def practice_detail(request, pk):
    practice = selectors.practice_get(request.user, pk)
    return render(
        request,
        "movements/practice_detail.html",
        {
            "practice": practice,
            "figures": practice.figures.all(),
            "files": practice.files.all(),
            "adoptions": practice.adoptions.select_related("unit")[:200],
            "replicated": practice.adoptions.count(),
            "can_edit": access.has_perm(request.user, MOVEMENTS_PROPOSE, practice.unit),
            "can_adopt": access.has_perm(request.user, MOVEMENTS_PROPOSE),
        },
    )


@login_required
def practice_figure_add(request, pk):
    practice = selectors.practice_get(request.user, pk, MOVEMENTS_PROPOSE)
    access.require(request.user, MOVEMENTS_PROPOSE, practice.unit)
    form = forms.FigureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.practice_figure_add(actor=request.user, practice=practice, **form.cleaned_data),
        )
    ):
        return redirect(practice)
    return _form_page(request, form, _("Thêm số liệu kết quả"))


@login_required
def practice_file_add(request, pk):
    practice = selectors.practice_get(request.user, pk, MOVEMENTS_PROPOSE)
    access.require(request.user, MOVEMENTS_PROPOSE, practice.unit)
    form = forms.FileForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.practice_file_add(
                actor=request.user,
                practice=practice,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            ),
        )
    ):
        return redirect(practice)
    return _form_page(request, form, _("Thêm ảnh, tài liệu"), multipart=True)


@login_required
def practice_file(request, pk):
    item = PracticeFile.objects.select_related("practice").filter(pk=access.int_pk(pk)).first()
    if item is None:
        raise Http404
    selectors.practice_get(request.user, item.practice_id)  # 404 outside what the user may see
    return FileResponse(
        item.file.open("rb"), as_attachment=not item.is_photo, filename=item.file.name.rsplit("/", 1)[-1]
    )


@login_required
def adoption_add(request, pk):
    practice = selectors.practice_get(request.user, pk)
    access.require(request.user, MOVEMENTS_PROPOSE)
    form = forms.AdoptionForm(request.POST or None, user=request.user)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: services.adoption_add(actor=request.user, practice=practice, **form.cleaned_data),
        )
    ):
        messages.success(request, _("Đã ghi nhận đơn vị áp dụng mô hình."))
        return redirect(practice)
    return _form_page(request, form, _("Áp dụng mô hình: %(p)s") % {"p": practice})
