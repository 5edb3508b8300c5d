"""The in-app inbox: unread messages first, each linking to its case."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .selectors import inbox_for_user, unread_count
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 50


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    items = inbox_for_user(request.user).order_by(unread_first, "-created_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread_count(request.user)})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the recipient's own rows are touched; another user's id silently changes nothing.
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
