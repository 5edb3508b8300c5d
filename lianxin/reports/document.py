"""The report as plain data: sections of paragraphs, lists, tables and charts. Built once by
compose.py, then written out by pdf.py and word.py, so both files say the same."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Chart:
    caption: str
    png: bytes
    width_mm: float = 160


Block = Paragraph | Bullets | Table | Chart


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    title: str
    subtitle: str
    issuer: str
    date_line: str
    summary: str
    sections: list[Section]
    footer: str
