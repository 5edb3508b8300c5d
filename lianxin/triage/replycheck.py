"""The reply check: advice to a department before it sends a reply to a resident.

Three warnings, each with the measured values so the page can explain it:

- ``too_short``: the reply's substance (characters left after greetings, thanks, receipts and
  the signature date are removed) is far below what real replies to questions of the same length
  usually have.
- ``off_topic``: the reply mentions too little of what the question is about: its key terms
  (nouns, places and objects, weighted by TF-IDF against a background of real messages).
- ``nothing_concrete``: the reply names no action taken or promised, no time, no contact and
  no rule it relies on.

"Of its kind" means for a question of about the same length (measured: the category adds
little on real replies); a calibration may still scale the expectation per category code.

The thresholds come from real replies (``benchmarks/reply_check.py --calibrate`` writes
``replycheck_calibration.json``: derived numbers only, the background vocabulary as hashes).
Plain Python, no Django: the form, the benchmark and the tests share it.
"""

import json
import math
import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import rjieba

from .text import STOPWORDS, normalize

CALIBRATION_PATH = Path(__file__).with_name("replycheck_calibration.json")
TOO_SHORT, OFF_TOPIC, NOTHING_CONCRETE = "too_short", "off_topic", "nothing_concrete"
CONCRETE_KINDS = ("action", "time", "contact", "basis")

# --- what is not substance ------------------------------------------------------------------
# Courtesy that every reply may carry; it answers nothing, so it does not count as length.
BOILERPLATE = tuple(
    re.compile(p)
    for p in (
        # the salutation, with any name or user id before it
        r"^[^。！!，,]{0,24}?[，,:：]?\s*(您好|你好)[!！,，:：。]?",
        r"(您|你)?(的|所)?(反映的?)?(问题|留言|来信|意见|函件|信件|帖文|情况)?(已|均)?(收悉|已阅|收到|知悉)[!！。，,]?",
        r"现将?(有关|相关|调查|处理|核实|办理)*(情况|结果)?(回复|答复)如下[:：]?",
        r"特此(答复|回复|函告)[。!！]?",
        r"(再次)?(衷心|非常)?感谢(您|你)[^,。!?;]{0,30}[。!]?",
        r"谢谢(您|你)?[^,。!?;]{0,10}[。!]?",
        r"欢迎(您)?(继续|再次)?(监督|关注|批评指正)[。！!]?",
    )
)
# The date a reply is signed with says nothing about when anything happens.
SIGNATURE_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\W*$")
_WORD_CHAR = re.compile(r"\w")

# --- what counts as concrete ------------------------------------------------------------------
# Verbs of doing something about the matter (not of receiving or forwarding it vaguely).
ACTION_VERBS = (
    "安排|派出|派员|组织|责令|责成|督促|督办|要求|通知|约谈|协调|联系|转交|转办|交办|移交|维修|修复|修缮|更换|"
    "安装|加装|增设|补种|清理|清运|清除|疏通|封堵|拆除|取缔|关停|停业|清退|整改|整治|处罚|罚款|查处|立案|查封|"
    "扣押|暂扣|下达|调查|检测|抽检|监测|巡查|核查|施工|铺设|硬化|改造|开工|完工|竣工|恢复|启动|开通|调整|落实|"
    "发放|补发|退还|退费|补偿|赔偿|办理|补办|纳入|列入|上门|回访|探访|建设|修建|新建|改建|拓宽|实施|编制|制定|召开|"
    "公示|公布|设置|设立|开设|配备|增派|派驻|张贴|取消|关闭|暂停|禁止|没收|劝离|劝导|教育|警告|扑灭|消杀|清扫|"
    "会同|联合|开展|检查|提供|推荐|安置|协助|帮助|签订|拨付|沟通|到现场|赴现场|实地|交由|不再"
)
# Markers of done, doing or will do (会 only after 我们/我局…: 社会, 会议 are not promises).
ACTION_MARKERS = r"已经?|已于|正在|将于?|(?<=[们局办委处])会|立即|马上|当即|当场|当天|随即|计划于|拟|预计|即将"
# A verb inside an office's name is not an action: 建设局, 教育局, 检查站.
_NOT_AN_OFFICE = r"(?![局厅委站部所处办科院队]|中心)"
ACTION = re.compile(
    # a marker, then within the same clause a concrete verb
    rf"({ACTION_MARKERS})[^,。!?;]{{0,16}}({ACTION_VERBS}){_NOT_AN_OFFICE}"
    # or a concrete verb followed by a mark of completion: 拆除了, 更换完毕, 安装工作已经结束
    rf"|({ACTION_VERBS})(工作)?(已经?|均已|已全部)?(了|完毕|到位|完成|结束)"
    # or a finding from looking into it: 经现场核查, 经我局工作人员调查
    r"|经[^,。!?;]{0,12}(核查|核实|调查|检测|勘察|勘查|查看|排查|测量)"
    # or an official notice served
    r"|《[^》]{0,20}(通知书|决定书|告知书)》"
)
# Forwarding to "the relevant department" names nobody: the whole clause is not concrete.
VAGUE_FORWARD = re.compile(
    r"(?:^|(?<=[,。;!?]))[^,。;!?]*(转交|转办|交办|移交|转)(给|至|到)?(相关|有关)(部门|单位)[^,。;!?]*"
)
NUMERAL = r"[0-9一二两三四五六七八九十半几数]"
TIME = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月"  # 2024年5月
    r"|\d{1,2}\s*月\s*(\d{1,2}\s*[日号]|底|初|中旬|上旬|下旬|份)"  # 5月20日, 6月底
    rf"|{NUMERAL}+\s*个?\s*(工作日|日|天|周|星期|礼拜|月|小时)(内|之内|以内|前|后)"  # 3个工作日内
    r"|今天|今日|当天|当日|明天|明日|本周|下周|本月|下月|月底|月初|年底|年内|春节前|节前|汛期前|开学前"
)
CONTACT = re.compile(
    r"1[3-9]\d{9}"  # a mobile number
    r"|\d{3,4}-\d{4,8}(-\d{4,8})?"  # a landline, also masked as 0731-0000-0000
    r"|123\d\d|96\d{3,4}"  # hotlines: 12345, 12315, 12319, 96…
    r"|联系电话|咨询电话|服务电话|热线|拨打|致电|来电|联系人|联系方式|窗口|服务大厅|办事大厅|政务服务中心|地址|门牌"
    r"|(到|前往|去|向)[^,。;!?]{2,20}(办理|咨询|申请|打印|领取|查询|登记|反映|投诉|提出|提交|寻求|求助)"  # where to go
    r"|(咨询|联系|致电)[^,。;!?]{0,16}(局|厅|委|办|中心|站|所|科|处|政府|社区|居委会|村委会|窗口)"  # whom to ask
    r"|https?://"
    r"|[\u4e00-\u9fff]{1,8}(科|股|室)(咨询|联系|办理|反映)"
)
# Answers to a question about the rules are concrete when they name the rule.
BASIS = re.compile(
    r"《[^》]{2,40}(法|条例|办法|规定|规则|细则|通知|意见|方案|标准|政策|规划|决定|问答)[^》]{0,10}》"
    r"|第[0-9一二三四五六七八九十百]+条"
)

# --- key terms of the question ----------------------------------------------------------------
# Parts of speech of nouns, places and objects (jieba's tag set).
TERM_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "ng", "vn", "an", "s", "l", "j", "i"})
# Words of asking and answering that every message carries, whatever it is about.
GENERIC_TERMS = frozenset(
    re.findall(
        r"\S+",
        """
        问题 情况 事情 部门 有关部门 相关部门 政府 领导 领导们 书记 市长 网友 市民 群众 老百姓 百姓 本人 大家
        人员 工作 时间 时候 现在 原因 方面 地方 东西 样子 一下 平台 留言 回复 答复 反映 投诉 举报 咨询 建议
        希望 请求 谢谢 您好 你好 相关 有关 处理 解决 代表 人大代表 麻烦 帮忙 帮助 给个
        """,
    )
)
OOV_WEIGHT = 0.5


@dataclass(frozen=True)
class ReplyWarning:
    """One warning: a stable ``code`` and the measured ``values`` that explain it."""

    code: str
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Calibration:
    # (question characters, median substance of real replies to such questions), ascending.
    length_knots: tuple[tuple[float, float], ...]
    short_ratio: float  # too short below this share of the expected substance
    coverage_min: float  # off topic below this weighted share of the question's key terms
    top_terms: int = 12
    min_terms: int = 2  # fewer key terms than this: the question is too thin to judge
    idf: Mapping[int, float] = field(default_factory=dict)  # hashed word → IDF of frequent words
    idf_default: float = 8.0  # IDF of a word rarer than those kept
    hash_bits: int = 22
    kinds: Mapping[str, float] = field(default_factory=dict)  # kind → factor on the expected substance
    meta: Mapping[str, Any] = field(default_factory=dict)

    def expected_length(self, question_chars: int, kind: str = "") -> float:
        return _interpolate_log(self.length_knots, question_chars) * self.kinds.get(kind, 1.0)

    def idf_of(self, word: str) -> float:
        return self.idf.get(word_hash(word, self.hash_bits), self.idf_default)

    def to_dict(self) -> dict:
        data = {k: getattr(self, k) for k in ("short_ratio", "coverage_min", "top_terms", "min_terms")}
        data |= {"length_knots": [list(k) for k in self.length_knots], "idf_default": self.idf_default}
        data |= {"hash_bits": self.hash_bits, "kinds": dict(self.kinds), "meta": dict(self.meta)}
        levels: dict[str, list[int]] = {}
        for key, value in sorted(self.idf.items()):
            levels.setdefault(f"{value:g}", []).append(key)
        data["idf_levels"] = levels  # IDF → hashes of the words with that IDF
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Calibration":
        return cls(
            length_knots=tuple((float(q), float(n)) for q, n in data["length_knots"]),
            short_ratio=float(data["short_ratio"]),
            coverage_min=float(data["coverage_min"]),
            top_terms=int(data.get("top_terms", 12)),
            min_terms=int(data.get("min_terms", 2)),
            idf={key: float(v) for v, keys in data.get("idf_levels", {}).items() for key in keys},
            idf_default=float(data.get("idf_default", 8.0)),
            hash_bits=int(data.get("hash_bits", 22)),
            kinds={str(k): float(v) for k, v in data.get("kinds", {}).items()},
            meta=dict(data.get("meta", {})),
        )


@lru_cache(maxsize=1)
def default_calibration() -> Calibration:
    """The calibration kept in the repository, read once per process."""
    return load_calibration(CALIBRATION_PATH)


def load_calibration(path: Path) -> Calibration:
    return Calibration.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def word_hash(word: str, bits: int = 22) -> int:
    """A stable hash (unlike hash()), so the background vocabulary is kept as numbers only."""
    return zlib.crc32(word.encode("utf-8")) & ((1 << bits) - 1)


# --- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measures:
    question_chars: int
    substance: int  # characters of the reply that are not courtesy
    key_terms: tuple[tuple[str, float], ...]  # the question's key terms with their weights
    addressed: tuple[str, ...]  # those the reply mentions (or a close form)
    coverage: float | None  # weighted share addressed; None when the question is too thin
    concrete: Mapping[str, tuple[str, ...]]  # each of CONCRETE_KINDS → what was found


def measure(question: str, reply: str, calibration: Calibration | None = None) -> Measures:
    cal = calibration or default_calibration()
    reply_n = normalize(reply)
    terms = key_terms(question, cal)
    addressed = tuple(term for term, _ in terms if mentions(reply_n, term))
    total = sum(w for _, w in terms)
    coverage = None
    if len(terms) >= cal.min_terms and total > 0:
        coverage = sum(w for t, w in terms if t in addressed) / total
    return Measures(
        question_chars=count_chars(normalize(question)),
        substance=substance(reply_n),
        key_terms=tuple(terms),
        addressed=addressed,
        coverage=coverage,
        concrete=concrete_elements(reply_n),
    )


def count_chars(text: str) -> int:
    """Letters, digits and Chinese characters; punctuation and spaces do not count."""
    return len(_WORD_CHAR.findall(text))


def substance(reply: str) -> int:
    text = SIGNATURE_DATE.sub("", normalize(reply))
    for pattern in BOILERPLATE:
        text = pattern.sub(" ", text)
    return count_chars(text)


def key_terms(question: str, calibration: Calibration) -> list[tuple[str, float]]:
    """The question's top terms by TF-IDF: nouns, places and objects of two or more characters."""
    counts = Counter(word for word, tag in rjieba.tag(normalize(question)) if is_term(word, tag))
    weights = {w: (1 + math.log(n)) * calibration.idf_of(w) * _known(w) for w, n in counts.items()}
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return ranked[: calibration.top_terms]


def is_term(word: str, tag: str) -> bool:
    return (
        tag in TERM_TAGS
        and len(word) >= 2
        and word not in GENERIC_TERMS
        and word not in STOPWORDS
        and not word.isascii()  # masked ids and bare numbers
    )


def _known(word: str) -> float:
    """Words the segmenter guessed (not in its dictionary) are often fragments of names cut
    wrongly (县栗 from 某县栗江镇): they keep half their weight."""
    return 1.0 if rjieba.has_word(word) else OOV_WEIGHT


def mentions(reply: str, term: str) -> bool:
    """The term itself, or a close form: half of its character pairs (窨井盖 ~ 井盖, 东门路灯 ~ 东门的路灯)."""
    if term in reply:
        return True
    if len(term) < 3:
        return False
    pairs = {term[i : i + 2] for i in range(len(term) - 1)}
    return sum(pair in reply for pair in pairs) * 2 >= len(pairs)


def concrete_elements(reply: str) -> dict[str, tuple[str, ...]]:
    """The actions, times, contacts and rules the reply names (the signature date is not a time)."""
    text = SIGNATURE_DATE.sub("", normalize(reply))
    actions = [m.group(0) for m in ACTION.finditer(VAGUE_FORWARD.sub("", text))]
    times = [m.group(0) for m in TIME.finditer(text)]
    contacts = [m.group(0) for m in CONTACT.finditer(text)]
    basis = [m.group(0) for m in BASIS.finditer(text)]
    return {"action": _first(actions), "time": _first(times), "contact": _first(contacts), "basis": _first(basis)}


def _first(found: list[str], limit: int = 5) -> tuple[str, ...]:
    """The first few distinct matches, enough to show the handler what was understood."""
    return tuple(dict.fromkeys(found))[:limit]


# --- the check ------------------------------------------------------------------------------------


def check_reply(
    question: str, reply: str, *, kind: str = "", calibration: Calibration | None = None
) -> list[ReplyWarning]:
    """The warnings for this reply to this question (of this kind: a category code); empty
    when it looks fine. Advice only: the caller decides what to do with them."""
    cal = calibration or default_calibration()
    m = measure(question, reply, cal)
    found = (_too_short(m, cal, kind), _off_topic(m, cal), _nothing_concrete(m))
    return [w for w in found if w is not None]


def _too_short(m: Measures, cal: Calibration, kind: str) -> ReplyWarning | None:
    expected = cal.expected_length(m.question_chars, kind)
    if m.substance >= expected * cal.short_ratio:
        return None
    minimum = math.ceil(expected * cal.short_ratio)
    return ReplyWarning(TOO_SHORT, {"length": m.substance, "expected": round(expected), "minimum": minimum})


def _off_topic(m: Measures, cal: Calibration) -> ReplyWarning | None:
    if m.coverage is None or m.coverage >= cal.coverage_min:
        return None
    missing = tuple(t for t, _ in m.key_terms if t not in m.addressed)
    values = {"coverage": round(m.coverage, 2), "minimum": cal.coverage_min, "missing": missing}
    return ReplyWarning(OFF_TOPIC, values | {"addressed": m.addressed})


def _nothing_concrete(m: Measures) -> ReplyWarning | None:
    if any(m.concrete.values()):
        return None
    return ReplyWarning(NOTHING_CONCRETE, {"missing": CONCRETE_KINDS})


def _interpolate_log(knots: tuple[tuple[float, float], ...], x: float) -> float:
    """Piecewise linear in log(question length) between the knots. Below the first knot the
    first segment's power law goes on (short questions get shorter replies, down to the
    shortest in the data); beyond the last knot the expectation stays flat."""
    xs = [math.log(q) for q, _ in knots]
    lx = math.log(max(x, 1))
    i = bisect_left(xs, lx)
    if i == len(knots):
        return knots[-1][1]
    if i == 0:
        if len(knots) == 1 or knots[0][1] <= 0:
            return knots[0][1]
        slope = math.log(max(knots[1][1], 1) / knots[0][1]) / (xs[1] - xs[0])
        return knots[0][1] * math.exp(min(max(slope, 0.0), 1.0) * (lx - xs[0]))
    share = (lx - xs[i - 1]) / (xs[i] - xs[i - 1])
    return knots[i - 1][1] + share * (knots[i][1] - knots[i - 1][1])
