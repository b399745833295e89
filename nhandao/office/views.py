from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from nhandao.core import jobs as job_runner
from nhandao.core import registry, search
from nhandao.core.access import AUDIT_VIEW, ORG_VIEW, Role
from nhandao.org import access, selectors

from . import jobs

# What each role is for, said on the dashboard of those who hold it (a role a later module adds
# shows its name only until it is described here).
ROLE_PURPOSES = {
    Role.CITY_ADMIN: _("Quản trị cây tổ chức, tài khoản và cấu hình của cả thành phố."),
    Role.UNIT_MANAGER: _(
        "Quản lý đơn vị: hội viên, hồ sơ trợ giúp, quỹ và cuộc vận động; xác nhận hồ sơ, hợp nhất hồ sơ trùng."
    ),
    Role.DATA_ENTRY: _(
        "Nhập hội viên, tình nguyện viên, hồ sơ đối tượng và các lần trợ giúp; nhập danh sách từ Excel."
    ),
    Role.FINANCE_OFFICER: _("Ghi nhận ủng hộ, lập khoản chi, nhập sao kê ngân hàng."),
    Role.FINANCE_APPROVER: _("Duyệt hoặc không duyệt khoản chi, đối chiếu và khóa sổ sao kê."),
    Role.VIEWER: _("Xem danh sách và số liệu của đơn vị (không có số giấy tờ, dân tộc, thông tin sức khỏe)."),
    Role.INSPECTOR: _("Kiểm tra, giám sát: đọc mọi hồ sơ và nhật ký trong phạm vi, không sửa dữ liệu."),
    Role.AGENCY_REPORTER: _(
        "Lập và nộp báo cáo của cơ quan về các nhiệm vụ kế hoạch giao; theo dõi số liệu trợ giúp nhân đạo "
        "tổng hợp (không có tên người)."
    ),
    Role.MEDICAL_STAFF: _(
        "Khám sàng lọc người hiến máu tại buổi hiến máu: ghi chỉ số sức khỏe, chấp nhận hoặc hoãn hiến."
    ),
    Role.COMMUNICATION_OFFICER: _(
        "Duyệt và đăng tin bài, gương người tốt việc thiện lên trang công khai; gỡ bài khi cần."
    ),
}


def home(request):
    """Public landing page for visitors; each user's own dashboard once logged in."""
    if not request.user.is_authenticated:
        front = registry.public_home()  # the public front (portal) when installed
        return front(request) if front is not None else render(request, "office/landing.html")
    units = list(access.home_units(request.user, ORG_VIEW)[:20])
    roles = [
        {
            "label": a.get_role_display(),
            "where": a.agency.name if a.agency_id else a.unit.name,
            "purpose": ROLE_PURPOSES.get(a.role, ""),
        }
        for a in selectors.roles_held(request.user)
    ]
    panels = [{"unit": unit, "counters": selectors.unit_counts(unit, request.user)} for unit in units[:5]]
    recent = []
    if access.has_perm(request.user, AUDIT_VIEW):
        recent = list(selectors.audit_events(request.user)[:10])
    return render(
        request,
        "office/dashboard.html",
        {
            "panels": panels,
            "more_units": units[5:],
            "recent": recent,
            "roles": roles,
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def job_detail(request, pk):
    """A background job's progress: the page polls its bar and shows the result's link when done."""
    job = jobs.visible(request.user, pk)
    return render(request, "office/jobs/job.html", {"job": job})


@login_required
@never_cache
def job_progress(request, pk):
    """The progress bar alone (HTMX polls it); when the job ends, the page around it reloads."""
    job = jobs.visible(request.user, pk)
    # The fragment polls on with the same question: a page that reloads when the job ends asks
    # every time, not only the first (a job longer than a poll never reloaded its page).
    reload = request.GET.get("reload") == "1"
    response = render(request, "office/jobs/_progress.html", {"job": job, "reload": reload})
    if job.finished and request.headers.get("HX-Request") and reload:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_retry(request, pk):
    """Queue a failed job again (its requester only; the work is idempotent)."""
    job = jobs.visible(request.user, pk)
    try:
        job_runner.retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("office:job", pk=job.pk)


@login_required
@never_cache
def search_choices(request, source):
    """The search-as-you-type list of one source (core.search): what the user may pick, in scope."""
    found = search.SOURCES.get(source)
    if found is None:
        raise Http404
    if found.perm:
        access.require(request.user, found.perm)
    return JsonResponse({"results": search.results(found, request.user, request.GET.get("q", ""))})
