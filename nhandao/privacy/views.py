"""Thin views: the register of data-subject requests, the public request form, tracing cases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import PRIVACY_ERASE, PRIVACY_HANDLE, PRIVACY_VIEW, TRACING_MANAGE, TRACING_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from . import exports, forms, selectors, services, shredder
from .models import RequestKind, RequestStatus, TracingStatus

NOT_IN_SCOPE = _("Không tìm thấy người có mã này trong phạm vi đơn vị của bạn.")


def _fail(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# The register ------------------------------------------------------------------------------------
@login_required
def request_list(request):
    access.require(request.user, PRIVACY_VIEW)
    qs = selectors.requests_visible(request.user)
    status = request.GET.get("trang-thai", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "privacy/request_list.html",
        {
            "page": paginate(request, qs.order_by("-received_on", "-id")),
            "statuses": RequestStatus.choices,
            "status": status,
            "can_handle": access.has_perm(request.user, PRIVACY_HANDLE),
        },
    )


@login_required
def request_create(request):
    access.require(request.user, PRIVACY_HANDLE)
    initial = {"person": request.GET.get("nguoi")} if request.GET.get("nguoi", "").isdigit() else None
    form = forms.RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = selectors.person_for_request(request.user, form.cleaned_data["person"])
        except Http404:
            form.add_error("person", NOT_IN_SCOPE)
        else:
            try:
                req = services.request_file(
                    actor=request.user,
                    person=person,
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã tiếp nhận yêu cầu %(number)s.") % {"number": req.number})
                return redirect(req)
    return render(
        request, "privacy/form.html", {"form": form, "title": _("Tiếp nhận yêu cầu về dữ liệu cá nhân")}
    )


@login_required
def request_detail(request, pk):
    req = selectors.request_get(request.user, pk)
    user = request.user
    can_handle = access.has_perm(user, PRIVACY_HANDLE, req.unit)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "req": req,
            "steps": req.steps.all()[:200],
            "can_handle": can_handle and req.is_open,
            "can_export": can_handle and req.person_id is not None,
            "can_erase": access.has_perm(user, PRIVACY_ERASE, req.unit) and req.is_open,
            "blockers": shredder.blockers(req.person)
            if req.person_id and req.kind == RequestKind.DELETION and req.is_open
            else [],
            "verify_form": forms.VerifyForm(),
            "decide_form": forms.DecideForm(),
            "kinds": RequestKind,
        },
    )


@login_required
@require_POST
def request_act(request, pk):
    req = selectors.request_get(request.user, pk)
    user = request.user
    action = request.POST.get("action", "")
    try:
        if action == "verify":
            form = forms.VerifyForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Hãy nhập mã người và cách đã xác minh."))
            try:
                person = selectors.person_for_request(user, form.cleaned_data["person"])
            except Http404:
                raise ValidationError(NOT_IN_SCOPE) from None
            services.request_verify(
                actor=user, request=req, person=person, method=form.cleaned_data["verification"]
            )
        elif action == "acknowledge":
            services.request_acknowledge(actor=user, request=req)
        elif action == "take":
            services.request_take(actor=user, request=req)
        elif action in ("decide", "refuse"):
            form = forms.DecideForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Hãy ghi quyết định và lý do."))
            services.request_decide(
                actor=user,
                request=req,
                decision=form.cleaned_data["decision"],
                effect=form.cleaned_data["effect"],
                refuse=action == "refuse",
            )
        elif action == "withdraw":
            services.request_withdraw(actor=user, request=req)
        elif action == "erase":
            services.request_erase(actor=user, request=req)
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect(req)


def _export(request, pk, fmt: str) -> HttpResponse:
    req = selectors.request_get(request.user, pk)
    access.require(request.user, PRIVACY_HANDLE, req.unit)
    if req.person_id is None:
        raise Http404
    data = exports.gather(req.person)
    services.request_export_done(actor=request.user, request=req, fmt=fmt)
    if fmt == "json":
        response = HttpResponse(exports.as_json(data), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(
            exports.pdf(data, number=req.number, unit=req.unit), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{req.number}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def request_export_json(request, pk):
    return _export(request, pk, "json")


@login_required
def request_export_pdf(request, pk):
    return _export(request, pk, "pdf")


def public_request(request):
    """Anyone files a request; the answer never tells whether the registry knows them."""
    form = forms.PublicRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        req = services.request_file_public(
            unit=data["unit"],
            kind=data["kind"],
            name=data["name"],
            phone=data["phone"],
            id_number=data["id_number"],
            details=data["details"],
        )
        return render(request, "privacy/public_done.html", {"req": req})
    return render(request, "privacy/public_request.html", {"form": form})


# Restoring family links --------------------------------------------------------------------------
@login_required
def tracing_list(request):
    access.require(request.user, TRACING_VIEW)
    qs = selectors.tracing_visible(request.user).order_by("-opened_on", "-id")
    return render(
        request,
        "privacy/tracing_list.html",
        {"page": paginate(request, qs), "can_manage": access.has_perm(request.user, TRACING_MANAGE)},
    )


@login_required
def tracing_create(request):
    access.require(request.user, TRACING_MANAGE)
    form = forms.TracingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            case = services.tracing_open(
                actor=request.user,
                unit=data.pop("unit"),
                enquirer_consent=data.pop("enquirer_consent"),
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở hồ sơ %(number)s.") % {"number": case.number})
            return redirect(case)
    return render(request, "privacy/form.html", {"form": form, "title": _("Mở hồ sơ tìm kiếm thân nhân")})


@login_required
def tracing_detail(request, pk):
    case = selectors.tracing_get(request.user, pk)
    can_manage = access.has_perm(request.user, TRACING_MANAGE, case.unit)
    return render(
        request,
        "privacy/tracing_detail.html",
        {
            "case": case,
            "messages_list": case.messages.all()[:200],
            "can_manage": can_manage and case.status != TracingStatus.CLOSED,
            "next_status": services.NEXT_STATUS.get(case.status),
            "note_form": forms.TracingNoteForm(),
            "consent_form": forms.SoughtConsentForm(),
            "message_form": forms.MessageForm(),
        },
    )


@login_required
@require_POST
def tracing_act(request, pk):
    case = selectors.tracing_get(request.user, pk)
    user = request.user
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")[:2000]
    try:
        if action == "advance":
            services.tracing_advance(actor=user, case=case, note=note)
        elif action == "close":
            services.tracing_close(actor=user, case=case, note=note)
        elif action == "consent":
            services.tracing_sought_consent(actor=user, case=case, consent=request.POST.get("consent", ""))
        elif action == "message":
            form = forms.MessageForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Thư chưa có nội dung."))
            services.message_record(actor=user, case=case, **form.cleaned_data)
        elif action == "deliver":
            message = case.messages.filter(pk=access.int_pk(request.POST.get("message"))).first()
            if message is None:
                raise Http404
            services.message_deliver(actor=user, message=message)
        else:
            raise Http404
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect(case)
