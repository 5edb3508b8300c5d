"""Every read of rounds and projects. Each staff read takes the user and returns only what that
user may see (access.round_scope_q); out of scope and missing look the same (Http404).
Public reads return only what residents may see: adopted projects, no personal data."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from lianxin.core import clock
from lianxin.places.models import Place
from lianxin.places.scope import user_scope

from .access import round_actors, round_scope_q
from .models import Candidate, CandidateStatus, Inspection, Proposal, Round, RoundEvent, SurveyResponse
from .workflow import Action, Actor, Status, actions_from


def round_list_for_user(user) -> QuerySet[Round]:
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    return Round.objects.filter(round_scope_q(user)).select_related("place")


def round_get_for_user(user, pk: int) -> Round:
    round_ = round_list_for_user(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def project_get_for_user(user, pk: int) -> Candidate:
    project = (
        Candidate.objects.filter(pk=pk, round__in=round_list_for_user(user))
        .select_related("round__place", "department")
        .first()
    )
    if project is None:
        raise Http404
    return project


def round_actions_for_user(user, round_: Round) -> set[Action]:
    return set(actions_from(Status(round_.status), round_actors(user, round_)))


def round_actors_for_user(user, round_: Round, project: Candidate | None = None) -> set[Actor]:
    return round_actors(user, round_, project)


def proposals(round_: Round) -> QuerySet[Proposal]:
    return round_.proposals.select_related("case", "candidate", "deputy")


def candidates(round_: Round) -> QuerySet[Candidate]:
    return round_.candidates.select_related("department").prefetch_related("proposals", "remarks__author")


def timeline(round_: Round, *, project: Candidate | None = None, public_only: bool = False) -> QuerySet[RoundEvent]:
    events = round_.events.select_related("actor", "project")
    if project is not None:
        events = events.filter(project=project)
    return events.filter(public=True) if public_only else events


# --- public -------------------------------------------------------------------------------


def round_by_token(token: str) -> Round:
    round_ = Round.objects.filter(public_token=token).select_related("place").first()
    if round_ is None:
        raise Http404
    return round_


def public_projects(round_: Round) -> QuerySet[Candidate]:
    return round_.candidates.filter(status=CandidateStatus.ADOPTED).select_related("department")


def public_project(pk: int) -> Candidate:
    """An adopted project as residents see it; candidates and others are not public pages."""
    project = (
        Candidate.objects.filter(pk=pk, status=CandidateStatus.ADOPTED)
        .select_related("round__place", "department")
        .first()
    )
    if project is None:
        raise Http404
    return project


# --- the public index (/p/) ----------------------------------------------------------------


@dataclass
class RoundProjects:
    round: Round
    projects: list[Candidate]  # adopted, with milestones_total, milestones_done, last_report_at


def public_index_places(*, since_year: int) -> QuerySet[Place]:
    """Places with a round residents may see (past its draft) since `since_year`: the filter's choices."""
    rounds = Round.objects.filter(year__gte=since_year).exclude(status=Status.DRAFT)
    return Place.objects.filter(pk__in=rounds.values("place")).order_by("path")


def soliciting_rounds(*, place: Place | None = None) -> QuerySet[Round]:
    """Rounds taking proposals now, whatever their year (next year's is solicited in December)."""
    rounds = Round.objects.filter(status=Status.SOLICITING).select_related("place")
    return _at(rounds, place).order_by("place__path", "-year")


def rounds_under_survey(*, place: Place | None = None) -> list[Round]:
    """Rounds at evaluation whose survey window is open now, each with its `adopted` projects
    (the public project page takes ratings in the same window)."""
    now = clock.now()
    # Round.survey_window_holds as a filter (a NULL bound matches neither comparison).
    rounds = Round.objects.filter(
        status=Status.EVALUATING, survey_opens_at__lte=now, survey_closes_at__gt=now
    ).select_related("place")
    adopted = Candidate.objects.filter(status=CandidateStatus.ADOPTED).order_by("pk")
    rounds = rounds.prefetch_related(Prefetch("candidates", queryset=adopted, to_attr="adopted"))
    return list(_at(rounds, place).order_by("place__path", "-year"))


def recent_public_projects(*, since_year: int, place: Place | None = None) -> list[RoundProjects]:
    """Adopted projects of rounds since `since_year`, grouped by round (newest year first), with
    what residents may follow of their implementation: one query whatever their number."""
    projects = (
        Candidate.objects.filter(status=CandidateStatus.ADOPTED, round__year__gte=since_year)
        .select_related("round__place", "department")
        .annotate(
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count("milestones", filter=Q(milestones__done_at__isnull=False), distinct=True),
            last_report_at=Max("reports__created_at"),
        )
        .order_by("-round__year", "round__place__path", "pk")
    )
    if place is not None:
        projects = projects.filter(round__place=place)
    groups: dict[int, RoundProjects] = {}
    for project in projects:
        groups.setdefault(project.round_id, RoundProjects(project.round, [])).projects.append(project)
    return list(groups.values())


def _at(rounds: QuerySet[Round], place: Place | None) -> QuerySet[Round]:
    return rounds if place is None else rounds.filter(place=place)


# --- survey results -----------------------------------------------------------------------


def dimension_labels(round_: Round) -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [(d["key"], d.get("en") if english and d.get("en") else d["zh"]) for d in round_.survey_dimensions]


@dataclass
class SurveyFigures:
    responses: int
    residents: int
    deputies: int
    per_dimension: dict[str, float]  # average stars
    overall: float | None


def _figures(responses: list[SurveyResponse], keys: list[str]) -> SurveyFigures:
    sums: dict[str, int] = defaultdict(int)
    for r in responses:
        for key in keys:
            sums[key] += r.scores.get(key, 0)
    n = len(responses)
    per = {k: round(sums[k] / n, 2) for k in keys} if n else {}
    overall = round(sum(per.values()) / len(per), 2) if per else None
    residents = sum(1 for r in responses if r.respondent == "resident")
    return SurveyFigures(n, residents, n - residents, per, overall)


def survey_results(round_: Round) -> tuple[dict[int, SurveyFigures], dict[int, SurveyFigures]]:
    """Per project and per lead department: responses and average stars per dimension."""
    keys = [d["key"] for d in round_.survey_dimensions]
    by_project: dict[int, list] = defaultdict(list)
    by_department: dict[int, list] = defaultdict(list)
    rows = SurveyResponse.objects.filter(project__round=round_).select_related("project")
    for response in rows:
        by_project[response.project_id].append(response)
        if response.project.department_id:
            by_department[response.project.department_id].append(response)
    return (
        {pk: _figures(rs, keys) for pk, rs in by_project.items()},
        {pk: _figures(rs, keys) for pk, rs in by_department.items()},
    )


def department_results(by_department: dict[int, SurveyFigures]) -> list[tuple[object, SurveyFigures]]:
    from lianxin.places.models import Department

    names = Department.objects.in_bulk(list(by_department))
    return [(names[pk], figures) for pk, figures in by_department.items() if pk in names]


def supervised_projects(user) -> QuerySet[Candidate]:
    """Projects whose supervision group has this user's deputy (the deputy's phone list)."""
    return Candidate.objects.filter(
        supervisors__user=user, status=CandidateStatus.ADOPTED, round__in=round_list_for_user(user)
    ).select_related("round__place", "department")


def department_projects(user) -> QuerySet[Candidate]:
    """Adopted projects led by the user's departments (a handler's list)."""
    scope = user_scope(user)
    if not scope.department_ids:
        return Candidate.objects.none()
    return Candidate.objects.filter(
        department_id__in=scope.department_ids, status=CandidateStatus.ADOPTED
    ).select_related("round__place", "department")


def today():
    from django.utils import timezone

    from lianxin.core import clock

    return timezone.localtime(clock.now()).date()


# --- the cockpit's panel ------------------------------------------------------------------


@dataclass
class CockpitProjects:
    rounds: list[Round]
    projects: list[Candidate]  # adopted, with milestones_total, milestones_done, milestones_overdue


def cockpit_projects(user, *, place, year: int) -> CockpitProjects:
    """This year's rounds of `place`'s subtree (every place the user sees when None) and their
    adopted projects with milestone counts: two queries whatever their number (and the user's scope)."""
    from django.db.models import Count, Q

    rounds = round_list_for_user(user).filter(year=year)
    if place is not None:
        rounds = rounds.filter(place__path__startswith=place.path)
    rounds = list(rounds.order_by("place__path"))
    late = Q(milestones__done_at__isnull=True, milestones__due_on__lt=today())
    projects = list(
        Candidate.objects.filter(round__in=[r.pk for r in rounds], status=CandidateStatus.ADOPTED)
        .select_related("round__place", "department")
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__done_at__isnull=False)),
            milestones_overdue=Count("milestones", filter=late),
        )
        .order_by("round__place__path", "pk")
    )
    return CockpitProjects(rounds, projects)


def rounds_taking_case(user, case) -> list[Round]:
    """This year's rounds that may still take `case` as a proposal, for the case page: soliciting
    or shortlisting, the case's place inside the round's place, the user allowed to promote
    (office or station staff of that round), and the case not yet a proposal of it."""
    from django.utils import timezone

    from lianxin.core import clock

    if not getattr(user, "is_authenticated", False):
        return []
    year = timezone.localdate(clock.now()).year
    path = case.place.path
    ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/" and i > 0]
    rounds = (
        round_list_for_user(user)
        .filter(year=year, status__in=[Status.SOLICITING, Status.SHORTLISTING], place__path__in=ancestors)
        .exclude(proposals__case=case)
        .order_by("place__path")
    )
    return [r for r in rounds if Action.PROMOTE_CASE in round_actions_for_user(user, r)]


@dataclass(frozen=True)
class CaseProjects:
    """What ties a case to livelihood projects, for the case page (only what the user may open)."""

    looked_back: list[Candidate]  # the projects whose look-back opened this case
    proposed_in: list[Proposal]  # the proposals made from this case


def case_projects(user, case) -> CaseProjects:
    rounds = round_list_for_user(user)
    inspections = Inspection.objects.filter(follow_up_case=case, project__round__in=rounds)
    looked_back = [i.project for i in inspections.select_related("project__round__place").order_by("pk")]
    proposed_in = list(
        Proposal.objects.filter(case=case, round__in=rounds).select_related("round__place", "candidate").order_by("pk")
    )
    return CaseProjects(looked_back=looked_back, proposed_in=proposed_in)
