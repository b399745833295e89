"""The one list of bank accounts, and declaring or (de)activating one: the fund's pages, beside its
model (`BankAccount`), its form, its services and its getter (`selectors.bank_account_get`).

Apps above the fund add what they know of each account through two hooks, registered in their
`ready()`: `register_account_links(fn)` (fn(request, accounts) -> {account pk: [Link]}, e.g.
banking's statements, VietQR code and queue count) and `register_page_links(fn)` (fn(request) ->
[Link], the actions above the table).  The fund itself never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import FUNDS_APPROVE, FUNDS_MANAGE, FUNDS_RECORD, FUNDS_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from . import selectors, services
from .forms import BankAccountForm
from .models import BankAccount


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    count: int | None = None  # shown after the label (e.g. lines waiting in the statement queue)


AccountLinks = Callable[[HttpRequest, list[BankAccount]], dict[int, list[Link]]]
PageLinks = Callable[[HttpRequest], list[Link]]
ACCOUNT_LINKS: list[AccountLinks] = []
PAGE_LINKS: list[PageLinks] = []


def register_account_links(fn: AccountLinks) -> AccountLinks:
    if fn not in ACCOUNT_LINKS:
        ACCOUNT_LINKS.append(fn)
    return fn


def register_page_links(fn: PageLinks) -> PageLinks:
    if fn not in PAGE_LINKS:
        PAGE_LINKS.append(fn)
    return fn


@login_required
def bank_account_list(request):
    """Every bank account of the user's funds; what else each app knows of it, through the hooks;
    declaring and (de)activating where the user holds funds.manage."""
    user = request.user
    access.require(user, FUNDS_VIEW)
    page = paginate(request, selectors.bank_accounts(user, FUNDS_VIEW))
    accounts = list(page.object_list)
    links: dict[int, list[Link]] = {b.pk: [] for b in accounts}
    for fn in ACCOUNT_LINKS:
        for pk, more in fn(request, accounts).items():
            links.setdefault(pk, []).extend(more)
    manage = access.scope(user, FUNDS_MANAGE)
    approve = access.scope(user, FUNDS_APPROVE)

    def confirmable(b: BankAccount) -> bool:
        return (
            b.awaiting_confirmation
            and b.declared_by_id != user.pk
            and (manage.allows(b.unit) or approve.allows(b.unit))
        )

    return render(
        request,
        "funds/bank_account_list.html",
        {
            "page": page,
            "rows": [(b, links[b.pk], manage.allows(b.unit), confirmable(b)) for b in accounts],
            "page_links": [link for fn in PAGE_LINKS for link in fn(request)],
            # A finance officer declares the unit's accounts too, confirmed by another (issue 15).
            "can_manage": not manage.empty or not access.scope(user, FUNDS_RECORD).empty,
        },
    )


@login_required
def bank_account_create(request):
    """Who manages funds declares an account in use; a finance officer declares one that waits for
    the confirmation of someone else who approves payments or manages the unit's funds."""
    user = request.user
    declaring = not access.has_perm(user, FUNDS_MANAGE)
    access.require(user, FUNDS_RECORD if declaring else FUNDS_MANAGE)
    form = BankAccountForm(request.POST or None, user=user, perm=FUNDS_RECORD if declaring else FUNDS_MANAGE)
    if request.method == "POST" and form.is_valid():
        try:
            if declaring:
                services.bank_account_declare(actor=user, **form.cleaned_data)
            else:
                services.bank_account_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if declaring:
                messages.success(
                    request,
                    _("Đã khai báo tài khoản ngân hàng; tài khoản được dùng khi người duyệt chi xác nhận."),
                )
            else:
                messages.success(request, _("Đã khai báo tài khoản ngân hàng."))
            return redirect("funds:bank_accounts")
    return render(request, "funds/bank_account_form.html", {"form": form, "declaring": declaring})


@login_required
@require_POST
def bank_account_confirm(request, pk):
    bank_account = selectors.bank_account_get(request.user, pk, FUNDS_VIEW)
    if not services.can_confirm_bank_accounts(request.user, bank_account.unit):
        access.require(request.user, FUNDS_APPROVE, bank_account.unit)
    try:
        services.bank_account_confirm(actor=request.user, bank_account=bank_account)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã xác nhận tài khoản %(n)s; từ nay tài khoản được sử dụng.")
            % {"n": bank_account.account_number},
        )
    return redirect("funds:bank_accounts")


@login_required
@require_POST
def bank_account_toggle(request, pk):
    bank_account = selectors.bank_account_get(request.user, pk, FUNDS_VIEW)
    access.require(request.user, FUNDS_MANAGE, bank_account.unit)
    services.bank_account_set_active(
        actor=request.user, bank_account=bank_account, active=not bank_account.is_active
    )
    return redirect("funds:bank_accounts")
