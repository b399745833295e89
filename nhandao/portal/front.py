"""The public front: the home page visitors see at "/", the published stories with their Atom feed
and share tags, and the press page.  No login, read-only, selectors only, cached like the rest of
the portal (`cache.public_cache`; the key holds the stories' last change too).

The home page is made of sections other apps register in `core.registry.register_front_section`
(movements with their live results, the latest stories, the next blood drives); the portal adds its
own (the campaigns).  Each section's context is computed once per cached page.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from nhandao.blood import selectors as blood
from nhandao.campaigns import selectors as campaigns
from nhandao.campaigns.models import CampaignStatus
from nhandao.core import registry
from nhandao.core.pagination import query_without_page
from nhandao.stories import selectors as stories

from . import totals
from .cache import public_cache

STORIES_PAGE_SIZE = 12
FEED_ITEMS = 30


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


@require_safe
@public_cache
def home(request):
    sections = []
    for section in registry.FRONT_SECTIONS:
        context = section.context()
        if context is None:
            continue
        html = render_to_string(section.template, {**context, "section": section}, request=request)
        sections.append({"section": section, "html": html})
    return render(request, "portal/front.html", {"sections": sections})


def campaigns_section() -> dict | None:
    running = list(campaigns.public_campaigns().filter(status=CampaignStatus.OPEN)[:6])
    if not running:
        return None
    return {"rows": [{"campaign": c, "totals": totals.campaign_totals(c)} for c in running]}


def blood_section() -> dict | None:
    drives = list(blood.public_drives()[:4])
    return {"drives": drives} if drives else None


@require_safe
@public_cache
def story_list(request):
    tag = (request.GET.get("the") or "").strip()[:50]
    page = Paginator(stories.public_stories(tag=tag), STORIES_PAGE_SIZE).get_page(_page_number(request))
    return render(
        request,
        "portal/stories.html",
        {
            "page": page,
            "firsts": stories.first_images(page.object_list),
            "tag": tag,
            "tags": stories.public_tags(),
            "query_string": query_without_page(request),
        },
    )


@require_safe
@public_cache
def story_detail(request, pk):
    story = stories.public_story(pk)
    images = list(story.images.all())
    og_image = request.build_absolute_uri(images[0].get_public_url()) if images else ""
    return render(
        request,
        "portal/story.html",
        {
            "story": story,
            "images": images,
            "og_image": og_image,
            "og_url": request.build_absolute_uri(story.get_public_url()),
        },
    )


@require_safe
def story_image(request, pk):
    """A published story's image (never a draft's): streamed from the storage, cached by browsers
    and proxies for an hour."""
    image = stories.public_image(pk)
    response = FileResponse(image.file.open("rb"), content_type="image/jpeg")
    if request.GET.get("tai") == "1":
        response["Content-Disposition"] = f'attachment; filename="nhandao-{image.story_id}-{image.pk}.jpg"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
@public_cache
def press(request):
    return render(
        request,
        "portal/press.html",
        {
            "figures": stories.press_figures(),
            "photos": stories.press_photos(),
            "latest": list(stories.public_stories()[:5]),
            "campaigns": campaigns_section(),
        },
    )


class StoriesFeed(Feed):
    """Atom 1.0: the latest published stories."""

    feed_type = Atom1Feed
    title = gettext_lazy("Tin tức Hội Chữ thập đỏ thành phố Hải Phòng")
    subtitle = gettext_lazy("Tin bài, gương người tốt việc thiện của Hội Chữ thập đỏ các cấp")

    def link(self):
        return reverse("portal:stories")

    def items(self):
        return stories.public_stories()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return item.tag_list


stories_feed = require_safe(public_cache(StoriesFeed()))


def register_sections() -> None:
    registry.register_front_section(
        registry.FrontSection(
            "portal.campaigns",
            gettext_lazy("Cuộc vận động đang diễn ra"),
            "portal/front/_campaigns.html",
            campaigns_section,
            order=30,
        )
    )
    registry.register_front_section(
        registry.FrontSection(
            "blood.drives",
            gettext_lazy("Hiến máu tình nguyện sắp tới"),
            "portal/front/_blood.html",
            blood_section,
            order=40,
        )
    )
    registry.set_public_home(home)
