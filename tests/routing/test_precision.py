"""Precision and coverage at a threshold, measured on an office's own cases triaged by people."""

from lianxin.cases import services as case_services
from lianxin.routing.models import AutoTriageSetting, CasePrediction
from lianxin.routing.selectors import precision_table
from tests.routing.conftest import category, install_model


def history(world, version, rows, *, place=None, by=None):
    """rows: (predicted code, confidence, code a person set or None for the system)."""
    for predicted, confidence, truth in rows:
        case = world.opinion(place=place or world.community1)
        CasePrediction.objects.create(
            case=case, model_version=version, label=predicted, category=category(predicted), confidence=confidence
        )
        if truth is None:
            case_services.case_triage(case=case, actor=None, category=category(predicted))
        else:
            case_services.case_triage(case=case, actor=by or world.office1, category=category(truth))


def test_precision_and_coverage_at_thresholds_on_a_small_history(world):
    version = install_model()
    urban, env = "urban_construction", "environment"
    history(
        world,
        version,
        [
            (urban, 0.95, urban),
            (urban, 0.92, urban),
            (urban, 0.91, env),  # a confident mistake
            (urban, 0.70, urban),
            (urban, 0.55, env),
            (env, 0.99, env),
            (urban, 0.97, None),  # triaged by the system: not counted
        ],
    )
    history(world, version, [(urban, 0.99, env)], place=world.community2, by=world.office2)  # another town: not counted

    cats = [category(urban), category(env)]
    table = precision_table(
        place=world.town1, version=version, categories=cats, thresholds={c.pk: [0.5, 0.9, 0.96] for c in cats}
    )
    at_50, at_90, at_96 = table[cats[0].pk]
    assert (at_50.n, at_50.above, at_50.correct) == (5, 5, 3)
    assert at_50.precision == 3 / 5 and at_50.coverage == 1.0
    assert (at_90.above, at_90.correct) == (3, 2) and at_90.precision == 2 / 3 and at_90.coverage == 3 / 5
    assert at_96.above == 0 and at_96.precision is None and at_96.coverage == 0
    assert table[cats[1].pk][1].precision == 1.0

    district = precision_table(
        place=world.district, version=version, categories=cats[:1], thresholds={cats[0].pk: [0.9]}
    )
    assert district[cats[0].pk][0].above == 4 and district[cats[0].pk][0].correct == 2


def test_another_models_predictions_are_not_counted(world):
    old, new = install_model(active=False), install_model(wrong=True)
    assert old.pk != new.pk
    history(world, old, [("urban_construction", 0.9, "urban_construction")])
    table = precision_table(
        place=world.town1,
        version=new,
        categories=[world.category],
        thresholds={world.category.pk: [0.5]},
    )
    assert table[world.category.pk][0].n == 0


def test_the_settings_page_shows_the_measured_precision(world, as_user):
    version = install_model()
    urban = "urban_construction"
    history(world, version, [(urban, 0.95, urban), (urban, 0.93, urban), (urban, 0.91, "environment")])
    AutoTriageSetting.objects.create(place=world.town1, category=world.category, enabled=True, threshold=0.92)
    response = as_user(world.office1).get("/triage/auto/")
    row = next(r for r in response.context["rows"] if r["category"] == world.category)
    assert (row["current"].precision, row["current"].coverage) == (1.0, 2 / 3)
    html = response.content.decode()
    assert "100% · coverage 67%" in html and "(2/3)" in html
    assert "67% · coverage 100%" in html  # at 50%
