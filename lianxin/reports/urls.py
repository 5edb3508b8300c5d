from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("new/", views.request_report, name="request"),
    path("<int:pk>/<str:kind>/", views.download, name="download"),
]
