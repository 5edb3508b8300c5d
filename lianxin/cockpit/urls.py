from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("", views.home, name="home"),
    path("screen/", views.screen, name="screen"),
    path("hot/", views.hot, name="hot"),
]
