from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.work, name="work"),
    path("new/", views.assisted_intake, name="assisted_intake"),
    path("cases/<int:pk>/", views.detail, name="detail"),
]
