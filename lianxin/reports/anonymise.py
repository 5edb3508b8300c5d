"""Short quotes for a report, with nothing that points to a person.

cases.privacy masks phone, ID and email numbers and the case's own contact values; here we
also hide house numbers and room numbers (a quote must not lead to a door), names written
with a form of address ("张先生" → "某先生") or after "我叫", and long digit runs. Then the
quote is cut to its first sentence, at most QUOTE_CHARS characters.
"""

import re
from collections.abc import Iterable

from lianxin.cases.privacy import mask_case_text

QUOTE_CHARS = 40
_CN_NUMBER = "零一二三四五六七八九十百〇两"
# "3号楼", "12栋", "2单元", "501室", "8号", "16弄" (and written in Chinese numerals).
_HOUSE = re.compile(rf"(?:\d+|[{_CN_NUMBER}]+)\s*(?:号楼|栋|幢|单元|室|号院|号|弄|户|楼)")
# "3-2-501", "5栋2-301": numbered doors without their words.
_DOOR = re.compile(r"\d+(?:-\d+){1,3}")
_LONG_DIGITS = re.compile(r"\d{3,}")
_ADDRESSED = re.compile(r"[\u4e00-\u9fff](?=(?:先生|女士|小姐|阿姨|大爷|大妈|大叔|大姐|师傅|奶奶|爷爷|叔叔|老师))")
_SELF_NAMED = re.compile(r"(我叫|本人叫|我的名字是|姓名[:：]?|联系人[:：]?)\s*[\u4e00-\u9fff·]{2,4}")
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def anonymise(text: str, *, known: Iterable[str] = ()) -> str:
    """`text` without contact values, numbers of houses and rooms, or names."""
    text = mask_case_text(text, known=known)
    text = _SELF_NAMED.sub(lambda m: m.group(1) + "***", text)
    text = _ADDRESSED.sub("某", text)
    text = _HOUSE.sub("×", text)
    text = _DOOR.sub("×", text)
    return _LONG_DIGITS.sub("×", text)


def short_quote(text: str, *, known: Iterable[str] = (), limit: int = QUOTE_CHARS) -> str:
    """The first sentence of the anonymised `text`, cut at `limit` characters."""
    clean = " ".join(anonymise(text, known=known).split())
    match = _SENTENCE_END.search(clean)
    first = clean[: match.start() + 1] if match else clean
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
