"""Public portal views.  Skeleton: filled in step by step."""

from django.http import Http404, HttpResponse
from django.shortcuts import render


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


def campaign_list(request):
    return render(request, "portal/base.html", {})


def _todo(request, code=None):
    raise Http404


campaign_detail = gift_search = spending = report = report_pdf = mobilisation_document = vietqr_png = _todo
receipt_check = _todo


def language(request, lang):
    """The switcher of the public pages: a plain link (no form, no CSRF token) so pages stay cacheable."""
    from django.conf import settings
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next") or "/minh-bach/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/minh-bach/"
    response = HttpResponseRedirect(target)
    if lang in {code for code, _ in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response
