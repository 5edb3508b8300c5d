"""Retraining from the platform's cases, the retrain guard, the command and the weekly task."""

import csv
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lianxin.cases import services as case_services
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.routing import tasks
from lianxin.routing.models import CasePrediction, Decision, ModelVersion, PredictionSource, TrainingSource
from lianxin.routing.training import Activate, platform_examples, split_held_back, train_and_register
from tests.routing.conftest import SUBJECTS, category, corpus, install_model, texts_for


def platform(world, n: int = 10) -> None:
    """n opinions per category, each triaged by a person (a label)."""
    for code in SUBJECTS:
        for text in texts_for(code, n, offset=3):
            case = world.opinion(text=text)
            case_services.case_triage(case=case, actor=world.office1, category=category(code))


def seed_csv(path, *, wrong: bool) -> str:
    """A corpus in the contest's format with Chinese labels (wrong: each text under another label)."""
    names = {"urban_construction": "城乡建设", "environment": "环境保护", "transport": "交通运输"}
    texts, labels = corpus(n=60, wrong=wrong)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "body", "time", "label"])
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            writer.writerow([i, "", text, "2024-01-01", names[label]])
    return str(path)


def test_platform_examples_take_closed_cases_and_the_newest_label_of_open_ones(world):
    case = world.opinion(text="小区附近路灯坏了不亮，已经两个月了。")
    case_services.case_triage(case=case, actor=world.office1, category=category("environment"))
    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    world.opinion(text="没有分类的意见，还在等待处理。")
    examples = platform_examples()
    assert [(e.case_id, e.label) for e in examples] == [(case.pk, "urban_construction")]


def test_the_held_back_slice_is_the_newest_fifth_of_each_category(world):
    platform(world, n=10)
    kept, held = split_held_back(platform_examples())
    assert len(held) == 6 and len(kept) == 24
    for code in SUBJECTS:
        newest_kept = max(e.at for e in kept if e.label == code)
        assert all(e.at >= newest_kept for e in held if e.label == code)


def test_first_training_activates_and_scores_on_the_held_back_slice(world):
    platform(world)
    result = train_and_register()
    version = result.version
    assert result.activated and version.active and version.decision == Decision.FIRST
    assert version.n_held_back == 6 and version.n_train == 24
    assert 0 <= version.macro_f1 <= 1 and version.metrics["confusion"]["labels"]
    assert set(version.labels) == set(SUBJECTS)
    held = CasePrediction.objects.filter(model_version=version)
    assert held.count() == 6 and set(held.values_list("source", flat=True)) == {PredictionSource.HELD_BACK}


def test_a_better_model_replaces_a_worse_one(world):
    bad = install_model(wrong=True)
    platform(world)
    result = train_and_register()
    assert result.activated and result.macro_f1 >= result.compared_macro_f1
    assert result.compared_macro_f1 < 0.5 <= result.macro_f1
    assert ModelVersion.objects.get(active=True) == result.version
    bad.refresh_from_db()
    assert not bad.active and result.version.decision == Decision.BETTER


def test_a_worse_model_is_kept_inactive(world, tmp_path):
    good = install_model()
    platform(world)
    result = train_and_register(seed_csv=seed_csv(tmp_path / "seed.csv", wrong=True), label_map=_map())
    assert not result.activated and result.macro_f1 < result.compared_macro_f1
    assert result.version.decision == Decision.WORSE and not result.version.active
    assert ModelVersion.objects.get(active=True) == good
    assert ModelVersion.objects.count() == 2


def test_activation_can_be_forced_or_refused(world):
    good = install_model()
    platform(world)
    kept = train_and_register(activate=Activate.NEVER)
    assert not kept.activated and kept.version.decision == Decision.NOT_ASKED
    assert ModelVersion.objects.get(active=True) == good


def test_without_labels_training_is_refused_clearly(world):
    with pytest.raises(ApplicationError, match="至少需要两个类别"):
        train_and_register()


def _map() -> dict:
    return {"城乡建设": "urban_construction", "环境保护": "environment", "交通运输": "transport"}


# --- the command ------------------------------------------------------------------------------


def test_the_command_trains_from_a_seed_corpus_with_the_default_label_map(world, tmp_path):
    out = StringIO()
    call_command("triage_train", seed_csv=seed_csv(tmp_path / "seed.csv", wrong=False), stdout=out)
    version = ModelVersion.objects.get()
    assert version.active and version.n_train == 180 and version.n_held_back == 0
    assert version.content_hash in out.getvalue()


def test_the_command_reads_a_label_map_given_inline_or_as_a_file(world, tmp_path):
    path = seed_csv(tmp_path / "seed.csv", wrong=False)
    call_command(
        "triage_train",
        seed_csv=path,
        label_map=json.dumps({"城乡建设": "urban_construction", "环境保护": "environment"}),
        stdout=StringIO(),
    )
    assert set(ModelVersion.objects.get().labels) == {"urban_construction", "environment"}
    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps(_map()), encoding="utf-8")
    call_command("triage_train", seed_csv=path, label_map=str(map_file), activate="always", stdout=StringIO())
    assert set(ModelVersion.objects.get(active=True).labels) == set(SUBJECTS)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"label_map": "{not json"}, "标签映射"),
        ({"label_map": json.dumps({"城乡建设": "no_such_category"})}, "no_such_category"),
        ({"activate": "sometimes"}, "sometimes"),
    ],
)
def test_the_command_refuses_bad_input_with_a_message(world, tmp_path, options, message):
    path = seed_csv(tmp_path / "seed.csv", wrong=False)
    with pytest.raises(CommandError, match=message):
        call_command("triage_train", seed_csv=path, stdout=StringIO(), **options)


def test_the_command_reports_a_missing_corpus(world, tmp_path):
    with pytest.raises(CommandError, match="无法读取语料"):
        call_command("triage_train", seed_csv=str(tmp_path / "missing.csv"), stdout=StringIO())


# --- the weekly task -------------------------------------------------------------------------


def test_the_weekly_task_retrains_unless_a_model_is_recent(world):
    platform(world)
    first = tasks.retrain_weekly.call()
    assert first["trained"] and first["activated"]
    assert tasks.retrain_weekly.call() == {"trained": False}
    ModelVersion.objects.update(trained_at=clock.now() - timedelta(days=8))
    again = tasks.retrain_weekly.call()
    assert again["trained"] and ModelVersion.objects.filter(source=TrainingSource.WEEKLY).count() >= 1


def test_the_weekly_task_without_data_does_nothing(world):
    assert tasks.retrain_weekly.call() == {"trained": False}


def test_merged_duplicates_are_not_training_examples_of_their_own(world):
    original = world.opinion(text="小区附近路灯坏了不亮，已经两个月了。")
    dup = world.opinion(text="小区附近的路灯坏了，晚上不亮。")
    case_services.case_link_duplicate(case=dup, actor=world.office1, original=original)
    case_services.case_triage(case=original, actor=world.office1, category=world.category)
    case_services.case_resolve_on_spot(case=original, actor=world.office1, reason="已现场修复路灯。")
    for case in (original, dup):
        case.refresh_from_db()
    assert (dup.status, dup.category) == ("closed", world.category)
    examples = platform_examples()
    assert [e.case_id for e in examples] == [original.pk]
