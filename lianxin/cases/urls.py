from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.work, name="work"),
    path("export.<str:fmt>", views.export, name="export"),
    path("new/", views.assisted_intake, name="assisted_intake"),
    path("cases/<int:pk>/", views.detail, name="detail"),
    path("cases/<int:pk>/act/<str:action>", views.act, name="act"),
    path("cases/<int:pk>/promote-to-project", views.promote_to_project, name="promote_to_project"),
    path("photos/<int:pk>", views.photo, name="photo"),
]
