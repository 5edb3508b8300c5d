"""The words around a problem: how residents ask, how departments answer, what deputies say.

Data in Chinese (what people write into the platform), not interface strings.
"""

import random
from datetime import datetime

from .problems import Problem

DURATIONS = ("三四天", "一个星期", "一个多星期", "半个月", "半个多月", "快一个月", "一个多月", "两个月")
ASKS = (
    "希望有关部门尽快处理。",
    "恳请相关部门帮忙解决一下。",
    "麻烦代表帮忙反映一下，谢谢！",
    "希望尽快派人来看看。",
    "请相关部门重视，尽快解决。",
    "希望能给个答复，谢谢。",
    "盼早日解决！",
)

REPLY_FRAMES = (
    "{hello}您反映的“{subject}”问题已收悉。经现场核实，{finding}。{action}。感谢您对我们工作的关心和监督！",
    "{hello}关于您反映的{place}{subject}问题，{unit}高度重视，第一时间安排工作人员到现场查看。"
    "经核实，{finding}。{action}。如仍有问题，欢迎您再次反映。",
    "{hello}收到您的意见后，我们于{date}到现场进行了核实，{finding}。{action}。后续我们将加强日常巡查，感谢您的支持！",
    "{hello}您通过{channel}反映的{subject}问题，{unit}已办理完毕。经查，{finding}。{action}。特此答复。",
)
REOPEN_REPLY = (
    "{hello}针对您对上次答复不满意的情况，{unit}重新组织人员到现场复查，{finding}。经再次处理，{action}。"
    "给您带来的不便深表歉意，欢迎继续监督。"
)
REOPEN_FINDINGS = ("发现前期处理不够彻底，仍有部分问题没有解决", "发现整改后问题有所反弹", "确认前期答复与实际情况不符")
DUPLICATE_REPLY = (
    "{hello}您反映的问题与其他群众反映的为同一事项，已并案办理。经核实，{finding}。{action}。感谢您的关心！"
)

CHANNEL_WORDS = {
    "deputy_qr": "人大代表码",
    "station_qr": "联络站码",
    "station_visit": "联络站接待",
    "home_visit": "代表走访",
    "phone": "电话",
    "web": "网站",
    "open311": "随手拍",
}

RATING_COMMENTS = {
    5: ("处理很及时，谢谢！", "问题解决了，为代表和部门点赞。", "满意，效率很高。", "", "", "非常感谢！"),
    4: ("已经处理好了，希望以后多巡查。", "总体满意，就是时间稍微长了点。", ""),
    3: ("基本解决了，但速度还可以再快些。", "问题还没完全解决，先给个中评。", ""),
    2: ("回复说已经处理了，但现场还是老样子。", "只是答复了，问题没有解决。"),
    1: ("根本没人来看过，答复是敷衍。", "问题依旧，很不满意。"),
}

ACCEPT_NOTES = ("", "", "已受理，将尽快安排人员到现场核实。", "已收到，正在联系相关科室办理。")
PROGRESS_NOTES = (
    "已安排工作人员到现场查看，正在制定处理方案。",
    "已与反映人电话联系，进一步了解了具体情况。",
    "整改工作正在进行中，预计{days}内完成。",
    "已联系相关单位共同处理，目前正在施工。",
)
SUGGESTION_PROGRESS = (
    "已召开专题会议研究该建议，正在制定实施方案。",
    "已会同相关镇街开展实地调研，实施方案已上报区政府。",
    "已与代表当面沟通办理思路，代表表示认可。",
)
PROGRESS_DAYS = ("两天", "三个工作日", "一周")
RETURN_REASON = "经核实，该事项属于{right}的职责范围，不属于{unit}管辖，请重新交办。"
REASSIGN_NOTE = "经协调，改由{right}主办。"
ON_SPOT = (
    "接到反映后，代表当天到现场查看，当即联系社区和物业协调处理，问题已现场解决，反映人表示满意。",
    "经代表与社区现场协调，相关问题已当场处理完毕，已电话告知反映人。",
    "代表和网格员一同上门，向反映人解释了相关政策，反映人表示理解和认可。",
    "代表协调社区干部到现场处理，已于当天整改到位，反映人表示感谢。",
)
# (category, what the resident wrote, why it is not admissible); the text may use {loc}.
NOT_ADMISSIBLE = (
    (
        "rule_of_law",
        "我和前夫的财产纠纷已经起诉到法院了，拖了半年还没判，请人大代表帮我催一下法院，尽快判决。",
        "经核实，该事项已进入司法诉讼程序，依据有关规定不属于本平台受理范围，建议您通过法律途径依法维权。",
    ),
    (
        "other",
        "{loc}楼下邻居家的狗总是冲我叫，我跟他说了也不管，能不能让他家别养狗了？",
        "该事项属于邻里之间的民事纠纷，建议您向所在社区人民调解委员会申请调解，社区将提供帮助。",
    ),
    (
        "other",
        "投诉！这个问题拖了很久了，到现在都没人管，希望领导重视！",
        "您反映的内容没有具体事项和地点，我们多次电话联系未果，暂无法受理。欢迎补充信息后重新提交。",
    ),
    (
        "economy",
        "我去年在网上买的理财产品亏了很多钱，要求政府帮我把钱追回来。",
        "您反映的属于个人投资纠纷，不属于本平台受理范围，建议您向金融监管部门投诉或通过法律途径解决。",
    ),
)
URGE_NOTES = (
    "群众多次向我反映此事，请承办单位加快办理进度，尽快给群众答复。",
    "该问题涉及老人出行安全，请抓紧处理。",
    "已超过答复时限，请承办单位说明原因并尽快办结。",
)
INTERNAL_NOTES = (
    "已电话联系反映人，核实了具体位置。",
    "近期同类问题较多，建议纳入月度民情分析。",
    "请承办单位注意答复口径，做好解释工作。",
)
ADOPT_NOTES = (
    "该建议已被采纳，纳入明年民生实事项目候选清单。",
    "建议已采纳，相关做法将在全区推广。",
    "已采纳，列入下一阶段专项整治计划。",
)
DUPLICATE_NOTE = "与{code}反映的是同一问题，并案办理。"
TRIAGE_URGENT_NOTE = "涉及安全隐患，列为紧急件。"
CLIENT_NAME = "示范区随手拍"


def resident_text(rng: random.Random, problem: Problem, loc: str, *, variant: int | None = None) -> tuple[str, int]:
    """The resident's words, and which of the problem's texts they follow (the variant, drawn
    unless given: another report of the same problem follows the same text)."""
    if variant is None:
        variant = rng.randrange(len(problem.texts))
    text = problem.texts[variant].format(loc=loc, n=rng.choice(DURATIONS), ask=rng.choice(ASKS), k=rng.randint(2, 5))
    return text, variant


def reject_reason(problem: Problem) -> str:
    return problem.findings[0]


def finding_and_action(rng: random.Random, problem: Problem, variant: int) -> tuple[str, str]:
    """What the department found and did, matching what the resident wrote: lists as long as
    the texts follow them one to one, actions as long as the findings follow the finding."""
    findings, actions = problem.findings, problem.actions
    f = variant if len(findings) == len(problem.texts) else rng.randrange(len(findings))
    if len(actions) == len(findings):
        a = f
    elif len(actions) == len(problem.texts):
        a = variant
    else:
        a = rng.randrange(len(actions))
    k = rng.randint(2, 9)
    return findings[f].format(k=k), actions[a].format(k=k)


def salutation(name: str, female: bool) -> str:
    if not name:
        return "您好！"
    return f"{name[0]}{'女士' if female else '先生'}，您好！"


def reply_text(
    rng: random.Random,
    problem: Problem,
    variant: int,
    *,
    hello: str,
    place: str,
    unit: str,
    channel: str,
    when: datetime,
) -> str:
    finding, action = finding_and_action(rng, problem, variant)
    return rng.choice(REPLY_FRAMES).format(
        hello=hello,
        subject=problem.subject,
        place=place,
        unit=unit,
        channel=CHANNEL_WORDS.get(channel, "平台"),
        date=f"{when.month}月{when.day}日",
        finding=finding,
        action=action,
    )


def reopen_reply_text(rng: random.Random, problem: Problem, variant: int, *, hello: str, unit: str) -> str:
    _finding, action = finding_and_action(rng, problem, variant)
    return REOPEN_REPLY.format(hello=hello, unit=unit, finding=rng.choice(REOPEN_FINDINGS), action=action)


def duplicate_reply_text(rng: random.Random, problem: Problem, variant: int, *, hello: str) -> str:
    finding, action = finding_and_action(rng, problem, variant)
    return DUPLICATE_REPLY.format(hello=hello, finding=finding, action=action)


def progress_note(rng: random.Random, *, suggestion: bool = False) -> str:
    if suggestion:
        return rng.choice(SUGGESTION_PROGRESS)
    return rng.choice(PROGRESS_NOTES).format(days=rng.choice(PROGRESS_DAYS))


def rating_comment(rng: random.Random, stars: int) -> str:
    return rng.choice(RATING_COMMENTS[stars])


def unit_word(department_name: str) -> str:
    """How a department calls itself in a letter: 我局, 我委, 我办."""
    for suffix, word in (("局", "我局"), ("委", "我委"), ("办事处", "我办")):
        if department_name.endswith(suffix):
            return word
    return "我单位"
