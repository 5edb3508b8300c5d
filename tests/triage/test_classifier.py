"""The category classifier as plain Python: normalising, tokenizing, training, persistence,
predictions and the cache. Every corpus is written here, a few dozen lines long."""

import itertools
import math
import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from lianxin.triage import classifier as clf
from lianxin.triage import text
from lianxin.triage.classifier import Prediction, TextClassifier, evaluate, load_cached, train
from lianxin.triage.features import HEAD_WEIGHT, TextFeatures

SUBJECTS = {
    "城乡建设": ("小区路灯坏了不亮", "人行道地砖破损", "窨井盖缺失", "违章搭建彩钢棚", "物业维修基金不公开"),
    "环境保护": ("河道污水发臭", "工厂排放废气", "垃圾焚烧冒黑烟", "餐馆油烟扰民", "夜间施工噪音"),
    "交通运输": ("公交车班次太少", "路口红绿灯时间太短", "出租车拒载", "停车位不够乱停车", "校门口交通拥堵"),
}
DETAILS = ("已经两个月了", "影响居民生活", "希望尽快处理", "老人孩子出行不便", "多次反映没有解决", "请相关部门重视")


def corpus(per_label: int = 15) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, subjects in SUBJECTS.items():
        pairs = itertools.islice(itertools.cycle(itertools.product(subjects, DETAILS)), per_label)
        texts += [f"A3区{subject}，{detail}。" for subject, detail in pairs]
        labels += [label] * per_label
    return texts, labels


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    return train(*corpus())


# --- normalising and tokenizing ---------------------------------------------------------------


def test_normalize_turns_full_width_into_half_width_and_lowercases():
    assert text.normalize("ＡＢＣ１２３，ｘｙｚ") == "abc123,xyz"


def test_normalize_collapses_whitespace_and_trims():
    assert text.normalize("  路灯\t坏了\n\n 三个月 ") == "路灯 坏了 三个月"


def test_normalize_for_model_replaces_masked_place_names_by_their_kind():
    assert text.normalize_for_model("A市A3区K8县C12镇的路灯") == "某市某区某县某镇的路灯"


def test_normalize_for_model_keeps_ordinary_latin_words_and_drops_links():
    assert text.normalize_for_model("ETC 办理 见 https://example.org/a?b=1 谢谢") == "etc 办理 见 谢谢"


def test_user_dictionary_terms_stay_whole():
    entries = {word for word, _, _ in text.read_userdict()}
    assert "住建局" in entries
    assert "住建局" in text.model_tokens(text.normalize_for_model("请住建局尽快处理"))


def test_model_tokens_drop_particles_and_punctuation():
    words = text.model_tokens(text.normalize_for_model("路灯坏了，的确很不方便！"))
    assert "，" not in words and "！" not in words and "了" not in words
    assert "路灯" in words


def test_read_userdict_reads_frequency_and_tag_and_skips_comments(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("# comment\n网格员 20 n\n12345热线\n\n  # indented comment\n", encoding="utf-8")
    assert text.read_userdict(path) == [("网格员", 20, "n"), ("12345热线", None, None)]


# --- training and predicting --------------------------------------------------------------------


def test_training_learns_a_tiny_corpus(model):
    texts, labels = corpus()
    assert evaluate(model, texts, labels)["accuracy"] == 1.0
    assert model.predict("B2区河道污水发臭好几天了").label == "环境保护"
    assert model.predict("公交车班次太少，等车一小时").label == "交通运输"


def test_prediction_has_a_label_a_confidence_top_terms_and_a_probability_per_label(model):
    prediction = model.predict("小区路灯坏了不亮，晚上出门很危险")
    assert isinstance(prediction, Prediction)
    assert prediction.label in model.labels
    assert set(prediction.scores) == set(model.labels)
    assert prediction.confidence == max(prediction.scores.values())
    assert isinstance(prediction.top_terms, tuple)


@pytest.mark.parametrize("message", ["工厂排放废气", "出租车拒载", "请尽快处理", "hello", "。"])
def test_confidence_is_between_zero_and_one_and_probabilities_sum_to_one(model, message):
    prediction = model.predict(message)
    assert 0.0 <= prediction.confidence <= 1.0
    assert all(0.0 <= p <= 1.0 for p in prediction.scores.values())
    assert math.isclose(sum(prediction.scores.values()), 1.0, rel_tol=1e-6)


def test_top_terms_are_terms_of_the_text(model):
    message = "A5区工厂排放废气，夜里味道刺鼻"
    prediction = model.predict(message)
    assert prediction.top_terms
    normalised = text.normalize_for_model(message)
    assert all(term.replace(" ", "") in normalised.replace(" ", "") for term in prediction.top_terms)


def test_top_terms_never_show_masked_place_names(model):
    assert all(text.PLACE_MARK not in term for term in model.predict("A3区窨井盖缺失").top_terms)


def test_predict_many_keeps_order_and_accepts_no_texts(model):
    predictions = model.predict_many(["河道污水发臭", "出租车拒载"])
    assert [p.label for p in predictions] == ["环境保护", "交通运输"]
    assert model.predict_many([]) == []


def test_training_is_reproducible_for_a_seed(model):
    again = train(*corpus())
    message = "小区停车位不够，大家乱停车"
    assert again.predict(message).scores == pytest.approx(model.predict(message).scores)


def test_unlabeled_texts_widen_the_vocabulary_without_labels():
    texts, labels = corpus()
    widened = train(texts, labels, unlabeled=["电梯故障频发", "电梯故障无人维修"])
    assert "w:电梯" in set(widened.features.names)
    assert widened.metadata["n_unlabeled"] == 2


def test_training_refuses_mismatched_or_single_label_sets():
    with pytest.raises(ValueError, match="labels"):
        train(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="two different labels"):
        train(["路灯坏了", "路灯不亮"], ["城乡建设", "城乡建设"])


def test_training_works_with_two_labels():
    texts, labels = corpus()
    two = [(t, label) for t, label in zip(texts, labels, strict=True) if label != "交通运输"]
    model = train([t for t, _ in two], [label for _, label in two])
    prediction = model.predict("河道污水发臭")
    assert prediction.label == "环境保护"
    assert math.isclose(sum(prediction.scores.values()), 1.0, rel_tol=1e-6)


def test_evaluate_reports_accuracy_macro_f1_per_class_f1_and_confusion(model):
    result = evaluate(model, ["河道污水发臭", "出租车拒载"], ["环境保护", "城乡建设"])
    assert result["accuracy"] == 0.5
    assert set(result["per_class_f1"]) == set(model.labels)
    assert result["confusion"]["labels"] == sorted(model.labels)
    assert sum(map(sum, result["confusion"]["matrix"])) == 2


# --- persistence ------------------------------------------------------------------------------


def test_saved_model_loads_with_the_same_predictions_and_hash(model, tmp_path):
    path = tmp_path / "triage.model"
    version = model.save(path)
    loaded = TextClassifier.load(path)
    assert loaded.metadata["version"] == version == clf.content_hash(path.read_bytes())
    for message in ("河道污水发臭", "出租车拒载", "路灯不亮"):
        assert loaded.predict(message) == model.predict(message)


def test_saving_the_same_model_twice_gives_the_same_hash(model, tmp_path):
    assert model.save(tmp_path / "a.model") == model.save(tmp_path / "b.model")


def test_metadata_holds_the_label_set_metrics_and_library_versions(model, tmp_path):
    model.metadata["metrics"] = {"macro_f1": 0.9}
    model.save(tmp_path / "triage.model")
    metadata = TextClassifier.load(tmp_path / "triage.model").metadata
    assert metadata["labels"] == sorted(SUBJECTS)
    assert metadata["n_train"] == 45
    assert metadata["metrics"] == {"macro_f1": 0.9}
    assert {"python", "scikit-learn", "numpy", "scipy", "rjieba"} <= set(metadata["library_versions"])


def test_a_model_saved_before_the_opening_block_still_loads(tmp_path, monkeypatch):
    def features_without_opening_block() -> TextFeatures:
        features = TextFeatures()
        features.head = None
        return features

    monkeypatch.setattr(clf, "TextFeatures", features_without_opening_block)
    path = tmp_path / "old.model"
    train(*corpus()).save(path)
    stored = pickle.loads(path.read_bytes())  # noqa: S301 - a file this test wrote
    del stored["model"].features.__dict__["head"]
    path.write_bytes(pickle.dumps(stored))
    assert TextClassifier.load(path).predict("河道污水发臭").label == "环境保护"


def test_a_corrupt_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.model"
    path.write_bytes(b"not a model at all")
    with pytest.raises(ValueError, match="not a triage model file"):
        TextClassifier.load(path)


def test_a_file_of_an_unknown_format_gives_a_clear_error(model, tmp_path):
    path = tmp_path / "future.model"
    path.write_bytes(pickle.dumps({"format": clf.FORMAT + 1, "model": model}))
    with pytest.raises(ValueError, match="not a triage model file"):
        TextClassifier.load(path)


def test_load_cached_loads_once_and_again_when_the_file_changes(model, tmp_path, monkeypatch):
    path = tmp_path / "cached.model"
    model.save(path)
    loads = []
    real_load = TextClassifier.load.__func__
    monkeypatch.setattr(TextClassifier, "load", classmethod(lambda cls, p: loads.append(p) or real_load(cls, p)))
    first = load_cached(path)
    assert load_cached(path) is first
    assert len(loads) == 1
    model.metadata["metrics"] = {"changed": True}
    model.save(path)
    assert load_cached(path) is not first
    assert len(loads) == 2


# --- features and large corpora -------------------------------------------------------------------


def test_features_of_one_text_match_the_fitted_vectorizers(model):
    texts = ["A3区河道污水发臭，影响居民生活。", "出租车拒载", "", "。。。", "完全没见过的词语"]
    features = model.features
    normalised = [text.normalize_for_model(t) for t in texts]
    blocks = [features.char.transform(normalised), features.word.transform(normalised)]
    expected = sp.hstack([*blocks, features.head.transform(normalised) * np.float32(HEAD_WEIGHT)], format="csr")
    got = features.transform(texts)
    assert got.shape == expected.shape
    assert abs(got - expected).max() < 1e-6


def test_a_large_corpus_is_calibrated_on_one_held_out_fold(monkeypatch):
    monkeypatch.setattr(clf, "HOLD_OUT_ABOVE", 10)
    fitted = []
    real_fit = clf._fit_scorer
    monkeypatch.setattr(clf, "_fit_scorer", lambda *args: fitted.append(args[0].shape[0]) or real_fit(*args))
    model = train(*corpus())
    assert fitted == [45, 36]  # the whole corpus, then four fifths for the held-out fifth's scores
    prediction = model.predict("河道污水发臭")
    assert prediction.label == "环境保护"
    assert math.isclose(sum(prediction.scores.values()), 1.0, rel_tol=1e-6)


def test_nb_log_ratio_is_positive_for_features_seen_more_in_the_label_and_finite_for_unseen_ones():
    present = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]], dtype=np.float32))
    ratio = clf.nb_log_ratio(present, np.array([True, True, False, False]))
    assert ratio[0] > 0 > ratio[1]
    assert ratio[2] == pytest.approx(np.log((1 / 6) / (1 / 5)))  # in no text: only the added ones count
    assert np.all(np.isfinite(ratio))


def test_scores_are_one_svm_per_label_on_features_scaled_by_the_label_ratio():
    texts, labels = corpus()
    x = TextFeatures().fit(texts).transform(texts)
    y = np.asarray(labels, dtype=object)
    classes = tuple(sorted(set(labels)))
    scorer = clf._fit_scorer(x, y, classes, 0)
    present = (x > 0).astype(np.float32)
    for row, label in enumerate(classes):
        scaled = x @ sp.diags(clf.nb_log_ratio(present, y == label))
        svm = clf.LinearSVC(C=clf.SVM_C, class_weight="balanced", random_state=0).fit(scaled, y == label)
        assert scorer.decision(x)[:, row] == pytest.approx(svm.decision_function(scaled), abs=1e-4)


def test_weights_are_stored_so_that_scoring_a_text_reads_them_without_a_copy(model):
    assert model.scorer.coef.T.flags["C_CONTIGUOUS"]


def test_top_terms_are_whole_words_not_fragments_or_punctuation(model):
    for sample in ("晚上小区的路灯坏了，楼很黑，老人出门不方便。", "下水道堵了，污水漫到路面，出门要绕道,请疏通。"):
        terms = model.predict(sample).top_terms
        for term in terms:
            assert all(len(part) >= 2 and part.isalnum() for part in term.split(" ")), terms
        assert "的路" not in terms and "楼很" not in terms


def test_a_corpus_above_the_nbsvm_size_gets_one_plain_multiclass_svm(monkeypatch):
    texts, labels = corpus()
    x = TextFeatures().fit(texts).transform(texts)
    y = np.asarray(labels, dtype=object)
    classes = tuple(sorted(set(labels)))
    monkeypatch.setattr(clf, "NBSVM_UP_TO", len(texts) - 1)
    scorer = clf._fit_scorer(x, y, classes, 0)
    svm = clf.LinearSVC(C=clf.PLAIN_SVM_C, class_weight="balanced", random_state=0).fit(x, y)
    assert scorer.decision(x) == pytest.approx(svm.decision_function(x), abs=1e-4)
    assert scorer.coef.T.flags["C_CONTIGUOUS"]


def test_training_stopped_by_the_iteration_cap_warns_no_one(monkeypatch):
    """The demo's templated texts make liblinear stop at its cap; that must not print warnings."""
    import functools
    import warnings

    monkeypatch.setattr(clf, "LinearSVC", functools.partial(clf.LinearSVC, max_iter=1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = train(*corpus())
    assert model.predict("小区路灯坏了不亮，希望尽快处理。").label == "城乡建设"
