"""`manage.py demo_load`: a small demo district (60 cases) built through the real services."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from lianxin.accounts.models import Membership, Role, User
from lianxin.cases.models import Case, CaseEvent, Resolution
from lianxin.cases.selectors import case_list_for_user
from lianxin.cases.tasks import sla_sweep
from lianxin.cases.workflow import OPEN_STATUSES, Action, Status
from lianxin.core import clock
from lianxin.demo import loader
from lianxin.demo.district import DEPARTMENTS, demo_usernames
from lianxin.deputies.models import Deputy
from lianxin.notifications.models import DeliveryStatus, Notification
from lianxin.places.models import Category, Department, Place

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = 60


def load(cases: int = SMALL) -> str:
    out = StringIO()
    with clock.frozen_at(NOW), translation.override("en"):  # the checks read the English output
        call_command("demo_load", cases=cases, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    """One load for the whole module (about 25 s on PostgreSQL), inside a transaction rolled
    back at the module's end; each test runs in a savepoint within it, so what one test
    writes never reaches the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded, db) -> str:
    return _loaded


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# --- logins -------------------------------------------------------------------------------


def test_every_printed_login_authenticates_with_the_printed_password(demo):
    names = [login.username for login in loader.demo_logins()] + loader.other_deputies()
    assert sorted(names) == sorted(demo_usernames())
    assert len(names) == 3 + 3 + 6 + len(DEPARTMENTS) + 30 + 3  # 3 town deputies for 东湖街道's ballot
    assert "lianxin-demo" in demo
    for name in names:
        assert name in demo
        assert authenticate(username=name, password="lianxin-demo") is not None, name
    assert authenticate(username="leader", password="wrong") is None


def test_each_role_login_holds_its_role_at_the_right_anchor(demo):
    root = Place.objects.get(code="demo")
    assert User.objects.get(username="admin").is_superuser
    assert Membership.objects.filter(user__username="district_office", role=Role.CONGRESS_OFFICE, place=root).exists()
    assert Membership.objects.filter(user__username="leader", role=Role.LEADER, place=root).exists()
    assert Membership.objects.get(user__username="town_office", role=Role.CONGRESS_OFFICE).place.name == "东湖街道"
    assert Membership.objects.get(user__username="station_staff", role=Role.STATION_STAFF).station.code == "demo-s1"
    for key, name, _town in DEPARTMENTS:
        membership = Membership.objects.get(user__username=f"handler_{key}", role=Role.DEPARTMENT_HANDLER)
        assert membership.department.name == name


def test_district_has_the_promised_shape(demo):
    root = Place.objects.get(code="demo")
    assert root.children.count() == 3
    assert Place.objects.filter(kind="community", path__startswith=root.path).count() == 21
    assert Deputy.objects.filter(station__code__startswith="demo-").count() == 30 + 3
    assert Deputy.objects.filter(station__code__startswith="demo-", kind="voter_representative").count() == 5
    assert Department.objects.filter(code__startswith="demo-").count() == 12
    assert not Category.objects.filter(active=True, default_department__isnull=True).exists()


def test_the_deputy_login_is_linked_to_a_deputy_whose_cases_it_sees(demo):
    deputy = Deputy.objects.get(user__username="deputy")
    own = Case.objects.filter(deputy=deputy)
    assert own.exists()
    visible = case_list_for_user(deputy.user)
    assert set(own.values_list("pk", flat=True)) <= set(visible.values_list("pk", flat=True))
    assert f"/q/{deputy.qr_token}" in demo


def test_a_department_handler_sees_only_its_departments_cases(demo):
    handler = User.objects.get(username="handler_housing")
    housing = Department.objects.get(code="demo-housing")
    visible = case_list_for_user(handler)
    assert visible.exists()
    for case in visible:
        assert case.lead_department == housing or housing in case.helper_departments.all()


def test_the_printed_tracking_code_belongs_to_a_demo_case(demo):
    tries = loader.try_it()
    assert tries.tracking_code in demo
    assert Case.objects.filter(tracking_code=tries.tracking_code.replace("-", "")).exists()


# --- cases --------------------------------------------------------------------------------


def test_a_small_demo_has_cases_in_every_state(demo):
    cases = Case.objects.all()
    assert cases.count() == SMALL
    # "rated" is passed through in the same step that closes the case, so no case rests there.
    assert set(cases.values_list("status", flat=True)) == {s.value for s in Status} - {Status.RATED}
    resolutions = set(cases.filter(status=Status.CLOSED).values_list("resolution", flat=True))
    assert resolutions == {r.value for r in Resolution} - {Resolution.NONE}
    assert cases.filter(reopen_count__gt=0, status=Status.CLOSED).exists()
    assert cases.filter(duplicate_of__isnull=False).exists()
    assert cases.filter(adopted=True).exists()
    assert cases.filter(kind="deputy_suggestion").exists()
    assert CaseEvent.objects.filter(action=Action.URGE).exists()


def test_every_timeline_starts_with_the_submission_and_runs_forward_in_time(demo):
    for case in Case.objects.all():
        events = list(CaseEvent.objects.filter(case=case).order_by("pk"))
        assert events[0].action == Action.SUBMIT and events[0].at == case.created_at
        times = [e.at for e in events]
        assert times == sorted(times), case.tracking_code
        assert times[-1] <= NOW
        assert events[-1].to_status == case.status
        assert case.created_at > NOW - timedelta(days=366)


def test_some_open_cases_are_overdue_and_were_escalated(demo):
    overdue = Case.objects.filter(status__in=OPEN_STATUSES, due_at__lt=NOW)
    assert overdue.count() >= 3
    for case in overdue:
        assert case.escalated_at is not None
        assert case.events.filter(action=Action.ESCALATE).exists()


def test_the_deadline_sweep_finds_nothing_left_to_do_right_after_loading(demo):
    with clock.frozen_at(NOW):
        assert sla_sweep.call() == {"reminded": 0, "escalated": 0, "closed_unrated": 0}


def test_most_answers_came_within_48_hours(demo):
    answered = Case.objects.filter(first_answered_at__isnull=False)
    quick = [c for c in answered if c.first_answered_at - c.created_at <= timedelta(hours=48)]
    assert len(quick) >= 0.85 * answered.count()


def test_texts_read_as_chinese_with_every_slot_filled(demo):
    for case in Case.objects.all():
        assert "{" not in case.text and "}" not in case.text
        assert "{" not in case.reply_text
    replies = Case.objects.exclude(reply_text="")
    assert replies.exists() and all("您" in c.reply_text for c in replies)


def test_about_half_the_residents_leave_a_name_and_phone(demo):
    named = Case.objects.exclude(contact_name="").count()
    assert 0.25 * SMALL <= named <= 0.85 * SMALL
    assert not Case.objects.filter(contact_name="").exclude(contact_phone="").exists()


def test_history_leaves_no_backlog_of_pending_messages(demo):
    assert Notification.objects.exists()
    assert not Notification.objects.filter(status=DeliveryStatus.PENDING).exists()
    assert not Notification.objects.filter(case__status=Status.CLOSED, read_at__isnull=True).exists()


def test_merged_duplicates_shared_their_originals_reply_and_some_wait_with_an_open_one(demo):
    merged = Case.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    waiting = [c for c in merged if c.status == Status.MERGED]
    assert waiting and all(c.duplicate_of.is_open and c.due_at is None for c in waiting)
    answered = [c for c in merged if c.reply_text]
    assert answered and all(c.reply_text == c.duplicate_of.reply_text for c in answered)
    for case in answered:
        actions = list(case.events.order_by("at", "pk").values_list("action", flat=True))
        assert actions[:3] == [Action.SUBMIT, Action.LINK_DUPLICATE, Action.SHARE_REPLY], case.tracking_code
        assert Action.ASSIGN not in actions and Action.REPLY not in actions  # handled once, on the original


def test_a_merged_duplicate_reports_its_originals_problem_at_the_same_spot(demo):
    """Not another problem of the same kind (a leak merged into a cluttered stairwell)."""
    from lianxin.triage.dedup import jaccard

    merged = Case.objects.filter(duplicate_of__isnull=False).select_related("duplicate_of")
    assert merged
    for case in merged:
        assert jaccard(case.text, case.duplicate_of.text) >= 0.3, (case.text, case.duplicate_of.text)


def test_the_office_has_likely_duplicates_to_confirm_and_hot_issues_to_read(demo):
    from lianxin.hotspots.models import CandidateStatus, DuplicateCandidate
    from lianxin.hotspots.selectors import hot_issues

    waiting = (Status.SUBMITTED, Status.TRIAGED, Status.RETURNED)
    open_ones = DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN, case__status__in=waiting)
    assert open_ones.exists()
    office = User.objects.get(username="district_office")
    today = NOW.date()
    page = hot_issues(office, place=None, date_from=today - timedelta(days=29), date_to=today, now=NOW)
    assert page.issues and all(issue.name for issue in page.issues)


def test_the_demo_has_this_years_rounds_and_prints_how_to_walk_the_open_one(demo):
    from lianxin.projects.ballot import electors
    from lianxin.projects.models import Round

    district, town = Round.objects.filter(year=NOW.year).order_by("place__path")
    assert district.status == "evaluating" and town.status == "soliciting"
    assert town.place.name == "东湖街道" and town.proposals.count() >= 5
    assert set(town.proposals.values_list("source", flat=True)) == {"resident", "deputy", "case"}
    voters = [d.user.username for d in electors(town)]
    assert len(voters) >= 5
    for name in voters:
        assert authenticate(username=name, password="lianxin-demo") is not None, name
    assert f"/p/{town.public_token}/" in demo and f"/projects/rounds/{town.pk}/" in demo
    assert "town_office" in demo and ", ".join(voters) in demo


# --- idempotence and limits ---------------------------------------------------------------


def test_a_second_run_adds_nothing_and_prints_the_logins_again(demo):
    before = row_counts()
    output = load()
    assert row_counts() == before
    assert "already loaded" in output
    assert "handler_housing" in output and "lianxin-demo" in output
