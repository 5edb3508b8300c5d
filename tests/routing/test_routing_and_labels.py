"""The routing table (the nearest place's row beats the general one) and people's triage
kept as labels (corrections and confirmations)."""

import pytest

from lianxin.cases import services as case_services
from lianxin.places.models import Category
from lianxin.places.services import department_create
from lianxin.routing.models import RoutingRule, TriageLabel
from lianxin.routing.selectors import ancestor_paths, route_for
from lianxin.routing.services import case_predict
from tests.routing.conftest import category, install_model


def test_ancestor_paths_include_the_place_itself():
    assert ancestor_paths("/d/t1/c1/") == ["/d/", "/d/t1/", "/d/t1/c1/"]


def test_the_place_row_beats_the_general_row(world):
    street_office = department_create(code="t1-office", name="东湖街道办", place=world.town1)
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    town_rule = RoutingRule.objects.create(category=world.category, place=world.town1, lead_department=street_office)
    town_rule.helper_departments.set([world.dept_b])

    east = route_for(category=world.category, place=world.grid1)
    west = route_for(category=world.category, place=world.community2)

    assert east.lead == street_office and east.helpers == (world.dept_b,) and east.rule == town_rule
    assert west.lead == world.dept_a


def test_the_nearest_place_above_wins(world):
    RoutingRule.objects.create(category=world.category, place=world.district, lead_department=world.dept_a)
    RoutingRule.objects.create(category=world.category, place=world.community1, lead_department=world.dept_b)
    assert route_for(category=world.category, place=world.grid1).lead == world.dept_b
    assert route_for(category=world.category, place=world.community2).lead == world.dept_a


def test_without_a_rule_the_categorys_default_department_leads(world):
    Category.objects.filter(pk=world.category.pk).update(default_department=world.dept_b)
    world.category.refresh_from_db()
    route = route_for(category=world.category, place=world.grid1)
    assert route.lead == world.dept_b and route.helpers == () and route.rule is None


def test_a_rule_naming_a_retired_department_falls_back_to_the_default(world):
    Category.objects.filter(pk=world.category.pk).update(default_department=world.dept_b)
    world.category.refresh_from_db()
    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    world.dept_a.active = False
    world.dept_a.save()
    assert route_for(category=world.category, place=world.grid1).lead == world.dept_b


def test_no_category_no_route(world):
    assert route_for(category=None, place=world.grid1).lead is None


def test_one_general_row_per_category(world):
    from django.db import IntegrityError, transaction

    RoutingRule.objects.create(category=world.category, lead_department=world.dept_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(category=world.category, lead_department=world.dept_b)


# --- labels -------------------------------------------------------------------------------------


def test_a_staff_correction_becomes_a_label(world):
    install_model()
    case = world.opinion(text="小区门口的路灯坏了不亮，已经两个月了。")
    case_predict(case_id=case.pk)
    case_services.case_triage(case=case, actor=world.office1, category=category("environment"))

    label = TriageLabel.objects.get(case=case)
    assert label.label == "environment" and label.predicted_label == "urban_construction"
    assert label.is_correction and label.labelled_by == world.office1
    assert label.text == case.text and label.confidence is not None


def test_a_confirmation_is_a_label_too(world):
    install_model()
    case = world.opinion(text="小区门口的路灯坏了不亮，已经两个月了。")
    case_predict(case_id=case.pk)
    case_services.case_triage(case=case, actor=world.staff1, category=world.category)
    label = TriageLabel.objects.get(case=case)
    assert label.label == "urban_construction" and not label.is_correction


def test_triage_without_any_prediction_is_a_label_with_nothing_predicted(world):
    case = world.opinion()
    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    label = TriageLabel.objects.get(case=case)
    assert label.predicted_label == "" and label.prediction is None and not label.is_correction


def test_every_retriage_is_kept(world):
    case = world.opinion()
    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    case_services.case_triage(case=case, actor=world.office1, category=category("transport"))
    assert list(TriageLabel.objects.filter(case=case).order_by("id").values_list("label", flat=True)) == [
        "urban_construction",
        "transport",
    ]
