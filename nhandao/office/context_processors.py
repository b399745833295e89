from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from nhandao.core.access import AUDIT_VIEW, ORG_VIEW, USERS_MANAGE
from nhandao.core.registry import PUBLIC_LINKS
from nhandao.org import access

from . import menu


def _nav(user):
    return {
        "org": access.has_perm(user, ORG_VIEW),
        "audit": access.has_perm(user, AUDIT_VIEW),
        "users": access.has_perm(user, USERS_MANAGE),
        "modules": menu.modules(user),
        "menu": menu.menu(user),
    }


def site(request):
    user = getattr(request, "user", None)
    context = {
        "SITE_NAME": "nhandao",
        "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
        "public_links": [{"label": link.label, "url": reverse(link.url_name)} for link in PUBLIC_LINKS],
    }
    if user is not None and user.is_authenticated:
        context["nav"] = SimpleLazyObject(lambda: _nav(user))
    return context
