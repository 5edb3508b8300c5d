"""Livelihood projects (民生实事项目): a yearly round per place, its proposals, candidates
(which become projects when adopted), deliberation, implementation, survey, look-back, and
the round's append-only timeline. Rules live in workflow.py and services.py."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import AppendOnlyQuerySet  # the timeline rule the case and audit logs share
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.core.models import BaseModel

from .workflow import ACTION_LABELS, STATUS_LABELS, Action, Status

STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]
DEFAULT_MIN_RATIO = Decimal("0.20")
ROLE_LABELS = {
    "congress_office": _("Congress office"),
    "admin": _("System administrator"),
    "station_staff": _("Station staff"),
    "deputy": _("Deputy"),
    "department_handler": _("Department handler"),
    "constituent": _("Resident"),
    "system": _("System"),
}


def default_dimensions() -> list[dict]:
    """Survey dimensions (data, in both languages, like categories); editable per round."""
    return [
        {"key": "need", "zh": "符合群众需要", "en": "Meets residents' needs"},
        {"key": "quality", "zh": "工程质量", "en": "Quality of the work"},
        {"key": "timeliness", "zh": "进度按时", "en": "On time"},
        {"key": "effect", "zh": "实施效果", "en": "Effect"},
    ]


class Round(BaseModel):
    """One year's cycle at one place (a district or a town), from solicitation to look-back."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="project_rounds")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=Status.DRAFT)
    public_token = models.CharField(max_length=16, unique=True, editable=False)
    # The pre-meeting window (会前集中征集); outside it, a soliciting round takes daily proposals.
    window_opens_at = models.DateTimeField(_("pre-meeting window opens"), null=True, blank=True)
    window_closes_at = models.DateTimeField(_("pre-meeting window closes"), null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("projects to adopt"), null=True, blank=True)
    # The round's rule (fixed at creation) and the ratio the office chose (never below the rule).
    min_ratio = models.DecimalField(
        _("minimum extra candidates (rule)"), max_digits=4, decimal_places=2, default=DEFAULT_MIN_RATIO, editable=False
    )
    ratio = models.DecimalField(
        _("extra candidates (差额比例)"), max_digits=4, decimal_places=2, default=DEFAULT_MIN_RATIO
    )
    threshold_basis = models.CharField(_("majority of"), max_length=10, default="all")
    ballot_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    ballot_rules = models.JSONField(default=dict, blank=True, editable=False)  # frozen at opening
    # Chosen by the office when it opens the ballot (then frozen): sheets entered by two tellers.
    paper_ballot = models.BooleanField(_("paper ballot"), default=False, editable=False)
    results = models.JSONField(default=dict, blank=True, editable=False)  # read at closing
    needs_decision = models.BooleanField(default=False, editable=False)
    survey_dimensions = models.JSONField(default=default_dimensions, blank=True)
    survey_opens_at = models.DateTimeField(_("survey opens"), null=True, blank=True)
    survey_closes_at = models.DateTimeField(_("survey closes"), null=True, blank=True)

    def survey_window_holds(self, now) -> bool:
        """The survey's window is set and `now` lies in it (a half-set window is closed)."""
        opens, closes = self.survey_opens_at, self.survey_closes_at
        return opens is not None and closes is not None and opens <= now < closes

    class Meta:
        ordering = ["-year", "place__path"]
        verbose_name = _("project round")
        verbose_name_plural = _("project rounds")
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="project_round_once_per_year"),
            models.CheckConstraint(
                name="project_round_ratio_at_least_rule", condition=models.Q(ratio__gte=models.F("min_ratio"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalKind(models.TextChoices):
    DAILY = "daily", _("Daily solicitation (日常常态化)")
    PRE_MEETING = "pre_meeting", _("Pre-meeting solicitation (会前集中)")


class ProposalSource(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    DEPUTY = "deputy", _("Deputy")
    STAFF = "staff", _("Staff")
    CASE = "case", _("From an opinion")


class Proposal(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="proposals")
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=ProposalSource.choices)
    title = models.CharField(_("what"), max_length=100)
    location = models.CharField(_("where"), max_length=200, blank=True)
    reason = models.TextField(_("why"))
    benefit = models.CharField(_("estimated benefit"), max_length=200, blank=True)
    contact_name = models.CharField(_("name"), max_length=50, blank=True)  # personal: never public
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="project_proposals"
    )
    candidate = models.ForeignKey(
        "Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # The resident's follow-up code (/p/proposals/<code>/), made like a case's tracking code.
    tracking_code = models.CharField(max_length=12, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "case"], condition=models.Q(case__isnull=False), name="proposal_case_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_code(self) -> str:
        """The follow-up code as people read it: 7KQ2-M9XD."""
        return format_tracking_code(self.tracking_code) if self.tracking_code else ""


class CandidateStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    UNDECIDED = "undecided", _("Awaiting decision (tie)")


class Candidate(BaseModel):
    """A candidate project; once adopted by the ballot it is the project being implemented."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="candidates")
    title = models.CharField(_("project"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    cost = models.DecimalField(_("estimated cost (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    department = models.ForeignKey(
        "places.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("lead department"),
    )
    feasibility = models.TextField(_("feasibility"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.CANDIDATE
    )
    votes = models.PositiveIntegerField(_("votes for"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision"), blank=True)
    budget = models.DecimalField(_("budget (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    supervisors = models.ManyToManyField(
        "deputies.Deputy", blank=True, related_name="supervised_projects", verbose_name=_("supervision group")
    )
    percent_done = models.PositiveSmallIntegerField(_("progress %"), default=0, validators=[MaxValueValidator(100)])
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("candidate project")
        verbose_name_plural = _("candidate projects")

    def __str__(self) -> str:
        return self.title

    @property
    def option_ref(self) -> str:
        return f"candidate:{self.pk}"


class Remark(models.Model):
    """Deliberation: the meeting's notes (on the round or a candidate) and deputies' comments."""

    class Kind(models.TextChoices):
        MEETING_NOTE = "meeting_note", _("Meeting notes")
        COMMENT = "comment", _("Deputy's comment")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="remarks")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="remarks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]


class Milestone(models.Model):
    project = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=100)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    project = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("progress"))
    percent_done = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(upload_to="projects/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", _("Supervision inspection")
    LOOK_BACK = "look_back", _("Look-back (回头看)")


class Inspection(models.Model):
    """A supervision group's visit during implementation, or a scheduled look-back after it."""

    project = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    scheduled_on = models.DateField(_("scheduled for"), null=True, blank=True)
    done_at = models.DateTimeField(_("inspected"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)
    upkeep_ok = models.BooleanField(_("well kept"), null=True, blank=True)
    in_use = models.BooleanField(_("in use"), null=True, blank=True)
    follow_up_case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["scheduled_on", "id"]


class RespondentKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    DEPUTY = "deputy", _("Deputy")


class SurveyResponse(models.Model):
    project = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="survey_responses")
    respondent = models.CharField(max_length=10, choices=RespondentKind.choices)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    scores = models.JSONField()  # {dimension key: 1–5}
    comment = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "deputy"], condition=models.Q(deputy__isnull=False), name="survey_one_per_deputy"
            ),
        ]


class RoundEvent(models.Model):
    """One step of a round's (and, with `project`, a project's) timeline."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    project = models.ForeignKey(Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=30)
    action = models.CharField(max_length=30, choices=ACTION_CHOICES)
    from_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The round timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The round timeline is append-only.")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(Action(self.action), self.action))

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.actor_role, ""))
