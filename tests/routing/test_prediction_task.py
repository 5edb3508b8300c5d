"""After intake, a background task predicts category and department and writes it in the
timeline as an internal event; where an office switched it on, the system triages and assigns."""

import logging

from django.db import transaction

from lianxin.cases import services as case_services
from lianxin.cases.models import CaseEvent
from lianxin.cases.workflow import Action, Actor, Status
from lianxin.routing.hooks import _PredictAfterCommit
from lianxin.routing.models import AutoTriageSetting, CasePrediction, RoutingRule
from lianxin.routing.services import case_predict
from tests.routing.conftest import category, install_model

STREET_LIGHT = "我们小区门口的路灯坏了不亮，已经两个月了，晚上出行很不方便。"


def submit(world, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return world.opinion(text=kwargs.pop("text", STREET_LIGHT), **kwargs)


def test_the_task_records_an_internal_suggestion_with_the_model_version(world, django_capture_on_commit_callbacks):
    version = install_model()
    case = submit(world, django_capture_on_commit_callbacks)

    prediction = CasePrediction.objects.get(case=case)
    assert prediction.label == "urban_construction" and prediction.category == world.category
    assert prediction.model_version == version and 0 < prediction.confidence <= 1
    assert "路灯" in "".join(prediction.top_terms)
    event = case.events.get(action=Action.SUGGEST)
    assert event.public is False and event.actor is None and event.actor_role == Actor.SYSTEM
    assert event.data["model_version"] == version.content_hash
    assert event.data["category"] == "urban_construction"
    assert event.data["confidence"] == round(prediction.confidence, 4)
    assert f"{prediction.percent}%" in event.note
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.category is None  # a suggestion only


def test_the_suggestion_never_reaches_the_residents_tracking_page(world, django_capture_on_commit_callbacks, client):
    install_model()
    case = submit(world, django_capture_on_commit_callbacks)
    assert case.events.filter(action=Action.SUGGEST).exists()
    page = client.get(f"/t/{case.tracking_code}", headers={"accept-language": "en"}).content.decode()
    assert "Suggested by the machine" not in page and "%" not in page.split("<main", 1)[1].split("</main>")[0]


def test_the_task_suggests_the_department_of_the_routing_table(world, django_capture_on_commit_callbacks):
    install_model()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    case = submit(world, django_capture_on_commit_callbacks)
    prediction = CasePrediction.objects.get(case=case)
    assert prediction.lead_department == world.dept_a
    assert case.events.get(action=Action.SUGGEST).department == world.dept_a


def test_running_the_task_twice_records_one_prediction_and_one_event(world, django_capture_on_commit_callbacks):
    install_model()
    case = submit(world, django_capture_on_commit_callbacks)
    case_predict(case_id=case.pk)
    assert CasePrediction.objects.filter(case=case).count() == 1
    assert case.events.filter(action=Action.SUGGEST).count() == 1


def test_without_an_active_model_intake_works_and_nothing_is_predicted(
    world, django_capture_on_commit_callbacks, caplog
):
    install_model(active=False)
    with caplog.at_level(logging.DEBUG, logger="lianxin.routing"):
        case = submit(world, django_capture_on_commit_callbacks)
    assert case.pk and case.status == Status.SUBMITTED
    assert not CasePrediction.objects.exists()
    assert not CaseEvent.objects.filter(action=Action.SUGGEST).exists()
    assert "No active triage model" in caplog.text
    assert case_predict(case_id=case.pk) is None


def test_opinions_taken_in_one_transaction_check_for_the_model_once(world, django_capture_on_commit_callbacks):
    install_model()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        cases = [world.opinion(text=STREET_LIGHT) for _ in range(3)]
    ours = [c for c in callbacks if isinstance(c, _PredictAfterCommit)]
    assert len(ours) == 1 and ours[0].case_ids == [c.pk for c in cases]
    ours[0]()
    assert CasePrediction.objects.filter(case__in=cases).count() == 3


def test_a_missing_model_file_is_logged_not_raised(world, django_capture_on_commit_callbacks, model_dir, caplog):
    version = install_model()
    (model_dir / version.path).unlink()
    with caplog.at_level(logging.WARNING, logger="lianxin.routing"):
        case = submit(world, django_capture_on_commit_callbacks)
    assert case.status == Status.SUBMITTED and not CasePrediction.objects.exists()
    assert "cannot be loaded" in caplog.text


def test_a_closed_case_gets_no_suggestion(world):
    install_model()
    case = world.opinion(text=STREET_LIGHT)
    case_services.case_reject(case=case, actor=world.office1, reason="不属于受理范围")
    assert case_predict(case_id=case.pk) is None
    assert not case.events.filter(action=Action.SUGGEST).exists()


def test_an_intake_rolled_back_queues_nothing(world, django_capture_on_commit_callbacks):
    install_model()
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                world.opinion(text=STREET_LIGHT)
                raise RuntimeError("the caller's transaction fails")
        except RuntimeError:
            pass
    assert callbacks == []


# --- automatic triage and assignment ------------------------------------------------------------


def test_switched_on_above_the_threshold_the_system_triages_and_assigns(world, django_capture_on_commit_callbacks):
    install_model()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=True, threshold=0.5)

    case = submit(world, django_capture_on_commit_callbacks)

    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.category == world.category and case.lead_department == world.dept_a
    triage, assign = case.events.get(action=Action.TRIAGE), case.events.get(action=Action.ASSIGN)
    assert (triage.actor, triage.actor_role, assign.actor, assign.actor_role) == (None, "system", None, "system")
    assert "automatically" in triage.note or "自动" in triage.note
    assert assign.public and assign.department == world.dept_a
    assert CasePrediction.objects.get(case=case).auto_applied
    assert case.due_at is not None  # the usual deadline
    assert not case.triage_labels.exists()  # the system's own triage teaches nothing


def test_a_district_setting_applies_to_its_towns_unless_a_town_switches_it_off(
    world, django_capture_on_commit_callbacks
):
    install_model()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    AutoTriageSetting.objects.create(place=world.district, category=world.category, enabled=True, threshold=0.5)
    AutoTriageSetting.objects.create(place=world.town2, category=world.category, enabled=False, threshold=0.5)

    east = submit(world, django_capture_on_commit_callbacks)
    west = submit(world, django_capture_on_commit_callbacks, place=world.community2)

    east.refresh_from_db()
    west.refresh_from_db()
    assert east.status == Status.ASSIGNED and west.status == Status.SUBMITTED


def test_below_the_threshold_the_case_waits_for_a_person(world, django_capture_on_commit_callbacks):
    install_model()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=True, threshold=1.0)
    case = submit(world, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.lead_department is None
    assert case.events.filter(action=Action.SUGGEST).exists()
    assert not CasePrediction.objects.get(case=case).auto_applied


def test_switched_off_the_case_waits_for_a_person(world, django_capture_on_commit_callbacks):
    install_model()
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=False, threshold=0.5)
    case = submit(world, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_another_categorys_switch_does_not_apply(world, django_capture_on_commit_callbacks):
    install_model()
    AutoTriageSetting.objects.create(place=world.town1, category=category("transport"), enabled=True, threshold=0.5)
    case = submit(world, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_case_a_person_triaged_first_is_left_alone(world):
    install_model()
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=True, threshold=0.5)
    case = world.opinion(text=STREET_LIGHT)  # no on-commit: the task has not run yet
    case_services.case_triage(case=case, actor=world.office1, category=category("environment"))
    prediction = case_predict(case_id=case.pk)
    case.refresh_from_db()
    assert prediction is not None and not prediction.auto_applied
    assert case.status == Status.TRIAGED and case.category.code == "environment"


def test_without_a_department_to_send_it_to_nothing_is_assigned(world, django_capture_on_commit_callbacks):
    install_model()
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=True, threshold=0.5)
    case = submit(world, django_capture_on_commit_callbacks)  # no rule, no default department
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_case_scored_as_held_back_gets_its_department_when_suggested(world, django_capture_on_commit_callbacks):
    """Training scores triaged cases it never saw without routing them; when the same case is
    then suggested (still waiting for assignment), the suggestion names the routed department."""
    from lianxin.routing.models import PredictionSource

    version = install_model()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    with django_capture_on_commit_callbacks(execute=False):
        case = world.opinion(text=STREET_LIGHT)
    CasePrediction.objects.create(
        case=case,
        model_version=version,
        source=PredictionSource.HELD_BACK,
        label="urban_construction",
        category=world.category,
        confidence=0.9,
        top_terms=["路灯"],
    )
    stored = case_predict(case_id=case.pk)
    assert stored.source == PredictionSource.INTAKE and stored.lead_department == world.dept_a
    assert case.events.get(action=Action.SUGGEST).department == world.dept_a
