"""Residents' pages: no login, no JavaScript needed. (Being built.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"title": "Lianxin", "message": ""})


def intake(request: HttpRequest, token: str) -> HttpResponse:
    raise NotImplementedError


def intake_after_csrf_failure(request: HttpRequest, kwargs: dict) -> HttpResponse:
    raise NotImplementedError


def track_lookup(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def track(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError


def rate(request: HttpRequest, code: str) -> HttpResponse:
    raise NotImplementedError


def disclosure(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
