"""Staff screens. (Being built.)"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def work(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def assisted_intake(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
