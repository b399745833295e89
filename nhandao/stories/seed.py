"""Demo stories (a few dozen, with images drawn by Pillow), the communication officer and the
education department's reporter, and two school years of school branches' reports.

Deterministic for a given seed: the images' pixels and names come from the seed, and an image
file already in the storage under its name is reused (re-seeding adds no files)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw

from nhandao.accounts import services as account_services
from nhandao.beneficiaries import services as beneficiary_services
from nhandao.beneficiaries.choices import CaseStatus, ConsentPurpose
from nhandao.beneficiaries.models import Case
from nhandao.core.access import Role
from nhandao.core.seeding import DEMO_PASSWORD, DemoLogin, SeedContext
from nhandao.org import services as org_services
from nhandao.org.models import BranchType, Unit

from . import images, services
from .choices import StoryKind
from .models import StoryImage

SINCE = dt.date(2025, 7, 1)

NEWS = [
    ("Trao {n} suất quà Tết Nhân ái cho hộ nghèo", "Tết Nhân ái, quà Tết"),
    ("Ra quân Tháng Nhân đạo tại {u}", "Tháng Nhân đạo"),
    ("Hiến máu tình nguyện: {n} đơn vị máu trong ngày Chủ nhật Đỏ", "hiến máu"),
    ("Tập huấn sơ cấp cứu cho {n} tình nguyện viên", "sơ cấp cứu"),
    ("Khánh thành nhà nhân đạo cho gia đình khó khăn", "nhà nhân đạo"),
    ("Diễn tập ứng phó bão lũ tại {u}", "thảm họa, ứng phó"),
    ("Trao {n} suất học bổng cho học sinh vượt khó", "trường học, học bổng"),
    ("Khám bệnh, cấp thuốc miễn phí cho {n} người cao tuổi", "chăm sóc sức khỏe"),
]
DEEDS = [
    ("Cô giáo nhặt được ví tiền, trả lại người đánh rơi", "người tốt việc thiện"),
    ("Tình nguyện viên {n} năm nấu cháo miễn phí ở bệnh viện", "người tốt việc thiện, bếp ăn"),
    ("Người thợ xây sửa nhà miễn phí cho cụ bà neo đơn", "người tốt việc thiện, địa chỉ nhân đạo"),
    ("Nhóm học sinh gom giấy vụn giúp bạn đến trường", "trường học, người tốt việc thiện"),
    ("Người hiến máu {n} lần ở {u}", "hiến máu, người tốt việc thiện"),
]
BODY = (
    "<p>{u} đã tổ chức hoạt động với sự tham gia của cán bộ, hội viên và tình nguyện viên.</p>"
    "<p>Hoạt động thiết thực hưởng ứng phong trào <strong>“Người tốt, việc thiện – Chung sức xây dựng "
    "cộng đồng nhân ái”</strong>, góp phần lan tỏa giá trị nhân đạo trong cộng đồng.</p>"
    "<ul><li>Số người tham gia: {n}</li><li>Thời gian: {d}</li></ul>"
)
PALETTE = [(200, 16, 46), (21, 101, 192), (46, 125, 50), (239, 108, 0), (106, 27, 154), (0, 121, 107)]


def _picture(rng, index: int) -> bytes:
    """A 960×600 illustration: a sky, hills, a red cross on a house."""
    sky, ground = rng.choice(PALETTE), rng.choice(PALETTE)
    im = Image.new("RGB", (960, 600), (235, 242, 250))
    d = ImageDraw.Draw(im)
    for y in range(0, 360, 8):
        t = y / 360
        d.rectangle([0, y, 960, y + 8], fill=tuple(int(255 - (255 - c) * (0.25 + 0.5 * t)) for c in sky))
    d.ellipse([-200, 300, 600, 800], fill=ground)
    d.ellipse([400, 330, 1200, 850], fill=tuple(max(0, c - 40) for c in ground))
    x = 180 + (index * 97) % 520
    d.rectangle([x, 250, x + 220, 420], fill=(250, 250, 245))
    d.polygon([(x - 20, 250), (x + 110, 170), (x + 240, 250)], fill=(120, 60, 40))
    d.rectangle([x + 95, 290, x + 125, 380], fill=(200, 16, 46))
    d.rectangle([x + 65, 320, x + 155, 350], fill=(200, 16, 46))
    for _i in range(rng.randint(2, 5)):
        px = rng.randint(40, 900)
        d.ellipse([px, 440, px + 40, 480], fill=(250, 220, 180))
        d.rectangle([px + 5, 480, px + 35, 560], fill=rng.choice(PALETTE))
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _image(ctx: SeedContext, rng, story, index: int, caption: str) -> None:
    processed = images.process(ContentFile(_picture(rng, index), name="anh.jpg"))
    name = f"stories/demo/{ctx.seed}-{index:03d}.jpg"
    if not default_storage.exists(name):
        name = default_storage.save(name, processed.content)
    StoryImage.objects.create(
        story=story,
        file=name,
        caption=caption,
        width=processed.width,
        height=processed.height,
        size=processed.size,
        position=story.images.count(),
    )


def _user(ctx, username, full_name, role, unit, title, agency=None):
    user = account_services.user_create(
        actor=None,
        username=username,
        full_name=full_name,
        password=DEMO_PASSWORD,
        email=f"{username}@example.org",
    )
    org_services.role_assign(
        actor=None, user=user, unit=unit, role=role, title=title, agency=agency, valid_from=SINCE
    )
    ctx.logins.append(DemoLogin(username, Role(role).label, unit.name))
    return user


def run(ctx: SeedContext) -> None:
    rng = ctx.sub_rng("stories")
    city: Unit = ctx.data["city"]
    commune_a, commune_b = ctx.data["commune_a"], ctx.data["commune_b"]
    communes = sorted(ctx.data["communes"].values(), key=lambda u: u.code)
    users = ctx.data.get("users", {})
    officer = _user(
        ctx,
        "truyenthong.thanhpho",
        "Lương Thị Thu Trang",
        Role.COMMUNICATION_OFFICER,
        city,
        "Cán bộ truyền thông",
    )
    _user(
        ctx,
        "baocao.sogddt",
        "Phan Văn Quang",
        Role.AGENCY_REPORTER,
        city,
        "Chuyên viên Sở Giáo dục và Đào tạo",
        agency=ctx.data["agencies"].get("SGDDT"),
    )
    writers = {commune_a.pk: users.get("nhaplieu.lechan"), commune_b.pk: users.get("nhaplieu.ngoquyen")}

    # A good-deed story about a helped person of phường Lê Chân, who agreed to publication.
    case = (
        Case.objects.filter(commune=commune_a, status__in=[CaseStatus.CONFIRMED, CaseStatus.ACTIVE])
        .order_by("pk")
        .first()
    )
    if case is not None:
        beneficiary_services.consent_record(
            actor=None,
            case=case,
            purpose=ConsentPurpose.PUBLISH,
            given_on=ctx.today - dt.timedelta(days=20),
            collected_by="Cán bộ Hội phường Lê Chân",
        )

    total = 36
    now = timezone.now()
    for i in range(total):
        unit = (
            commune_a
            if i % 4 == 0
            else commune_b
            if i % 4 == 1
            else city
            if i % 9 == 2
            else rng.choice(communes)
        )
        deed = i % 3 == 2
        title, tags = rng.choice(DEEDS if deed else NEWS)
        n = rng.randint(12, 300)
        day = ctx.today - dt.timedelta(days=int(730 * (i / total) ** 1.3) + rng.randint(0, 5))
        short = unit.name.replace("Hội Chữ thập đỏ ", "")
        writer = writers.get(unit.pk)
        story = services.story_create(
            actor=writer,
            unit=unit,
            kind=StoryKind.GOOD_DEED if deed else StoryKind.NEWS,
            title=title.format(n=n, u=short)[:200],
            summary=f"{short}: {title.format(n=n, u=short).lower()} ({day:%d/%m/%Y}).",
            body=BODY.format(u=unit.name, n=n, d=f"{day:%d/%m/%Y}"),
            tags=tags,
            case=case if (i == 5 and case is not None) else None,
        )
        for k in range(1 if i % 5 else 3):
            _image(ctx, rng, story, i * 3 + k, f"{short}, {day:%d/%m/%Y}")
        state = (
            "draft"
            if i in (1, 8)
            else "review"
            if i in (0, 4, 13)
            else "withdrawn"
            if i == 21
            else "published"
        )
        if state == "draft":
            continue
        services.story_submit(actor=writer, story=story)
        if state == "review":
            continue
        story = services.story_publish(actor=officer, story=story)
        published = timezone.make_aware(dt.datetime.combine(day, dt.time(9, rng.randint(0, 59))))
        type(story).objects.filter(pk=story.pk).update(published_at=min(published, now))
        if state == "withdrawn":
            services.story_withdraw(
                actor=officer, story=story, note="Ảnh chưa rõ sự đồng ý của người trong ảnh."
            )

    # School branches' reports: the last two school years, most branches.
    schools = list(Unit.objects.active().filter(branch_type=BranchType.SCHOOL).order_by("code"))
    start = ctx.today.year if ctx.today.month >= 8 else ctx.today.year - 1
    for year in (f"{start - 1}-{start}", f"{start}-{start + 1}"):
        for school in schools:
            if rng.random() < 0.15:
                continue  # not every branch reported
            pupils = rng.randint(300, 1800)
            youth = int(pupils * rng.uniform(0.2, 0.7))
            services.school_report_save(
                actor=None,
                unit=school,
                school_year=year,
                pupils=pupils,
                youth_members=youth,
                new_members=int(youth * rng.uniform(0.1, 0.3)),
                activities=rng.randint(2, 25),
                first_aid_trained=rng.randint(0, 200),
                pupils_helped=rng.randint(0, 40),
                value_raised=rng.randint(0, 120) * 500_000,
                note=rng.choice(["Áo ấm cho bạn", "Nuôi heo đất giúp bạn nghèo", "Tập huấn sơ cấp cứu", ""]),
            )
    ctx.log(f"  stories: {total} tin bài, {len(schools)} chi hội trường học")
