from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/act/<str:action>", views.round_act, name="act"),
    path("rounds/<int:pk>/qr.svg", views.round_qr, name="qr"),
    path("candidates/<int:pk>/", views.candidate_edit, name="candidate"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/act/<str:action>", views.project_act, name="project_act"),
    path("photos/<int:pk>", views.photo, name="photo"),
]
