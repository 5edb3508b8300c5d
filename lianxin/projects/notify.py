"""Messages about rounds and projects, queued in the outbox in the caller's transaction."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.accounts.selectors import department_handlers, office_users_for_place
from lianxin.notifications.services import notify


def deputy_users(round_):
    """Users of the active deputies and voter representatives whose station is in the place."""
    return get_user_model().objects.filter(
        is_active=True, deputy__active=True, deputy__station__place__path__startswith=round_.place.path
    )


def supervisor_users(project):
    return get_user_model().objects.filter(is_active=True, deputy__in=project.supervisors.all())


def _round_link(round_) -> str:
    return reverse("projects:round", args=[round_.pk])


def _project_link(project) -> str:
    return reverse("projects:project", args=[project.pk])


def solicitation_opened(round_) -> None:
    notify(
        recipients=deputy_users(round_),
        kind="project_solicitation",
        subject=_("Livelihood projects %(year)d: proposals are open") % {"year": round_.year},
        body=_("%(title)s is collecting proposals. Please pass on residents' ideas and propose projects.")
        % {"title": round_.title},
        link=_round_link(round_),
    )


def deliberation_started(round_) -> None:
    notify(
        recipients=deputy_users(round_),
        kind="project_deliberation",
        subject=_("Livelihood projects %(year)d: candidates for deliberation") % {"year": round_.year},
        body=_("The candidate list of %(title)s is ready. Please read it and comment.") % {"title": round_.title},
        link=_round_link(round_),
    )


def ballot_opened(round_) -> None:
    notify(
        recipients=deputy_users(round_),
        kind="project_ballot",
        subject=_("Livelihood projects %(year)d: the ballot is open") % {"year": round_.year},
        body=_("Please cast your vote on the candidates of %(title)s.") % {"title": round_.title},
        link=_round_link(round_),
    )


def needs_decision(round_) -> None:
    notify(
        recipients=office_users_for_place(round_.place),
        kind="project_decision",
        subject=_("The ballot needs your decision"),
        body=_("The ballot of %(title)s ended in a tie or a shortfall. Please record a decision.")
        % {"title": round_.title},
        link=_round_link(round_),
    )


def urged(project, user, note: str) -> None:
    recipients = list(office_users_for_place(project.round.place))
    if project.department_id:
        recipients += list(department_handlers(project.department))
    notify(
        recipients=recipients,
        kind="project_urged",
        subject=_("Project urged: %(title)s") % {"title": project.title},
        body=_("%(who)s urged this project: %(note)s") % {"who": user, "note": note},
        link=_project_link(project),
    )


def milestone_overdue(milestone) -> None:
    project = milestone.project
    notify(
        recipients=list(supervisor_users(project)) + list(office_users_for_place(project.round.place)),
        kind="project_milestone_overdue",
        subject=_("Milestone overdue: %(title)s") % {"title": project.title},
        body=_("“%(milestone)s” was due on %(date)s and is not done.")
        % {"milestone": milestone.title, "date": milestone.due_on},
        link=_project_link(project),
    )


def evaluation_opened(round_) -> None:
    notify(
        recipients=deputy_users(round_),
        kind="project_evaluation",
        subject=_("Livelihood projects %(year)d: please evaluate") % {"year": round_.year},
        body=_("The satisfaction survey of %(title)s is open.") % {"title": round_.title},
        link=_round_link(round_),
    )
