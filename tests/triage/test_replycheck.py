"""The reply check as plain functions: each warning, its measured values, and the calibration."""

import dataclasses

import pytest

from lianxin.triage import replycheck as rc

OPINION = "小区东门的路灯坏了三个多月，晚上老人出门很不安全，希望尽快修好。"
GOOD_REPLIES = (
    "已安排维修人员核查，本周内更换东门路灯。",
    "东门三盏路灯已于今日全部更换并通电，欢迎监督。",
    "您好！您反映的东门路灯问题已收悉。经现场核实，三盏路灯线路老化，已安排施工队于5月20日前完成更换。"
    "如有疑问请拨打0571-87654321。",
)


def codes(question: str, reply: str, **kwargs) -> set[str]:
    return {w.code for w in rc.check_reply(question, reply, **kwargs)}


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_a_concrete_reply_on_the_topic_raises_no_warning(reply):
    assert rc.check_reply(OPINION, reply) == []


def test_an_acknowledgement_alone_raises_all_three_warnings():
    assert codes(OPINION, "您好，您的留言已收悉，感谢您的关心和支持！") == {
        rc.TOO_SHORT,
        rc.OFF_TOPIC,
        rc.NOTHING_CONCRETE,
    }


def test_too_short_reports_the_length_against_the_expected_length():
    opinion = OPINION + "东门是小区的主要出入口，每天晚上都有很多老人和孩子经过，之前已经有人摔倒过。" * 3
    [warning] = [w for w in rc.check_reply(opinion, "东门路灯已于今日更换。") if w.code == rc.TOO_SHORT]
    assert warning.values["length"] == 10  # 东门路灯已于今日更换: punctuation does not count
    assert warning.values["minimum"] > warning.values["length"]
    assert warning.values["expected"] > warning.values["minimum"]


def test_greetings_thanks_and_the_signature_date_are_not_substance():
    assert rc.substance("网友您好！您的留言已收悉。感谢您对我们工作的关心和支持！2019年5月9日") == 0
    assert rc.substance("张先生，您好！路灯已修好。") == len("路灯已修好")


def test_off_topic_names_the_key_terms_the_reply_misses():
    reply = "经核实，菜市场门口的垃圾桶已于今日清运完毕，如有问题请拨打12345。"
    [warning] = [w for w in rc.check_reply(OPINION, reply) if w.code == rc.OFF_TOPIC]
    assert {"路灯", "东门"} <= set(warning.values["missing"])
    assert warning.values["coverage"] < warning.values["minimum"]


def test_a_close_form_of_a_key_term_counts_as_mentioned():
    assert rc.mentions("已更换防坠落井盖", "窨井盖")
    assert rc.mentions("东门的路灯已修好", "东门")
    assert not rc.mentions("垃圾已清运", "路灯")


def test_nothing_concrete_fires_on_vague_promises():
    for reply in ("东门路灯的问题我们会尽快处理，请您耐心等待。", "东门路灯的问题已转交相关部门处理。"):
        assert rc.NOTHING_CONCRETE in codes(OPINION, reply), reply


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        ("东门路灯已责令物业维修。", "action"),
        ("东门路灯将在3个工作日内修复。", "time"),
        ("东门路灯请联系物业服务中心，电话13812345678。", "contact"),
        ("按照《城市照明管理规定》，东门路灯由物业负责。", "basis"),
    ],
)
def test_each_concrete_element_is_recognised(reply, kind):
    found = rc.concrete_elements(reply)
    assert found[kind], found
    assert rc.NOTHING_CONCRETE not in codes(OPINION, reply)


def test_the_signature_date_and_a_vague_forward_are_not_concrete():
    found = rc.concrete_elements("您反映的问题已转交相关部门调查处理。2019年5月9日")
    assert not any(found.values())


def test_department_names_are_not_actions():
    assert not rc.concrete_elements("我们将把您的意见反馈给区教育局和住房和城乡建设局。")["action"]


def test_the_kept_calibration_loads_and_survives_a_round_trip():
    cal = rc.default_calibration()
    assert 0 < cal.short_ratio < 1 and 0 < cal.coverage_min < 1
    assert len(cal.length_knots) >= 3 and len(cal.idf) > 1000
    assert rc.Calibration.from_dict(cal.to_dict()) == cal
    assert cal.meta["replies"] > 1000  # calibrated on real replies, not on a sample


def test_longer_questions_expect_longer_replies_and_short_ones_shorter():
    cal = rc.default_calibration()
    first_q, first_n = cal.length_knots[0]
    assert cal.expected_length(20) < first_n == pytest.approx(cal.expected_length(first_q))
    assert cal.expected_length(50) < cal.expected_length(300) <= cal.expected_length(100_000)


def test_a_kind_with_its_own_factor_changes_the_expected_length():
    cal = dataclasses.replace(rc.default_calibration(), kinds={"property_management": 2.0})
    assert cal.expected_length(100, "property_management") == pytest.approx(2 * cal.expected_length(100))
    assert cal.expected_length(100, "transport") == cal.expected_length(100)
    reply = "东门路灯已安排维修，本周内完成。"
    assert rc.TOO_SHORT not in codes(OPINION, reply, kind="transport", calibration=cal)
    assert rc.TOO_SHORT in codes(OPINION, reply, kind="property_management", calibration=cal)


def test_a_question_too_thin_to_judge_is_never_off_topic():
    assert rc.measure("谢谢！", "已安排人员本周内上门。").coverage is None
    assert rc.OFF_TOPIC not in codes("谢谢！", "已安排人员本周内上门。")
