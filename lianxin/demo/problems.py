"""What residents write about, and what departments answer: one `Problem` per kind of issue.

Texts are data (Chinese, like the residents and officials who write them), not interface
strings, so they are not translated. Slots: {loc} where, {n} how long, {ask} the closing
request; findings and actions may use {k}, a small number.
"""

from dataclasses import dataclass

URBAN, RURAL, ANY = "urban", "rural", "any"
SUMMER, WINTER = "summer", "winter"


@dataclass(frozen=True)
class Problem:
    category: str  # places.Category.code
    subject: str  # how a reply names the issue: 您反映的“{subject}”问题
    texts: tuple[str, ...]
    findings: tuple[str, ...]
    actions: tuple[str, ...]
    department: str = ""  # demo department key when not the category's default lead
    helper: str = ""  # a helper (协办) department key, used now and then
    setting: str = ANY
    season: str = ""
    weight: float = 1.0
    urgent: bool = False
    suggestion: bool = False  # reads like a proposal a department may adopt


def catalogue() -> tuple[Problem, ...]:
    from .problems_city import CITY_PROBLEMS
    from .problems_people import PEOPLE_PROBLEMS

    return CITY_PROBLEMS + PEOPLE_PROBLEMS
