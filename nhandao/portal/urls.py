"""The public transparency portal: no login, read-only, selectors only."""

from django.urls import include, path
from django.views.decorators.cache import never_cache

from . import front, views

app_name = "portal"

urlpatterns = [
    path("minh-bach/", views.campaign_list, name="home"),
    path("minh-bach/ping/", views.ping, name="ping"),
    path("minh-bach/quy/", views.fund_list, name="funds"),
    path("minh-bach/tra-cuu/", views.gift_search_everywhere, name="search"),
    path("minh-bach/ngon-ngu/<str:lang>/", views.language, name="language"),
    path("minh-bach/bien-nhan/<str:code>/", views.receipt_check, name="receipt"),
    # The address printed in receipts' QR codes (funds builds it); never cached, as when funds served it.
    path("xac-minh/bien-nhan/<str:code>/", never_cache(views.receipt_check), name="verify_receipt"),
    path("minh-bach/chien-dich/<str:code>/", views.campaign_detail, name="campaign"),
    path("minh-bach/chien-dich/<str:code>/ung-ho/", views.gift_search, name="gifts"),
    path("minh-bach/chien-dich/<str:code>/chi/", views.spending, name="spending"),
    path("minh-bach/chien-dich/<str:code>/bao-cao/", views.report, name="report"),
    path("minh-bach/chien-dich/<str:code>/bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("minh-bach/chien-dich/<str:code>/van-ban-van-dong/", views.mobilisation_document, name="document"),
    path("minh-bach/chien-dich/<str:code>/vietqr.png", views.vietqr_png, name="vietqr"),
    path("minh-bach/thien-tai/<int:pk>/", views.incident, name="incident"),
    path("minh-bach/du-lieu/", include("nhandao.portal.data.urls")),
    # The public front (front.py): published stories, their feed and images, the press page.
    path("tin-tuc/", front.story_list, name="stories"),
    path("tin-tuc/atom.xml", front.stories_feed, name="stories_feed"),
    path("tin-tuc/<int:pk>/", front.story_detail, name="story"),
    path("tin-tuc/anh/<int:pk>.jpg", front.story_image, name="story_image"),
    path("bao-chi/", front.press, name="press"),
]
