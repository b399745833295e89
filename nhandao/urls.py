from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "nhandao"
admin.site.site_title = "nhandao"

urlpatterns = [
    path("", include("nhandao.core.urls")),
    path("tai-khoan/", include("nhandao.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("nhandao.org.urls")),
    path("", include("nhandao.people.urls")),
    path("", include("nhandao.beneficiaries.urls")),
    path("", include("nhandao.campaigns.urls")),
    path("", include("nhandao.funds.urls")),
    path("", include("nhandao.banking.urls")),
    path("", include("nhandao.portal.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
