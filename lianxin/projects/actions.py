"""What the round page and the project page offer: for each posted action, its form, the
workflow action that allows it, the service it calls, and the message after success."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.errors import ApplicationError

from . import ballot, forms, services
from . import services_implementation as impl
from .models import Inspection, Remark
from .workflow import Action


@dataclass(frozen=True)
class Spec:
    action: Action
    form: Callable[..., Any] | None
    run: Callable[..., Any]
    done: str


def _form(cls, **extra):
    return lambda data, files, *, user, obj, prefix: cls(
        data, files, prefix=prefix, **{k: f(user, obj) for k, f in extra.items()}
    )


def _round_of(user, obj):
    return obj


def _case_by_code(user, code: str):
    from django.http import Http404

    from lianxin.cases.selectors import case_get_by_tracking_code, case_get_for_user

    try:
        case = case_get_by_tracking_code(code)
        return case_get_for_user(user, case.pk)
    except Http404:
        raise ApplicationError(_("No opinion with this tracking code in your places."), code="case_unknown") from None


def _promote(r, user, d):
    services.proposal_from_case(round_=r, case=_case_by_code(user, d["tracking_code"]), actor=user, title=d["title"])


def _add_candidate(r, user, d):
    """A candidate made from proposals starts with the first one's place and reason (editable)."""
    proposals = list(d["proposals"])
    first = proposals[0] if proposals else None
    return services.candidate_create(
        round_=r,
        actor=user,
        title=d["title"],
        description=first.reason if first else "",
        location=first.location if first else "",
        proposals=proposals,
    )


def _tz(value):
    return value if value is None or timezone.is_aware(value) else timezone.make_aware(value)


ROUND_ACTIONS: dict[str, Spec] = {
    "configure": Spec(
        Action.CONFIGURE,
        _form(forms.ConfigureForm),
        lambda r, u, d: services.round_configure(
            round_=r,
            actor=u,
            seats=d["seats"],
            ratio=d["ratio"],
            window_opens_at=_tz(d["window_opens_at"]),
            window_closes_at=_tz(d["window_closes_at"]),
        ),
        _("Settings saved."),
    ),
    "open_solicitation": Spec(
        Action.OPEN_SOLICITATION,
        None,
        lambda r, u, d: services.round_open_solicitation(round_=r, actor=u),
        _("Solicitation opened; the deputies were told."),
    ),
    "propose": Spec(
        Action.PROPOSE,
        _form(forms.ProposalStaffForm),
        lambda r, u, d: services.proposal_submit(round_=r, actor=u, **d),
        _("Proposal recorded."),
    ),
    "promote_case": Spec(
        Action.PROMOTE_CASE, _form(forms.PromoteCaseForm), _promote, _("The opinion is now a proposal.")
    ),
    "close_solicitation": Spec(
        Action.CLOSE_SOLICITATION,
        None,
        lambda r, u, d: services.round_close_solicitation(round_=r, actor=u),
        _("Solicitation closed."),
    ),
    "add_candidate": Spec(
        Action.EDIT_CANDIDATES,
        _form(forms.CandidateAddForm, round_=_round_of),
        lambda r, u, d: _add_candidate(r, u, d),
        _("Candidate added."),
    ),
    "merge": Spec(
        Action.EDIT_CANDIDATES,
        _form(forms.MergeForm, round_=_round_of),
        lambda r, u, d: services.proposals_merge(candidate=d["candidate"], actor=u, proposals=list(d["proposals"])),
        _("Proposals merged."),
    ),
    "send_to_deliberation": Spec(
        Action.SEND_TO_DELIBERATION,
        None,
        lambda r, u, d: services.round_send_to_deliberation(round_=r, actor=u),
        _("Sent to deliberation."),
    ),
    "meeting_note": Spec(
        Action.MEETING_NOTE,
        _form(forms.RemarkForm, round_=_round_of),
        lambda r, u, d: services.remark_add(
            round_=r, actor=u, text=d["text"], candidate=d["candidate"], kind=Remark.Kind.MEETING_NOTE
        ),
        _("Notes saved."),
    ),
    "comment": Spec(
        Action.COMMENT,
        _form(forms.RemarkForm, round_=_round_of),
        lambda r, u, d: services.remark_add(
            round_=r, actor=u, text=d["text"], candidate=d["candidate"], kind=Remark.Kind.COMMENT
        ),
        _("Comment saved."),
    ),
    "open_ballot": Spec(
        Action.OPEN_BALLOT,
        _form(forms.BallotWindowForm),
        lambda r, u, d: ballot.round_open_ballot(
            round_=r, actor=u, closes_at=_tz(d["closes_at"]), paper=d["method"] == forms.BallotWindowForm.PAPER
        ),
        _("Ballot opened; the deputies were told."),
    ),
    "close_ballot": Spec(
        Action.CLOSE_BALLOT,
        None,
        lambda r, u, d: ballot.round_close_ballot(round_=r, actor=u),
        _("Ballot closed and counted."),
    ),
    "decide": Spec(
        Action.DECIDE,
        _form(forms.DecisionForm, round_=_round_of),
        lambda r, u, d: ballot.round_decide(
            round_=r, actor=u, note=d["note"], adopt=list(d["adopt"]), reject=list(d["reject"])
        ),
        _("Decision recorded."),
    ),
    "start_implementation": Spec(
        Action.START_IMPLEMENTATION,
        None,
        lambda r, u, d: impl.round_start_implementation(round_=r, actor=u),
        _("Implementation started."),
    ),
    "open_evaluation": Spec(
        Action.OPEN_EVALUATION,
        _form(forms.SurveyWindowForm),
        lambda r, u, d: impl.round_open_evaluation(
            round_=r, actor=u, opens_at=_tz(d["opens_at"]), closes_at=_tz(d["closes_at"]), dimensions=d["dimensions"]
        ),
        _("Survey opened."),
    ),
    "start_look_back": Spec(
        Action.START_LOOK_BACK,
        None,
        lambda r, u, d: impl.round_start_look_back(round_=r, actor=u),
        _("Look-back started."),
    ),
    "close": Spec(Action.CLOSE, None, lambda r, u, d: impl.round_close(round_=r, actor=u), _("Round closed.")),
}


def _inspection(project, pk):
    if not pk:
        return None
    found = Inspection.objects.filter(project=project, pk=pk).first()
    if found is None:
        raise ApplicationError(_("This inspection does not exist."), code="not_found")
    return found


def _milestone(project, pk):
    found = project.milestones.filter(pk=pk).first()
    if found is None:
        raise ApplicationError(_("This milestone does not exist."), code="not_found")
    return found


def _survey_form(data, files, *, user, obj, prefix):
    return forms.survey_form_class(obj.round)(data, files, prefix=prefix)


def _survey(project, user, data):
    scores = {k[6:]: v for k, v in data.items() if k.startswith("score_")}
    impl.survey_respond(project=project, scores=scores, comment=data["comment"], actor=user)


PROJECT_ACTIONS: dict[str, Spec] = {
    "survey": Spec(Action.RESPOND_SURVEY, _survey_form, _survey, _("Thank you for your rating.")),
    "plan": Spec(
        Action.PLAN,
        _form(forms.PlanForm, user=lambda u, p: u, project=lambda u, p: p),
        lambda p, u, d: impl.project_plan(
            project=p, actor=u, department=d["department"], budget=d["budget"], supervisors=list(d["supervisors"])
        ),
        _("Plan saved."),
    ),
    "milestone": Spec(
        Action.PLAN,
        _form(forms.MilestoneForm),
        lambda p, u, d: impl.milestone_add(project=p, actor=u, **d),
        _("Milestone added."),
    ),
    "milestone_reschedule": Spec(
        Action.PLAN,
        _form(forms.MilestoneRescheduleForm, project=lambda u, p: p),
        # The form's choices are this project's open milestones: no second look-up.
        lambda p, u, d: impl.milestone_reschedule(
            milestone=d["milestone"], actor=u, due_on=d["due_on"], reason=d["reason"]
        ),
        _("Milestone rescheduled."),
    ),
    "milestone_done": Spec(
        Action.PROGRESS,
        _form(forms.MilestoneDoneForm),
        lambda p, u, d: impl.milestone_done(milestone=_milestone(p, d["milestone"]), actor=u),
        _("Milestone done."),
    ),
    "progress": Spec(
        Action.PROGRESS,
        _form(forms.ProgressForm),
        lambda p, u, d: impl.progress_report(project=p, actor=u, **d),
        _("Progress reported."),
    ),
    "urge": Spec(
        Action.URGE,
        _form(forms.UrgeForm),
        lambda p, u, d: impl.project_urge(project=p, actor=u, note=d["note"]),
        _("Urged; the department and the office were told."),
    ),
    "inspect": Spec(
        Action.INSPECT,
        _form(forms.InspectForm),
        lambda p, u, d: impl.inspection_record(
            project=p,
            actor=u,
            findings=d["findings"],
            upkeep_ok=d["upkeep_ok"],
            in_use=d["in_use"],
            inspection=_inspection(p, d["inspection"]),
        ),
        _("Inspection recorded."),
    ),
    "schedule": Spec(
        Action.INSPECT,
        _form(forms.ScheduleForm),
        lambda p, u, d: impl.look_back_schedule(project=p, actor=u, scheduled_on=d["scheduled_on"]),
        _("Look-back scheduled."),
    ),
    "follow_up": Spec(
        Action.FOLLOW_UP_CASE,
        _form(forms.FollowUpForm),
        lambda p, u, d: impl.follow_up_case(inspection=_inspection(p, d["inspection"]), actor=u, text=d["text"]),
        _("Follow-up case opened."),
    ),
}
