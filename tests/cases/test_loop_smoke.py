from lianxin.cases import services
from lianxin.cases.workflow import Status


def test_opinion_travels_the_whole_loop_and_every_step_is_on_the_timeline(world):
    case = world.opinion()
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    services.case_accept(case=case, actor=world.handler_a)
    services.case_reply(case=case, actor=world.handler_a, text="已安排维修人员更换路灯，三日内完成。")
    services.case_rate(case=case, stars=2, comment="还没修好")
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    services.case_reply(case=case, actor=world.handler_a, text="路灯已于今日更换完毕，请您查看。")
    services.case_rate(case=case, stars=5)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["submit", "triage", "assign", "accept", "reply", "rate", "reopen", "reply", "rate", "close"]
