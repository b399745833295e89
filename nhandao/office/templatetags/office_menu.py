from django import template
from django.utils.safestring import mark_safe

from nhandao.office import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_menu(context):
    """{% staff_menu %}: the signed-in user's menu groups (office/menu.py, rendered once per roles
    and language)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return mark_safe(menu.menu_html(user))  # rendered by our own template, autoescaped
