from django import template

from nhandao.stories.sanitize import safe_html

register = template.Library()


@register.filter
def story_html(value: str):
    """A story's body, cleaned again by nh3 on the way out."""
    return safe_html(value)
