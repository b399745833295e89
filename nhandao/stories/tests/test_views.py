"""The staff's pages: a user from another unit is refused (404) on every page of a story; lists are
scoped and their queries bounded."""

import pytest

from nhandao.stories import services
from nhandao.stories.models import Story

from .conftest import story, upload


@pytest.fixture
def story_a(world):
    s = story(world)
    services.image_add(actor=world.manager_a, story=s, upload=upload())
    return s


GETS = ["/tin-bai/{pk}/", "/tin-bai/{pk}/sua/"]
POSTS = [
    "/tin-bai/{pk}/sua/",
    "/tin-bai/{pk}/gui-duyet/",
    "/tin-bai/{pk}/dang/",
    "/tin-bai/{pk}/tra-lai/",
    "/tin-bai/{pk}/go/",
    "/tin-bai/{pk}/nhap-lai/",
    "/tin-bai/{pk}/anh/",
]


@pytest.mark.parametrize("url", GETS)
def test_another_units_user_gets_404(world, story_a, url):
    assert world.client(world.user_b).get(url.format(pk=story_a.pk)).status_code == 404


@pytest.mark.parametrize("url", POSTS)
def test_another_units_user_cannot_post(world, story_a, url):
    response = world.client(world.manager_b).post(url.format(pk=story_a.pk), {"note": "x"})
    assert response.status_code == 404
    assert Story.objects.get(pk=story_a.pk).status == "draft"


def test_another_units_user_cannot_see_or_remove_an_image(world, story_a):
    image = story_a.images.get()
    client = world.client(world.manager_b)
    assert client.get(f"/tin-bai/anh/{image.pk}/").status_code == 404
    assert client.post(f"/tin-bai/anh/{image.pk}/bo/").status_code == 404
    assert story_a.images.exists()


def test_the_units_staff_see_a_drafts_image(world, story_a):
    image = story_a.images.get()
    response = world.client(world.viewer_a).get(f"/tin-bai/anh/{image.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_a_user_without_a_role_is_refused(world, story_a):
    client = world.client(world.nobody)
    assert client.get("/tin-bai/").status_code == 403
    assert client.get(f"/tin-bai/{story_a.pk}/").status_code == 404


def test_the_list_shows_the_units_stories_only(world, django_assert_max_num_queries):
    for i in range(15):
        story(world, title=f"Tin phường Lê Chân {i}")
    story(world, world.commune_b, title="Tin phường Ngô Quyền")
    client = world.client(world.manager_a)
    client.get("/tin-bai/")
    with django_assert_max_num_queries(12):
        body = client.get("/tin-bai/").content.decode()
    assert "Tin phường Lê Chân 3" in body and "Ngô Quyền" not in body


def test_the_create_form_writes_a_draft(world):
    client = world.client(world.entry_a)
    response = client.post(
        "/tin-bai/viet/",
        {
            "unit": world.commune_a.pk,
            "kind": "news",
            "title": "Ra quân Tháng Nhân đạo",
            "summary": "Tóm tắt",
            "body": "Đoạn một.\n\nĐoạn hai <b>đậm</b>",
            "tags": "Tháng Nhân đạo",
        },
    )
    s = Story.objects.get()
    assert response.status_code == 302 and s.status == "draft" and s.author == world.entry_a


def test_the_officer_publishes_from_the_page(world, cast):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    client = world.client(cast.officer)
    assert "Duyệt và đăng" in client.get(f"/tin-bai/{s.pk}/").content.decode()
    client.post(f"/tin-bai/{s.pk}/dang/", {"note": ""})
    assert Story.objects.get(pk=s.pk).status == "published"


def test_the_writer_sees_no_publish_button(world):
    s = services.story_submit(actor=world.manager_a, story=story(world))
    assert "Duyệt và đăng" not in world.client(world.manager_a).get(f"/tin-bai/{s.pk}/").content.decode()
