import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_pages_are_vietnamese_even_for_an_english_browser(db, client):
    response = client.get("/tai-khoan/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body


def test_english_is_available_by_choice(db, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/dang-nhap/"}, follow=True)
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body
    assert "Tiếng Việt" in body  # the way back


def test_unknown_page_is_a_vietnamese_404(db, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_500_page_is_static_vietnamese_without_a_trace():
    body = (ROOT / "nhandao" / "templates" / "500.html").read_text()
    assert "Đã có lỗi trong hệ thống" in body
    assert "{%" not in body and "Traceback" not in body


def test_server_error_shows_the_500_page(db, client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret detail")

    import nhandao.urls as urls

    settings.ROOT_URLCONF = type("U", (), {"urlpatterns": [path("boom/", boom), *urls.urlpatterns]})
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Đã có lỗi trong hệ thống" in body
    assert "secret detail" not in body


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "p" * 20 + "r0duct10n-k3y-" + "x" * 30,
        "ALLOWED_HOSTS": "nhandao.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    for name in ("HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG_PROPAGATE_EXCEPTIONS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_external_assets_in_the_base_layout():
    body = (ROOT / "nhandao" / "templates" / "base.html").read_text()
    assert "http://" not in body and "https://" not in body
    assert settings.STATIC_URL == "/static/"
