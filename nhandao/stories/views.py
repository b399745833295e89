"""The staff's pages of stories (write, review, images) and of school reports.  Thin: every read
through selectors, every write through one service.  The public pages are the portal's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nhandao.core.access import SCHOOLS_REPORT, STORIES_REVIEW, STORIES_VIEW, STORIES_WRITE
from nhandao.core.forms import apply_errors
from nhandao.core.pagination import paginate
from nhandao.org import access

from . import forms, selectors, services
from .choices import StoryStatus


@login_required
def story_list(request):
    access.require(request.user, STORIES_VIEW)
    qs = selectors.stories_visible(request.user)
    status = request.GET.get("trang_thai", "")
    if status in StoryStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "stories/story_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": StoryStatus.choices,
            "can_write": access.has_perm(request.user, STORIES_WRITE),
        },
    )


@login_required
def story_create(request):
    access.require(request.user, STORIES_WRITE)
    form = forms.StoryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp. Thêm ảnh rồi gửi duyệt."))
            return redirect(story)
    return render(request, "stories/form.html", {"form": form, "title": _("Viết tin bài")})


@login_required
def story_detail(request, pk):
    story = selectors.story_get(request.user, pk)
    user = request.user
    can_write = access.has_perm(user, STORIES_WRITE, story.unit)
    return render(
        request,
        "stories/story_detail.html",
        {
            "story": story,
            "images": selectors.story_images(story),
            "can_write": can_write and story.status == StoryStatus.DRAFT,
            "can_submit": can_write and story.status == StoryStatus.DRAFT,
            "can_redraft": can_write and story.status == StoryStatus.WITHDRAWN,
            "can_review": access.has_perm(user, STORIES_REVIEW, story.unit)
            and story.status == StoryStatus.IN_REVIEW,
            "can_withdraw": access.has_perm(user, STORIES_REVIEW, story.unit)
            and story.status == StoryStatus.PUBLISHED,
            "image_form": forms.ImageForm(),
            "note_form": forms.NoteForm(),
        },
    )


@login_required
def story_edit(request, pk):
    story = selectors.story_get(request.user, pk)
    access.require(request.user, STORIES_WRITE, story.unit)
    initial = {
        "kind": story.kind,
        "title": story.title,
        "summary": story.summary,
        "body": story.body,
        "tags": story.tags,
        "case": story.case_id,
    }
    form = forms.StoryForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_update(actor=request.user, story=story, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(story)
    return render(request, "stories/form.html", {"form": form, "title": _("Sửa tin bài"), "story": story})


def _transition(request, pk, service, done: str, *, with_note: bool = False):
    story = selectors.story_get(request.user, pk)
    form = forms.NoteForm(request.POST)
    kwargs = {"note": form.data.get("note", "")} if with_note else {}
    try:
        service(actor=request.user, story=story, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(story)


@login_required
@require_POST
def story_submit(request, pk):
    return _transition(request, pk, services.story_submit, _("Đã gửi bài cho cán bộ truyền thông duyệt."))


@login_required
@require_POST
def story_publish(request, pk):
    return _transition(request, pk, services.story_publish, _("Đã đăng bài."), with_note=True)


@login_required
@require_POST
def story_return(request, pk):
    return _transition(
        request, pk, services.story_return, _("Đã trả bài cho người viết sửa."), with_note=True
    )


@login_required
@require_POST
def story_withdraw(request, pk):
    return _transition(
        request, pk, services.story_withdraw, _("Đã gỡ bài khỏi trang công khai."), with_note=True
    )


@login_required
@require_POST
def story_redraft(request, pk):
    return _transition(request, pk, services.story_redraft, _("Bài đã trở lại bản nháp."))


@login_required
@require_POST
def image_add(request, pk):
    story = selectors.story_get(request.user, pk)
    form = forms.ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.image_add(
                actor=request.user,
                story=story,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thêm ảnh (đã thu nhỏ, xóa thông tin vị trí và máy chụp)."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(story)


@login_required
@require_POST
def image_remove(request, pk):
    image = selectors.image_get(request.user, pk)
    story = image.story
    try:
        services.image_remove(actor=request.user, image=image)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(story)


@login_required
def image_file(request, pk):
    """A story's image for its unit's staff (drafts included); the public's is the portal's."""
    image = selectors.image_get(request.user, pk)
    response = FileResponse(image.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


# Schools ---------------------------------------------------------------------------------------
@login_required
def school_list(request):
    if not selectors.sees_schools(request.user):
        raise PermissionDenied
    years = selectors.school_years(request.user)
    year = request.GET.get("nam_hoc", "")
    if year not in years:
        year = years[0] if years else ""
    qs = selectors.school_reports(request.user, school_year=year)
    return render(
        request,
        "stories/school_list.html",
        {
            "page": paginate(request, qs),
            "totals": selectors.school_totals(qs),
            "years": years,
            "year": year,
            "can_report": access.has_perm(request.user, SCHOOLS_REPORT),
        },
    )


@login_required
def school_report(request):
    access.require(request.user, SCHOOLS_REPORT)
    initial = {"school_year": selectors.current_school_year()}
    form = forms.SchoolReportForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["value_raised"] = data.get("value_raised") or 0
        try:
            services.school_report_save(actor=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu báo cáo của chi hội trường học."))
            return redirect("stories:schools")
    return render(request, "stories/form.html", {"form": form, "title": _("Báo cáo chi hội trường học")})
