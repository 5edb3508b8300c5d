from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.code_list, name="list"),
    path("d/<int:pk>/qr.png", views.deputy_qr, {"fmt": "png"}, name="deputy_png"),
    path("d/<int:pk>/qr.svg", views.deputy_qr, {"fmt": "svg"}, name="deputy_svg"),
    path("d/<int:pk>/poster.pdf", views.deputy_poster, name="deputy_poster"),
    path("s/<int:pk>/qr.png", views.station_qr, {"fmt": "png"}, name="station_png"),
    path("s/<int:pk>/qr.svg", views.station_qr, {"fmt": "svg"}, name="station_svg"),
    path("s/<int:pk>/poster.pdf", views.station_poster, name="station_poster"),
]
