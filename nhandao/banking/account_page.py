"""What banking adds to the fund's list of bank accounts (`funds.views_bank_accounts` hooks,
registered in apps.py): per account its VietQR code, and where the user holds banking.view on its
unit its statements and the lines waiting in its queue; above the table, reading a file on trial
and the saved column mappings."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from nhandao.core.access import BANKING_IMPORT, BANKING_VIEW
from nhandao.funds.views_bank_accounts import Link
from nhandao.org import access

from . import selectors


def account_links(request, accounts) -> dict[int, list[Link]]:
    banking = access.scope(request.user, BANKING_VIEW)
    statements = {b.pk for b in accounts if banking.allows(b.unit)}
    counts = selectors.queue_counts([b for b in accounts if b.pk in statements])
    links: dict[int, list[Link]] = {}
    for b in accounts:
        links[b.pk] = [Link(_("Mã VietQR"), reverse("banking:account_vietqr", args=[b.pk]))]
        if b.pk in statements:
            links[b.pk] += [
                Link(_("Sao kê, đối chiếu"), reverse("banking:account", args=[b.pk])),
                Link(_("Dòng chờ phân loại"), reverse("banking:queue", args=[b.pk]), counts.get(b.pk, 0)),
            ]
    return links


def page_links(request) -> list[Link]:
    user = request.user
    links = []
    if access.has_perm(user, BANKING_IMPORT):
        links.append(Link(_("Đọc thử một tệp"), reverse("banking:statement_preview")))
    if not access.scope(user, BANKING_VIEW).empty:
        links.append(Link(_("Mẫu cột sao kê"), reverse("banking:mappings")))
    return links
