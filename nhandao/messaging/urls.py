from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("tin-nhan/", views.message_list, name="messages"),
    path("tin-nhan/<int:pk>/", views.message_detail, name="message"),
    path("tin-nhan/ngung-nhan/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
