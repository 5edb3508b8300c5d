from django.urls import path

from . import views

app_name = "routing"
urlpatterns = [
    path("cases/<int:pk>/accept", views.accept, name="accept"),
    path("models/", views.model_list, name="models"),
    path("auto/", views.auto_settings, name="auto_settings"),
]
