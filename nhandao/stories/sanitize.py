"""Rich text of stories, cleaned with nh3 (ammonia): an allow-list of tags and attributes.

Scripts, styles, event handlers (onerror=, onclick=…), iframes and javascript: links are removed;
links get rel="noopener noreferrer nofollow"; other tags are dropped, their text kept.  The body is cleaned when it is stored and again
when it is shown (`clean_html` is idempotent), so a row written around the service shows nothing
dangerous either.
"""

from __future__ import annotations

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

# Exactly what the editing toolbar (static/stories/editor.js) writes: paragraphs and line breaks,
# bold, italic, a heading, bulleted and numbered lists, links and quotes.  The toolbar turns the
# browser's <b>/<i> into <strong>/<em> before the form is sent.
TAGS = {"p", "br", "strong", "em", "h2", "ul", "ol", "li", "a", "blockquote"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(raw: str) -> str:
    return nh3.clean(
        raw or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    )


def safe_html(raw: str) -> SafeString:
    return mark_safe(clean_html(raw))  # cleaned by nh3 just above


def plain_text(raw: str) -> str:
    return " ".join(strip_tags(clean_html(raw)).split())
