from django.urls import path

from . import views_public

app_name = "public"
urlpatterns = [
    path("", views_public.home, name="home"),
    path("q/<str:token>", views_public.intake, name="intake"),
    path("t/", views_public.track_lookup, name="track_lookup"),
    path("t/<str:code>", views_public.track, name="track"),
    path("t/<str:code>/rate", views_public.rate, name="rate"),
    path("t/<str:code>/photos/<int:photo_id>", views_public.photo, name="photo"),
    path("public/", views_public.disclosure, name="disclosure"),
]
