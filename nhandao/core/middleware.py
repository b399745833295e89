from __future__ import annotations

from django.conf import settings
from django.utils import translation

from . import audit


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
