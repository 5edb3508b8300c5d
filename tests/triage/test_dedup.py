"""Near-duplicate signatures and the in-memory index (pure: no database)."""

import numpy as np
import pytest

from lianxin.triage import dedup

LAMP = "小区门口路灯坏了三个月，晚上出行很不方便，老人小孩都容易摔倒，请尽快修理。"
LAMP_REPOST = "小区门口的路灯坏了3个月了！晚上出行很不方便，老人小孩容易摔倒，请尽快修理，谢谢。"
WATER = "西山村自来水已经停了两天，村民做饭洗衣都成问题，请自来水公司尽快恢复供水。"
NOISE = "工地每天夜里施工到凌晨两点，噪音太大，附近居民根本无法休息，请城管部门查处。"


def test_canonical_text_ignores_punctuation_width_case_and_numbers():
    assert dedup.canonical("ＡＢ路灯，坏了 12 天！") == dedup.canonical("ab路灯坏了3天")


def test_signature_is_stable_across_machines_and_versions():
    """Stored signatures must keep matching: these values may only change with SIGNATURE_VERSION."""
    signature = dedup.signature("小区门口路灯坏了三个月，晚上出行很不方便。")
    assert dedup.SIGNATURE_VERSION == 1
    assert signature.minhash[:4].tolist() == [143861931, 19522170, 146992628, 372007680]
    assert signature.keys[:2] == (3351248577547544670, 4738409326370885799)


def test_band_keys_fit_a_signed_64_bit_database_column():
    keys = dedup.signature(LAMP).keys
    assert len(keys) == dedup.BANDS
    assert all(0 <= k < 2**63 for k in keys)


def test_many_signatures_at_once_equal_one_at_a_time():
    texts = [LAMP, WATER, "", "好"]
    matrix = dedup.minhash_many(texts)
    assert all((matrix[i] == dedup.minhash(t)).all() for i, t in enumerate(texts))


def test_signature_round_trips_through_bytes():
    signature = dedup.minhash(LAMP)
    stored = dedup.to_bytes(signature)
    assert len(stored) == dedup.NUM_PERM * 4
    assert (dedup.from_bytes(stored) == signature).all()
    with pytest.raises(ValueError):
        dedup.from_bytes(b"short")


def test_exact_jaccard_of_a_repost_is_high_and_of_another_issue_is_zero():
    assert dedup.jaccard(LAMP, LAMP) == 1.0
    assert dedup.jaccard(LAMP, LAMP_REPOST) > 0.4
    assert dedup.jaccard(LAMP, WATER) < 0.05
    assert dedup.jaccard(LAMP, "") == 0.0


def test_estimate_follows_the_exact_similarity():
    exact = dedup.jaccard(LAMP, LAMP_REPOST)
    assert abs(dedup.estimate(dedup.minhash(LAMP), dedup.minhash(LAMP_REPOST)) - exact) < 0.2


def test_an_empty_text_is_nobodys_duplicate():
    assert dedup.signature("。！？").empty
    index = dedup.DuplicateIndex()
    index.add("empty", "")
    index.add("also-empty", "!!")
    assert index.query("") == []
    assert index.query(LAMP) == []


def test_a_text_shorter_than_a_shingle_still_matches_itself():
    index = dedup.DuplicateIndex()
    index.add(1, "停水")
    assert [m.id for m in index.query("停水！")] == [1]


def _index() -> dedup.DuplicateIndex:
    index = dedup.DuplicateIndex()
    for item, text in (("lamp", LAMP), ("water", WATER), ("noise", NOISE)):
        index.add(item, text)
    return index


def test_index_finds_the_repost_and_not_the_unrelated_texts():
    matches = _index().query(LAMP_REPOST)
    assert [m.id for m in matches] == ["lamp"]
    assert dedup.DUPLICATE_THRESHOLD <= matches[0].similarity <= 1.0


def test_index_finds_an_edited_copy_with_sentences_reordered():
    reordered = "晚上出行很不方便，老人小孩都容易摔倒。小区门口路灯坏了三个月，请尽快修理。"
    assert [m.id for m in _index().query(reordered)] == ["lamp"]


def test_removed_text_stops_matching_at_once_and_after_compaction():
    index = _index()
    assert index.remove("lamp") is True
    assert index.remove("lamp") is False
    assert index.query(LAMP) == []
    index.compact()
    assert index.query(LAMP) == [] and len(index) == 2
    assert [m.id for m in index.query(WATER)] == ["water"]


def test_adding_an_id_again_replaces_its_text():
    index = _index()
    index.add("lamp", NOISE)
    assert {m.id for m in index.query(NOISE)} == {"lamp", "noise"}
    assert index.query(LAMP) == []


def test_bulk_add_matches_single_adds_and_query_takes_a_signature():
    index = dedup.DuplicateIndex()
    index.add_many(["lamp", "water"], dedup.minhash_many([LAMP, WATER]))
    index.add("noise", NOISE)  # pending, not yet compacted
    assert [m.id for m in index.query(dedup.minhash(LAMP_REPOST))] == ["lamp"]
    assert [m.id for m in index.query(NOISE)] == ["noise"]
    with pytest.raises(ValueError):
        index.add_many(["one"], dedup.minhash_many([LAMP, WATER]))
    with pytest.raises(ValueError):
        index.query(np.zeros(3, dtype=np.uint32))


def test_results_are_ordered_by_similarity_and_limited():
    index = dedup.DuplicateIndex()
    index.add("same", LAMP)
    index.add("repost", LAMP_REPOST)
    matches = index.query(LAMP, limit=5)
    assert [m.id for m in matches] == ["same", "repost"]
    assert matches[0].similarity == 1.0 > matches[1].similarity
    assert len(index.query(LAMP, limit=1)) == 1
    assert index.query(LAMP, threshold=1.0)[0].id == "same"


def test_oversized_buckets_are_skipped_as_stop_keys():
    index = dedup.DuplicateIndex(max_bucket=2)
    for i in range(3):
        index.add(i, LAMP)
    assert index.query(LAMP) == []  # every band of LAMP is now shared by 3 > 2 texts


def test_index_grows_past_its_capacity_and_compacts_automatically():
    index = dedup.DuplicateIndex(capacity=2)
    texts = [f"{WATER}第{i}组村民反映" + "重复" * (i % 7) for i in range(300)]
    for i, text in enumerate(texts):
        index.add(i, text)
    assert len(index) == 300 and index.nbytes > 0
    assert 5 in {m.id for m in index.query(texts[5], limit=300)}
