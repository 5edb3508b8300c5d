from django.urls import path

from . import views

app_name = "hotspots"
urlpatterns = [
    path("", views.hot, name="hot"),
    path("candidates/<int:pk>/merge/", views.merge, name="merge"),
    path("candidates/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
