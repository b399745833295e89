"""The one list of bank accounts, and declaring or (de)activating one.

The model `BankAccount` is the fund's (the ledger's bank accounts, gifts by transfer and payments
point at it); its pages and URLs are banking's.  The writes stay the fund's services
(`funds.services.bank_account_create` / `bank_account_set_active`) because they write the
ledger's model and the fund's seed and tests declare accounts without banking.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW, FUNDS_MANAGE, FUNDS_VIEW
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.funds import services as fund_services
from nhandao.funds.forms import BankAccountForm
from nhandao.org import access

from . import selectors


@login_required
def account_list(request):
    """Every bank account the user's funds keep money in.  Its statements, queue and reconciliation
    only where the user holds banking.view on its unit; declaring and (de)activating where funds.manage."""
    user = request.user
    access.require(user, FUNDS_VIEW)
    page = paginate(request, selectors.bank_accounts(user, FUNDS_VIEW))
    banking, manage = access.scope(user, BANKING_VIEW), access.scope(user, FUNDS_MANAGE)
    statements = [b for b in page.object_list if banking.allows(b.unit)]
    counts = selectors.queue_counts(statements)
    rows = [(b, counts.get(b.pk, 0), b in statements, manage.allows(b.unit)) for b in page.object_list]
    return render(
        request,
        "banking/account_list.html",
        {
            "page": page,
            "rows": rows,
            "can_import": access.has_perm(user, BANKING_IMPORT),
            "can_see_statements": not banking.empty,
            "can_manage": not manage.empty,
        },
    )


@login_required
def account_create(request):
    access.require(request.user, FUNDS_MANAGE)
    form = BankAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            fund_services.bank_account_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã khai báo tài khoản ngân hàng."))
            return redirect("banking:accounts")
    return render(request, "banking/account_form.html", {"form": form})


@login_required
@require_POST
def account_toggle(request, pk):
    bank_account = selectors.bank_account_get(request.user, pk, FUNDS_VIEW)
    access.require(request.user, FUNDS_MANAGE, bank_account.unit)
    fund_services.bank_account_set_active(
        actor=request.user, bank_account=bank_account, active=not bank_account.is_active
    )
    return redirect("banking:accounts")
