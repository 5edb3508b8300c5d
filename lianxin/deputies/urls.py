from django.http import HttpResponse
from django.urls import path

app_name = "deputies"
urlpatterns = [path("", lambda r: HttpResponse(""), name="list")]
