"""The outbox pages (staff, scoped) and the public one-click unsubscribe page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from nhandao.core import audit
from nhandao.core.access import MESSAGING_VIEW
from nhandao.core.pagination import paginate, query_without_page
from nhandao.org import access

from . import links, purposes, selectors, services
from .forms import MessageFilterForm


@login_required
def message_list(request):
    access.require(request.user, MESSAGING_VIEW)
    form = MessageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = selectors.MessageFilter(
        status=data.get("status") or "",
        channel=data.get("channel") or "",
        purpose=data.get("purpose") or "",
        query=data.get("q") or "",
    )
    # No COUNT: the outbox only grows (each page fetches one row more to know whether a next one exists).
    page = paginate(request, selectors.messages_visible(request.user, f), lookahead=True)
    scope = selectors.contents_scope(request.user)
    for m in page.object_list:
        m.shown_address = selectors.shown_address(m, scope)
        m.purpose_label = purposes.label(m.purpose)
    return render(
        request,
        "messaging/message_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def message_detail(request, pk):
    message = selectors.message_get(request.user, pk)
    scope = selectors.contents_scope(request.user)
    return render(
        request,
        "messaging/message_detail.html",
        {
            "message": message,
            "full": scope.allows(message.unit),
            "shown_address": selectors.shown_address(message, scope),
            "purpose_label": purposes.label(message.purpose),
        },
    )


# The link's token is the capability (a signed message number): whoever holds it is the recipient.
# A mail client's one-click POST (RFC 8058: body "List-Unsubscribe=One-Click") carries no CSRF token.
@csrf_exempt
def unsubscribe(request, token):
    """Public.  GET shows what would stop (link checkers fetch links: nothing is written); the
    button, or a mail client's one-click POST, stops it.  Shows only the purpose and a masked
    address, never a name."""
    message = selectors.message_for_token(token)
    if message is None:
        return render(request, "messaging/unsubscribe.html", {"invalid": True}, status=404)
    context = {
        "purpose_label": purposes.label(message.purpose),
        "channel": message.get_channel_display(),
        "address": links.mask_address(message.address),
        "done": False,
    }
    confirmed = request.POST.get("ngung") == "1" or request.POST.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST" and confirmed:
        try:
            with audit.via("public", ip=request.META.get("REMOTE_ADDR")):
                services.unsubscribe(token=token)
        except ValidationError:
            return render(request, "messaging/unsubscribe.html", {"invalid": True}, status=404)
        context["done"] = True
    return render(request, "messaging/unsubscribe.html", context)
