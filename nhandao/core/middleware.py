from __future__ import annotations

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render
from django.utils import translation

from . import audit
from .text import strip_invisible


class LanguageMiddleware:
    """Vietnamese unless the user chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to every officer whose phone is set to English.  Here only an
    explicit choice (the language cookie set by the switcher) changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        translation.deactivate()
        return response


class AuditContextMiddleware:
    """Attach the client address to audit events recorded during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR") or None
        channel = "admin" if request.path.startswith("/admin/") else "web"
        token = audit.set_context(audit.Context(ip=ip, via=channel))
        try:
            return self.get_response(request)
        finally:
            audit.reset_context(token)


class CleanInputMiddleware:
    """Input is cleaned at the edge, in one place: every query-string and form value loses its
    control, zero-width and direction-override characters before any view sees it (a NUL byte
    made PostgreSQL fail; an override character could reverse a donor's name on the portal).
    Uploaded files are left as they are: their readers check them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _cleaned(params):
    if not any(
        strip_invisible(k) != k or any(strip_invisible(v) != v for v in params.getlist(k)) for k in params
    ):
        return params
    cleaned = params.copy()
    for key in list(cleaned):
        values = [strip_invisible(v) for v in cleaned.getlist(key)]
        del cleaned[key]
        cleaned.setlist(strip_invisible(key), values)
    cleaned._mutable = False
    return cleaned


# PostgreSQL's answers when a statement waited too long (settings: DATABASE_LOCK_TIMEOUT_MS,
# DATABASE_STATEMENT_TIMEOUT_MS): lock_not_available and query_canceled.
BUSY_SQLSTATES = {"55P03", "57014"}


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


class DatabaseBusyMiddleware:
    """A request that waited past the lock or statement timeout (a row held by a long import, a
    ledger head held by another posting) fails fast with a clear page, 503 and Retry-After, instead
    of a server error after a minute; its transaction was rolled back, so nothing was written.
    Reads take no row locks and keep working meanwhile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or _sqlstate(exception) not in BUSY_SQLSTATES:
            return None
        response = render(request, "503_busy.html", status=503)
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
