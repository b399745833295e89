"""At a desk, in a real browser: the city's accountant imports the real BIDV statement of the 2024
Typhoon Yagi appeal.  The file is read, then imported, in the background (django-tasks' database
backend, run here by its own worker command) while the page shows the progress; the summary's
figures are those counted independently from the raw file; the lines without a reference code
wait in the queue, where one search assigns them all to the appeal and is remembered as a rule."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from nhandao.banking.tests.conftest import bidv, yagi  # noqa: F401 (fixtures)
from nhandao.core.formatting import money, number
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIDV_FILE = Path(__file__).parents[2] / "nhandao/banking/tests/data/bidv-1261122666-2024-09-01_12.psv"


def raw_credits() -> list[int]:
    """The credit amounts of the file's transaction rows, read without the parser."""
    amounts = []
    for row in BIDV_FILE.read_text(encoding="utf-8").splitlines():
        fields = row.split("|")
        if re.match(r"^\d+\s", fields[0] + " "):
            amounts.append(int(fields[2].strip().replace(".", "")))
    return amounts


def run_the_worker():
    """What `db_worker` does beside the web server in production: run the queued tasks."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def test_a_real_statement_imported_in_the_background_then_sorted_by_one_search(
    world,
    live_server,
    browser,
    settings,
    bidv,  # noqa: F811
    yagi,  # noqa: F811
):
    from nhandao.banking.models import AssignmentRule, LineStatus, ReconciledPeriod, StatementLine
    from nhandao.core import jobs
    from nhandao.funds.models import Donation

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    credits = raw_credits()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    login(page, live_server.url, "admin")

    # A worker is up (its beat is fresh) but busy elsewhere: the page says the job waits its turn.
    jobs.beat("worker-busy-elsewhere")
    page.goto(f"{live_server.url}/ngan-hang/tai-khoan/{bidv.pk}/nhap-sao-ke/")
    page.get_by_label(re.compile("^Tệp sao kê")).set_input_files(str(BIDV_FILE))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    page.wait_for_url("**/ngan-hang/sao-ke/*/")
    # Queued: the page says so and polls; the user may leave and come back.
    assert page.locator(".job-progress progress").count() == 1
    assert page.get_by_text("bạn có thể rời trang này").is_visible()

    run_the_worker()
    commit = page.get_by_role("button", name=f"Nhập {number(len(credits))} dòng mới và ghi sổ")
    # The progress block reloads the page when the reading finished: its poll, the reload and the
    # summary of 5,807 lines take several seconds when the machine is busy (a CI run beside others).
    commit.wait_for(timeout=60000)
    summary = page.locator("table.summary").inner_text()
    assert number(len(credits)) in summary and money(sum(credits)) in summary
    assert "01/09/2024" in summary and "BIDV" in summary

    commit.click()
    page.wait_for_url("**/ngan-hang/sao-ke/*/")
    run_the_worker()
    # As above: posting 5,807 lines, the poll and the reload take longer than 20 s on a busy machine.
    page.get_by_role("rowheader", name="Đã ghi sổ ủng hộ").wait_for(timeout=60000)
    assert StatementLine.objects.filter(bank_account=bidv).count() == len(credits)
    waiting = StatementLine.objects.filter(bank_account=bidv, status=LineStatus.QUEUED)
    assert page.get_by_role("link", name=number(waiting.count())).is_visible()

    # One search, one decision, remembered for the next statements.
    page.goto(f"{live_server.url}/ngan-hang/tai-khoan/{bidv.pk}/cho-phan-loai/")
    page.get_by_text("Tìm và lọc").click()  # the filters fold away until opened
    page.get_by_label("Nội dung chứa").fill("bao so 3")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url("**q=bao+so+3**")
    matching = [line.pk for line in waiting if "bao so 3" in line.search_key]
    assert matching
    page.get_by_label("Ghi vào").select_option("campaign")
    page.locator("select[name=campaign]").select_option(str(yagi.pk))
    page.get_by_label("Áp dụng cho").select_option("search")
    page.get_by_label(re.compile("^Ghi nhớ thành quy tắc")).check()
    page.get_by_role("button", name="Ghi", exact=True).click()
    page.wait_for_load_state()
    run_the_worker()  # assigning every line a search finds is a background job
    page.reload()
    posted = Donation.objects.filter(campaign=yagi)
    assert posted.count() == len(matching)
    assert set(StatementLine.objects.filter(pk__in=matching).values_list("status", flat=True)) == {
        LineStatus.POSTED
    }
    assert AssignmentRule.objects.filter(bank_account=bidv, query="bao so 3", campaign=yagi).exists()
    # The job's page says it is done and leads back to the queue.
    page.get_by_role("link", name="Xem kết quả").click()
    page.wait_for_url(f"**/ngan-hang/tai-khoan/{bidv.pk}/**")

    # Reconcile the statement's days: what the bank holds beyond the books is the lines still
    # waiting, line by line, so nothing is unexplained; but a period with lines still waiting
    # cannot be locked yet, and the page says how many.
    waiting = StatementLine.objects.filter(bank_account=bidv, status=LineStatus.QUEUED)
    still_waiting = sum(waiting.values_list("amount", flat=True))
    page.goto(
        f"{live_server.url}/ngan-hang/tai-khoan/{bidv.pk}/doi-chieu/?date_from=01/09/2024&date_to=12/09/2024"
    )
    summary = page.locator("table.summary").inner_text()
    assert money(sum(credits)) in summary  # the statement's balance at the end of the period
    assert re.search(r"Chênh lệch\s+" + re.escape(money(still_waiting)), summary), summary
    assert re.search(r"Chưa giải thích được\s+0 ₫", summary), summary
    # The page lists why the period cannot be locked beside the lock button, which it disables
    # (the merged reconciliation page: services.lock_blockers); period_lock refuses the same way.
    assert page.get_by_role("button", name="Khóa sổ kỳ này").is_disabled()
    page.get_by_text(f"Còn {number(waiting.count())} dòng sao kê trong kỳ đang chờ phân loại").wait_for()
    assert not ReconciledPeriod.objects.exists()
    context.close()


def test_on_a_phone_the_lines_to_correct_read_as_cards_that_fit_the_screen(
    world, live_server, browser, settings
):
    """A Vietcombank-style CSV whose last line the running balance contradicts, read at 360 px: the
    six-column table of lines to correct squeezed every word to one letter a line, wider than the
    screen.  Each line is now a card: where, the raw text, the reason, the amounts named."""
    from nhandao.banking.tests.conftest import bank_account

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    vcb = bank_account(world, bin="970436", number="0031000123456", name="Vietcombank - Chi nhánh Hải Phòng")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20000)
    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/ngan-hang/tai-khoan/{vcb.pk}/nhap-sao-ke/")
    shapes = Path(__file__).parents[2] / "nhandao/banking/tests/data/shapes"
    page.get_by_label(re.compile("^Tệp sao kê")).set_input_files(str(shapes / "last-line-contradicted.csv"))
    page.get_by_role("button", name="Tải lên và đọc tệp").click()
    page.wait_for_url("**/ngan-hang/sao-ke/*/")
    run_the_worker()
    commit = page.get_by_role("button", name="Nhập 4 dòng mới và ghi sổ, giữ 1 dòng cần sửa")
    commit.wait_for(timeout=60000)
    card = page.locator("table.line-problems tbody tr")
    assert card.count() == 1
    assert card.locator("td.where").inner_text() == "Dòng 10"
    implied = card.locator("td.num").first
    assert implied.inner_text() == "2.500.000 ₫"
    # Its name is shown before it on a phone (the table's heading is hidden there).
    label = implied.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Số tiền theo số dư: "'
    reason = card.get_by_text("Số tiền đọc được là 2.000.000 ₫")
    assert reason.bounding_box()["width"] > 250  # a paragraph, not a column of letters
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    context.close()
