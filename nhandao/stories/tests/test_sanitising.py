"""Rich text is cleaned by nh3: a script and event handlers stored in a story never reach a page."""

from nhandao.stories import sanitize
from nhandao.stories.models import Story

from .conftest import published, story

ATTACK = (
    "<p>Bài viết <strong>đẹp</strong></p>"
    "<script>alert('xss')</script>"
    '<img src="x" onerror="alert(1)">'
    '<a href="javascript:alert(2)" onclick="steal()">bấm vào đây</a>'
    '<p onmouseover="alert(3)" style="color:red">đoạn</p>'
    "<iframe src='https://evil.example'></iframe>"
)
DANGERS = ("<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:", "<iframe", "style=")


def _clean(body: str) -> None:
    for danger in DANGERS:
        assert danger not in body, danger


def test_the_stored_body_keeps_the_text_and_drops_the_script(world, cast):
    s = story(world, body=ATTACK)
    assert "<strong>đẹp</strong>" in s.body and "bấm vào đây" in s.body
    _clean(s.body)


def test_a_script_and_event_handlers_never_reach_the_public_page_nor_the_feed(world, cast, client):
    s = published(world, cast, body=ATTACK)
    for url in (s.get_public_url(), "/tin-tuc/", "/tin-tuc/atom.xml", "/"):
        _clean(client.get(url).content.decode().split("</head>")[-1])


def test_a_body_written_around_the_service_is_cleaned_again_when_shown(world, cast, client):
    s = published(world, cast)
    Story.objects.filter(pk=s.pk).update(body=ATTACK)
    page = client.get(s.get_public_url()).content.decode()
    assert "bấm vào đây" in page
    _clean(page.split("</head>")[-1])
    staff = world.client(world.manager_a).get(s.get_absolute_url()).content.decode()
    assert "alert('xss')" not in staff and "onerror" not in staff


def test_links_get_rel_nofollow_and_keep_their_https_address():
    cleaned = sanitize.clean_html('<a href="https://hoichuthapdo.vn">Hội</a>')
    assert 'href="https://hoichuthapdo.vn"' in cleaned and "nofollow" in cleaned


# Exactly what the toolbar of static/stories/editor.js writes.
TOOLBAR = (
    "<h2>Mục một</h2>"
    "<p>Chữ <strong>đậm</strong>, <em>nghiêng</em>, "
    '<a href="https://hoichuthapdo.vn/tin">liên kết</a>.</p>'
    "<ul><li>gạch đầu dòng</li></ul>"
    "<ol><li>đánh số</li></ol>"
    "<blockquote><p>trích dẫn</p></blockquote>"
    "<p>dòng<br>xuống dòng</p>"
)


def test_the_toolbar_s_tags_survive_cleaning():
    cleaned = sanitize.clean_html(TOOLBAR)
    for kept in ("<h2>", "<strong>", "<em>", "<ul><li>", "<ol><li>", "<blockquote>", "<br>", "<p>"):
        assert kept in cleaned, kept
    assert '<a href="https://hoichuthapdo.vn/tin" rel="noopener noreferrer nofollow">' in cleaned


def test_the_allow_list_is_exactly_the_toolbar_s():
    assert {"p", "br", "strong", "em", "h2", "ul", "ol", "li", "a", "blockquote"} == sanitize.TAGS
    assert {"a": {"href", "title"}} == sanitize.ATTRIBUTES
    cleaned = sanitize.clean_html(
        '<h3>x</h3><u>y</u><span class="c">z</span><a href="/a" target="_top">w</a>'
    )
    assert cleaned == 'xyz<a href="/a" rel="noopener noreferrer nofollow">w</a>'


def test_a_story_written_with_the_toolbar_shows_its_tags(world, cast, client):
    page = client.get(published(world, cast, body=TOOLBAR).get_public_url()).content.decode()
    assert "<strong>đậm</strong>" in page and "<blockquote>" in page and "<h2>Mục một</h2>" in page
