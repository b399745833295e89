import posixpath

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import Http404
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

admin.site.site_header = "nhandao"
admin.site.site_title = "nhandao"

urlpatterns = [
    path("", include("nhandao.office.urls")),
    path("tai-khoan/", include("nhandao.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("nhandao.org.urls")),
    path("", include("nhandao.people.urls")),
    path("", include("nhandao.messaging.urls")),
    path("", include("nhandao.beneficiaries.urls")),
    path("", include("nhandao.campaigns.urls")),
    path("", include("nhandao.funds.urls")),
    path("", include("nhandao.banking.urls")),
    path("", include("nhandao.relief.urls")),
    path("", include("nhandao.plans.urls")),
    path("", include("nhandao.blood.urls")),
    path("", include("nhandao.privacy.urls")),
    path("", include("nhandao.stories.urls")),
    path("", include("nhandao.movements.urls")),
    # The portal's open data under its own namespace (portal_data:…), ahead of the portal's pages.
    path("minh-bach/du-lieu/", include("nhandao.portal.data.urls")),
    path("", include("nhandao.portal.urls")),
    path("admin/", admin.site.urls),
]


def serve_public_media(request, path, document_root=None, show_indexes=False):
    """Development only.  MEDIA_ROOT/private (evidence of help given, …) is never served by URL:
    those files go out through views that check who asks."""
    clean = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    if clean == "private" or clean.startswith("private/"):
        raise Http404
    return serve(request, path, document_root=document_root, show_indexes=show_indexes)


if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, view=serve_public_media, document_root=settings.MEDIA_ROOT)
