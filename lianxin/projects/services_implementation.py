"""Writes after the ballot: implementation (plan, milestones, progress with photos, urging,
inspections), the satisfaction survey, the look-back and its follow-up cases, closing.
Same rules as services.py: state table, one timeline event per write, same transaction."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.photos import ProcessedPhoto
from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from . import notify
from .models import (
    Candidate,
    CandidateStatus,
    Inspection,
    InspectionKind,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    RespondentKind,
    Round,
    SurveyResponse,
)
from .services import _deputy_of, _money, actor_for, clean_text, record, step
from .workflow import Action, Actor, Status


def _project_actor(user, project: Candidate, action: Action) -> Actor:
    if project.status != CandidateStatus.ADOPTED:
        raise ApplicationError(_("Only an adopted project can be implemented."), code="not_adopted")
    return actor_for(user, project.round, action, project=project)


# --- moving the round on ------------------------------------------------------------------


@transaction.atomic
def round_start_implementation(*, round_: Round, actor) -> Round:
    if round_.needs_decision or round_.candidates.filter(status=CandidateStatus.UNDECIDED).exists():
        raise ApplicationError(
            _("The ballot ended in a tie or a shortfall: record a decision first."), code="decision_missing"
        )
    step(actor, round_, Action.START_IMPLEMENTATION)
    return round_


@transaction.atomic
def round_open_evaluation(
    *, round_: Round, actor, opens_at: datetime, closes_at: datetime, dimensions: list[dict] | None = None
) -> Round:
    if closes_at <= opens_at:
        raise ApplicationError(_("The window must close after it opens."), code="window_invalid")
    fields = {"survey_opens_at": opens_at, "survey_closes_at": closes_at}
    if dimensions:
        if any(not d.get("key") or not d.get("zh") for d in dimensions):
            raise ApplicationError(
                _("Each survey dimension needs a key and a Chinese name."), code="dimensions_invalid"
            )
        fields["survey_dimensions"] = dimensions
    step(actor, round_, Action.OPEN_EVALUATION, **fields)
    notify.evaluation_opened(round_)
    return round_


@transaction.atomic
def round_start_look_back(*, round_: Round, actor) -> Round:
    step(actor, round_, Action.START_LOOK_BACK)
    return round_


@transaction.atomic
def round_close(*, round_: Round, actor) -> Round:
    step(actor, round_, Action.CLOSE)
    return round_


# --- implementation -----------------------------------------------------------------------


@transaction.atomic
def project_plan(*, project: Candidate, actor, department, budget, supervisors: Sequence) -> Candidate:
    role = _project_actor(actor, project, Action.PLAN)
    if department is None:
        raise ApplicationError(_("Choose the lead department."), code="department_missing")
    outside = [d for d in supervisors if not d.station.place.path.startswith(project.round.place.path)]
    if outside:
        raise ApplicationError(_("A supervisor is not a deputy of this place."), code="supervisor_outside")
    project.department = department
    project.budget = _money(budget, _("Budget"))
    project.updated_at = clock.now()
    project.save(update_fields=["department", "budget", "updated_at"])
    project.supervisors.set(supervisors)
    record(
        project.round,
        action=Action.PLAN,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        data={
            "department": department.pk,
            "budget": str(project.budget or ""),
            "supervisors": [d.pk for d in supervisors],
        },
    )
    return project


MILESTONE_YEARS = 5  # a project adopted for year Y is planned within Y … Y+5


@transaction.atomic
def milestone_add(*, project: Candidate, actor, title: str, due_on: date) -> Milestone:
    role = _project_actor(actor, project, Action.PLAN)
    title = clean_text(title, label=_("Milestone"), minimum=2, maximum=100)
    if due_on is None:
        raise ApplicationError(_("Give the milestone's date."), code="date_missing")
    _check_milestone_date(project, due_on)
    milestone = Milestone.objects.create(project=project, title=title, due_on=due_on)
    record(
        project.round,
        action=Action.PLAN,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        note=_("Milestone: %(title)s, due %(date)s") % {"title": title, "date": due_on},
        data={"milestone": milestone.pk},
    )
    return milestone


def _check_milestone_date(project: Candidate, due_on: date) -> None:
    year = project.round.year
    first, last = date(year, 1, 1), date(year + MILESTONE_YEARS, 12, 31)
    if not first <= due_on <= last:
        raise ApplicationError(
            _("A milestone of the %(year)s projects must fall between %(first)s and %(last)s.")
            % {"year": year, "first": first, "last": last},
            code="date_out_of_range",
        )


@transaction.atomic
def milestone_reschedule(*, milestone: Milestone, actor, due_on: date, reason: str) -> Milestone:
    """Move an open milestone's date; the old and new dates and the reason go on the public
    timeline, so a slipping project shows it. A new date in the future may be reminded again."""
    project = milestone.project
    role = _project_actor(actor, project, Action.PLAN)
    reason = clean_text(reason, label=_("Reason"), minimum=4, maximum=500)
    _check_milestone_date(project, due_on)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ApplicationError(_("This milestone is already done."), code="conflict")
    if milestone.due_on == due_on:
        raise ApplicationError(_("That is the milestone's date already."), code="unchanged")
    old = milestone.due_on
    milestone.due_on = due_on
    milestone.overdue_notified_at = None
    milestone.save(update_fields=["due_on", "overdue_notified_at"])
    record(
        project.round,
        action=Action.PLAN,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        note=_("Milestone %(title)s moved from %(old)s to %(new)s: %(reason)s")
        % {"title": milestone.title, "old": old, "new": due_on, "reason": reason},
        data={"milestone": milestone.pk, "from": str(old), "to": str(due_on)},
    )
    return milestone


@transaction.atomic
def milestone_done(*, milestone: Milestone, actor) -> Milestone:
    project = milestone.project
    role = _project_actor(actor, project, Action.PROGRESS)
    if Milestone.objects.filter(pk=milestone.pk, done_at__isnull=True).update(done_at=clock.now()) != 1:
        raise ApplicationError(_("This milestone is already done."), code="conflict")
    milestone.refresh_from_db()
    record(
        project.round,
        action=Action.PROGRESS,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        note=_("Milestone done: %(title)s") % {"title": milestone.title},
        data={"milestone_done": milestone.pk},
    )
    return milestone


@transaction.atomic
def progress_report(
    *, project: Candidate, actor, text: str, percent_done: int | None = None, photos: Sequence[ProcessedPhoto] = ()
) -> ProgressReport:
    role = _project_actor(actor, project, Action.PROGRESS)
    text = clean_text(text, label=_("Progress"), minimum=5)
    if percent_done is not None and not 0 <= percent_done <= 100:
        raise ApplicationError(_("Progress must be between 0 and 100%."), code="percent_invalid")
    report = ProgressReport.objects.create(project=project, author=actor, text=text, percent_done=percent_done)
    for photo in photos:
        ProgressPhoto.objects.create(report=report, image=photo.as_file(), width=photo.width, height=photo.height)
    fields = {"updated_at": clock.now()}
    if percent_done is not None:
        fields["percent_done"] = percent_done
        if percent_done == 100 and not project.completed_at:
            fields["completed_at"] = clock.now()
    Candidate.objects.filter(pk=project.pk).update(**fields)
    for name, value in fields.items():
        setattr(project, name, value)
    record(
        project.round,
        action=Action.PROGRESS,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        note=text,
        data={"report": report.pk, "percent_done": percent_done, "photos": len(photos)},
    )
    return report


def _is_supervisor(user, project: Candidate) -> bool:
    deputy = _deputy_of(user)
    return bool(deputy) and project.supervisors.filter(pk=deputy.pk).exists()


@transaction.atomic
def project_urge(*, project: Candidate, actor, note: str) -> None:
    """督办: a supervising deputy (or the office) presses the lead department."""
    role = _project_actor(actor, project, Action.URGE)
    if role is Actor.DEPUTY and not _is_supervisor(actor, project):
        raise ApplicationError(_("Only the project's supervision group may urge it."), code="not_supervisor")
    note = clean_text(note, label=_("Note"), minimum=2, maximum=1000)
    record(project.round, action=Action.URGE, actor_role=role, user=actor, project=project, note=note, public=True)
    notify.urged(project, actor, note)


@transaction.atomic
def inspection_record(
    *,
    project: Candidate,
    actor,
    findings: str,
    upkeep_ok: bool | None = None,
    in_use: bool | None = None,
    inspection: Inspection | None = None,
) -> Inspection:
    """A supervision inspection (implementing) or a look-back (回头看, later states); a scheduled
    look-back is completed when `inspection` is given."""
    round_ = project.round
    role = _project_actor(actor, project, Action.INSPECT)
    if role is Actor.DEPUTY and round_.status == Status.IMPLEMENTING and not _is_supervisor(actor, project):
        raise ApplicationError(_("Only the project's supervision group may inspect it."), code="not_supervisor")
    findings = clean_text(findings, label=_("Findings"), minimum=4)
    kind = InspectionKind.SUPERVISION if round_.status == Status.IMPLEMENTING else InspectionKind.LOOK_BACK
    if inspection is None:
        inspection = Inspection(project=project, kind=kind)
    elif inspection.project_id != project.pk or inspection.done_at:
        raise ApplicationError(_("This inspection is already recorded."), code="conflict")
    inspection.done_at = clock.now()
    inspection.inspector = actor
    inspection.findings = findings
    inspection.upkeep_ok = upkeep_ok
    inspection.in_use = in_use
    inspection.save()
    record(
        round_,
        action=Action.INSPECT,
        actor_role=role,
        user=actor,
        project=project,
        note=findings,
        public=True,
        data={"inspection": inspection.pk, "kind": inspection.kind, "upkeep_ok": upkeep_ok, "in_use": in_use},
    )
    return inspection


@transaction.atomic
def look_back_schedule(*, project: Candidate, actor, scheduled_on: date) -> Inspection:
    role = _project_actor(actor, project, Action.INSPECT)
    if role is Actor.DEPUTY:
        raise ApplicationError(_("Your role does not allow this step."), code="forbidden")
    inspection = Inspection.objects.create(project=project, kind=InspectionKind.LOOK_BACK, scheduled_on=scheduled_on)
    record(
        project.round,
        action=Action.INSPECT,
        actor_role=role,
        user=actor,
        project=project,
        public=True,
        note=_("Look-back scheduled for %(date)s") % {"date": scheduled_on},
        data={"scheduled": inspection.pk},
    )
    return inspection


@transaction.atomic
def follow_up_case(*, inspection: Inspection, actor, text: str):
    """A look-back finding becomes a case in the closed loop, linked to the project."""
    from lianxin.cases.models import CaseKind, Channel
    from lianxin.cases.services import case_submit

    project = inspection.project
    round_ = project.round
    role = _project_actor(actor, project, Action.FOLLOW_UP_CASE)
    if inspection.follow_up_case_id:
        raise ApplicationError(_("This inspection already has a follow-up case."), code="conflict")
    deputy = _deputy_of(actor) if role is Actor.DEPUTY else None
    text = clean_text(text, label=_("Text"), minimum=5)
    body = _("Look-back of the livelihood project “%(title)s”: %(text)s") % {"title": project.title, "text": text}
    case, _created = case_submit(
        channel=Channel.HOME_VISIT if deputy else Channel.STATION_VISIT,
        kind=CaseKind.OPINION,
        place=round_.place,
        text=body,
        address=project.location,
        deputy=deputy,
        station=deputy.station if deputy else None,
        submitted_by=actor,
    )
    Inspection.objects.filter(pk=inspection.pk).update(follow_up_case=case)
    inspection.follow_up_case = case
    record(
        round_,
        action=Action.FOLLOW_UP_CASE,
        actor_role=role,
        user=actor,
        project=project,
        note=text,
        data={"inspection": inspection.pk, "case": case.pk, "tracking_code": case.tracking_code},
    )
    return case


def milestones_overdue_sweep() -> int:
    """Tell supervisors and the office once about each milestone past its date (idempotent)."""
    today = clock.now().date()
    sent = 0
    overdue = Milestone.objects.filter(
        done_at__isnull=True,
        overdue_notified_at__isnull=True,
        due_on__lt=today,
        project__status=CandidateStatus.ADOPTED,
        project__round__status=Status.IMPLEMENTING,
    ).select_related("project__round__place")
    for milestone in overdue:
        with transaction.atomic():
            if (
                Milestone.objects.filter(pk=milestone.pk, overdue_notified_at__isnull=True).update(
                    overdue_notified_at=clock.now()
                )
                != 1
            ):
                continue
            project = milestone.project
            record(
                project.round,
                action=Action.MILESTONE_OVERDUE,
                actor_role=Actor.SYSTEM,
                project=project,
                note=milestone.title,
                data={"milestone": milestone.pk},
            )
            notify.milestone_overdue(milestone)
            sent += 1
    return sent


# --- evaluation ---------------------------------------------------------------------------


def _clean_scores(round_: Round, scores: dict) -> dict:
    keys = [d["key"] for d in round_.survey_dimensions]
    clean = {}
    for key in keys:
        try:
            value = int(scores.get(key))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ApplicationError(_("Please give every question 1 to 5 stars."), code="scores_invalid")
        clean[key] = value
    return clean


@transaction.atomic
def survey_respond(
    *, project: Candidate, scores: dict, comment: str = "", actor=None, idempotency_key: str | None = None
) -> SurveyResponse:
    """A resident (actor=None) or a deputy rates an adopted project, inside the survey window."""
    if idempotency_key:
        existing = SurveyResponse.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    round_ = project.round
    role = _project_actor(actor, project, Action.RESPOND_SURVEY)
    now = clock.now()
    if not round_.survey_window_holds(now):
        raise ApplicationError(_("The survey is not open now."), code="survey_closed")
    deputy = _deputy_of(actor) if role is Actor.DEPUTY else None
    if deputy and SurveyResponse.objects.filter(project=project, deputy=deputy).exists():
        raise ApplicationError(_("You have already rated this project."), code="survey_twice")
    response = SurveyResponse.objects.create(
        project=project,
        respondent=RespondentKind.DEPUTY if deputy else RespondentKind.RESIDENT,
        deputy=deputy,
        scores=_clean_scores(round_, scores),
        comment=(comment or "").strip()[:1000],
        idempotency_key=idempotency_key or None,
    )
    record(
        round_,
        action=Action.RESPOND_SURVEY,
        actor_role=role,
        user=actor,
        project=project,
        data={"response": response.pk, "respondent": response.respondent},
    )
    return response
