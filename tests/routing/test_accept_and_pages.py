"""The triage queue and the case page show the suggestion; one click accepts it. The model
page and the automatic-triage page are for congress offices and administrators."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lianxin.cases import services as case_services
from lianxin.cases.workflow import Status
from lianxin.routing.models import AutoTriageSetting, CasePrediction, RoutingRule, TriageLabel
from lianxin.routing.services import case_predict
from tests.routing.conftest import install_model

STREET_LIGHT = "我们小区门口的路灯坏了不亮，已经两个月了，晚上出行很不方便。"


@pytest.fixture
def suggested(world):
    """A new opinion with its suggestion: urban construction → dept_a, helped by dept_b."""
    install_model()
    rule = RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    rule.helper_departments.set([world.dept_b])
    case = world.opinion(text=STREET_LIGHT)
    return case, case_predict(case_id=case.pk)


def accept(client, case, prediction, **extra):
    data = {"prediction": prediction.pk, "seen_status": case.status, **extra}
    return client.post(f"/triage/cases/{case.pk}/accept", data)


def test_the_triage_queue_shows_the_suggestion_with_its_button(world, as_user, suggested):
    case, prediction = suggested
    html = as_user(world.office1).get("/desk/?queue=triage").content.decode()
    assert f'data-case="{case.pk}"' in html
    assert "区住建局" in html and f"{prediction.percent}%" in html and prediction.top_terms[0] in html
    assert f'action="/triage/cases/{case.pk}/accept"' in html and "Accept suggestion" in html


def test_the_queue_costs_the_same_queries_for_one_suggestion_or_many(world, as_user, suggested):
    client = as_user(world.office1)
    client.get("/desk/?queue=triage")
    with CaptureQueriesContext(connection) as one:
        client.get("/desk/?queue=triage")
    for _ in range(4):
        case_predict(case_id=world.opinion(text=STREET_LIGHT).pk)
    with CaptureQueriesContext(connection) as five:
        html = client.get("/desk/?queue=triage").content.decode()
    assert html.count("Accept suggestion") == 5
    assert len(five) == len(one)


def test_a_leader_sees_no_button(world, as_user, suggested):
    html = as_user(world.leader).get("/desk/?queue=all").content.decode()
    assert "Accept suggestion" not in html


def test_the_case_page_shows_the_suggestion_and_preselects_category_and_department(world, as_user, suggested):
    case, prediction = suggested
    response = as_user(world.office1).get(f"/desk/cases/{case.pk}/")
    html = response.content.decode()
    assert "The machine suggests" in html and prediction.model_version.content_hash in html
    triage_form = next(f["form"] for f in response.context["action_forms"] if f["action"] == "triage")
    assert triage_form.initial["category"] == world.category.pk

    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    response = as_user(world.office1).get(f"/desk/cases/{case.pk}/")
    assign_form = next(f["form"] for f in response.context["action_forms"] if f["action"] == "assign")
    assert assign_form.initial["department"] == world.dept_a.pk
    assert assign_form.initial["helpers"] == [world.dept_b.pk]


def test_one_click_triages_and_assigns(world, as_user, suggested):
    case, prediction = suggested
    response = accept(as_user(world.office1), case, prediction, next="/desk/?queue=triage")
    assert response.status_code == 302 and response["Location"] == "/desk/?queue=triage"
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.category == world.category
    assert case.lead_department == world.dept_a and list(case.helper_departments.all()) == [world.dept_b]
    actions = list(case.events.values_list("action", "actor_id"))
    assert ("triage", world.office1.pk) in actions and ("assign", world.office1.pk) in actions
    assert TriageLabel.objects.get(case=case).label == "urban_construction"  # a confirmation


def test_an_unsafe_next_address_falls_back_to_the_case_page(world, as_user, suggested):
    case, prediction = suggested
    response = accept(as_user(world.office1), case, prediction, next="https://elsewhere.example/")
    assert response["Location"] == f"/desk/cases/{case.pk}/"


def test_another_towns_office_gets_404(world, as_user, suggested):
    case, prediction = suggested
    assert accept(as_user(world.office2), case, prediction).status_code == 404
    assert accept(as_user(world.handler_a), case, prediction).status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_a_leader_who_sees_the_case_gets_403(world, as_user, suggested):
    case, prediction = suggested
    assert accept(as_user(world.leader), case, prediction).status_code == 403


def test_a_case_changed_meanwhile_gets_409(world, as_user, suggested):
    case, prediction = suggested
    case_services.case_triage(case=case, actor=world.staff1, category=world.category)
    response = accept(as_user(world.office1), case, prediction, seen_status="submitted")
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()


def test_a_case_in_the_wrong_state_gets_409(world, as_user, suggested):
    case, prediction = suggested
    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    case_services.case_assign(case=case, actor=world.office1, department=world.dept_b)
    case.refresh_from_db()
    response = accept(as_user(world.office1), case, prediction)  # the page showed "assigned"
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.lead_department == world.dept_b


def test_a_prediction_of_another_case_gets_404(world, as_user, suggested):
    _case, prediction = suggested
    other = world.opinion(text=STREET_LIGHT)
    assert accept(as_user(world.office1), other, prediction).status_code == 404


def test_bad_input_gets_400_never_500(world, as_user, suggested):
    case, _prediction = suggested
    response = as_user(world.office1).post(f"/triage/cases/{case.pk}/accept", {"prediction": "abc"})
    assert response.status_code == 400


def test_a_suggestion_without_a_department_gets_400(world, as_user, suggested):
    case, prediction = suggested
    CasePrediction.objects.filter(pk=prediction.pk).update(lead_department=None)
    response = accept(as_user(world.office1), case, prediction)
    assert response.status_code == 400
    assert "assign by hand" in response.content.decode()


def test_accepting_needs_a_post_with_the_csrf_token(world, suggested):
    case, prediction = suggested
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office1)
    assert client.get(f"/triage/cases/{case.pk}/accept").status_code == 405
    assert accept(client, case, prediction).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


# --- the model page -------------------------------------------------------------------------


def test_the_model_page_lists_versions_with_scores_and_the_confusion_matrix(world, as_user):
    version = install_model()
    version.metrics = {
        "accuracy": 0.9,
        "macro_f1": 0.875,
        "per_class_f1": {"urban_construction": 0.8, "environment": 0.95},
        "confusion": {"labels": ["environment", "urban_construction"], "matrix": [[9, 1], [0, 7]]},
    }
    version.macro_f1 = 0.875
    version.save()
    html = as_user(world.office1).get("/triage/models/").content.decode()
    assert version.content_hash in html and "0.875" in html and "0.950" in html
    assert 'class="data confusion"' in html and "<strong>9</strong>" in html


@pytest.mark.parametrize("persona", ["handler_a", "leader", "staff1", "deputy_user", "outsider"])
def test_the_model_page_is_for_offices_and_administrators(world, as_user, persona):
    assert as_user(getattr(world, persona)).get("/triage/models/").status_code == 404
    assert as_user(getattr(world, persona)).get("/triage/auto/").status_code == 404


def test_the_model_page_needs_a_login(world, client):
    assert client.get("/triage/models/").status_code == 302


def test_the_menu_links_the_settings_for_offices_only(world, as_user):
    assert 'href="/triage/auto/"' in as_user(world.office1).get("/desk/").content.decode()
    assert 'href="/triage/auto/"' not in as_user(world.handler_a).get("/desk/").content.decode()


# --- the automatic-triage page -------------------------------------------------------------


def _settings_post(world, enabled_codes, threshold=85):
    from lianxin.places.scope import category_list

    data = {"place": world.town1.pk}
    for category in category_list():
        data[f"threshold_{category.pk}"] = threshold
        if category.code in enabled_codes:
            data[f"enabled_{category.pk}"] = "on"
    return data


def test_an_office_switches_a_category_on_for_its_town(world, as_user):
    client = as_user(world.office1)
    response = client.post("/triage/auto/", _settings_post(world, {"urban_construction"}))
    assert response.status_code == 302
    setting = AutoTriageSetting.objects.get()
    assert (setting.place, setting.category, setting.enabled, setting.threshold) == (
        world.town1,
        world.category,
        True,
        0.85,
    )
    assert setting.updated_by == world.office1
    html = client.get(response["Location"]).content.decode()
    assert f'name="enabled_{world.category.pk}" id="id_enabled_{world.category.pk}" checked' in html


def test_a_threshold_out_of_range_is_refused_with_a_message(world, as_user):
    response = as_user(world.office1).post("/triage/auto/", _settings_post(world, {"urban_construction"}, 30))
    assert response.status_code == 400
    assert "between 50 and 100" in response.content.decode()
    assert not AutoTriageSetting.objects.exists()


def test_another_towns_place_is_404(world, as_user):
    data = {**_settings_post(world, {"urban_construction"}), "place": world.town2.pk}
    assert as_user(world.office1).post("/triage/auto/", data).status_code == 404
    assert as_user(world.office1).get(f"/triage/auto/?place={world.town2.pk}").status_code == 404
    assert not AutoTriageSetting.objects.exists()


def test_the_district_office_chooses_among_its_places(world, as_user):
    html = as_user(world.admin).get(f"/triage/auto/?place={world.town2.pk}").content.decode()
    assert "西山镇" in html


def test_the_timeline_names_the_system_and_the_resident_as_such(world, as_user, suggested):
    case, _prediction = suggested
    html = as_user(world.office1).get(f"/desk/cases/{case.pk}/").content.decode()
    timeline = html.split("<ol", 1)[1].split("</ol>", 1)[0] if "<ol" in html else html
    assert " · System" in timeline and " · Resident" in timeline
    assert "System or resident" not in timeline
