from django.urls import path

from . import views_public

app_name = "projects_public"
urlpatterns = [
    path("", views_public.index, name="index"),
    path("projects/<int:pk>/", views_public.project, name="project"),
    path("photos/<int:pk>", views_public.photo, name="photo"),
    path("proposals/", views_public.proposal_lookup, name="proposal_lookup"),
    path("proposals/<str:code>/", views_public.proposal, name="proposal"),
    path("<str:token>/", views_public.solicit, name="solicit"),
]
