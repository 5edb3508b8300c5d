"""What each step tells whom. Messages are written in the site's default language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import department_handlers, office_users_for_place, station_staff_for
from lianxin.notifications.services import notify

from .models import Case, CaseFollow


def _send(recipients, *, kind: str, case: Case, subject: str, body: str) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        subject=subject,
        body=body,
        case=case,
        link=reverse("cases:detail", args=[case.pk]),
    )


def _office(case: Case):
    return list(office_users_for_place(case.place)) + list(station_staff_for(case.station_id))


def _followers(case: Case):
    return [f.user for f in CaseFollow.objects.filter(case=case).select_related("user")]


def new_case(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _office(case),
            kind="new_case",
            case=case,
            subject=_("New opinion %(code)s") % {"code": case.display_code},
            body=case.text[:500],
        )


def assigned(case: Case, department, helpers) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s assigned to %(department)s") % {
            "code": case.display_code,
            "department": department.name,
        }
        body = _("Please accept or return it. Reply due: %(due)s") % {"due": _local(case.due_at)}
        _send(department_handlers(department), kind="assigned", case=case, subject=subject, body=body)
        for helper in helpers:
            _send(department_handlers(helper), kind="assigned_helper", case=case, subject=subject, body=body)


def returned(case: Case, department, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s returned by %(department)s") % {
            "code": case.display_code,
            "department": department.name if department else "",
        }
        _send(_office(case), kind="returned", case=case, subject=subject, body=reason)


def replied(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s has a reply") % {"code": case.display_code}
        _send(_followers(case), kind="replied", case=case, subject=subject, body=case.reply_text[:500])


def reopened(case: Case, reason: str = "") -> None:
    """重办: by the resident's low rating, or by the office with a reason."""
    with translation.override(settings.LANGUAGE_CODE):
        if reason:
            subject = _("Case %(code)s sent back by the congress office") % {"code": case.display_code}
        else:
            subject = _("Case %(code)s reopened: the resident is not satisfied") % {"code": case.display_code}
        body = _("Please handle it again. New reply deadline: %(due)s") % {"due": _local(case.due_at)}
        if reason:
            body = f"{body}\n{reason[:500]}"
        recipients = list(department_handlers(case.lead_department)) if case.lead_department else []
        _send(recipients + _office(case), kind="reopened", case=case, subject=subject, body=body)


def closed_with_reason(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s closed") % {"code": case.display_code}
        _send(_followers(case), kind="closed", case=case, subject=subject, body=case.closing_reason[:500])


def urged(case: Case, deputy_user, note: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Deputy %(name)s urges case %(code)s") % {"name": deputy_user, "code": case.display_code}
        recipients = list(department_handlers(case.lead_department)) if case.lead_department else _office(case)
        _send(recipients, kind="urged", case=case, subject=subject, body=note)


def due_soon(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s is due soon") % {"code": case.display_code}
        body = _("Reply due: %(due)s") % {"due": _local(case.due_at)}
        recipients = list(department_handlers(case.lead_department)) if case.lead_department else _office(case)
        _send(recipients, kind="due_soon", case=case, subject=subject, body=body)


def overdue(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Case %(code)s is overdue") % {"code": case.display_code}
        body = _("The reply was due %(due)s.") % {"due": _local(case.due_at)}
        recipients = _office(case) + _followers(case)
        if case.lead_department:
            recipients += list(department_handlers(case.lead_department))
        _send(recipients, kind="overdue", case=case, subject=subject, body=body)


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"
