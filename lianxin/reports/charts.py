"""The reports' charts, drawn by matplotlib into PNG bytes (docs/decisions/0003-report-charts.md).

Agg backend only (no display), Noto Sans CJK SC from the system fonts for every label. Each
chart is a new Figure object (not pyplot's global state), so charts drawn at the same time
by two threads of a worker do not mix.
"""

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch

CJK_FAMILY = "Noto Sans CJK SC"
DPI = 200
WIDTH_IN = 6.3  # an A4 text column (160 mm)
RED, GREY, BLUE = "#c8161d", "#9aa4ae", "#2f6690"


@cache
def _font() -> str:
    """Check once that the CJK font is there: without it Chinese labels would be empty boxes."""
    font_manager.findfont(font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False)
    return CJK_FAMILY


def _figure(height_in: float) -> Figure:
    matplotlib.rcParams["font.family"] = [_font()]
    matplotlib.rcParams["axes.unicode_minus"] = False
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _legend(fig: Figure, extra: list | None = None) -> None:
    # Above the axes, outside them: a legend never hides a bar.
    handles, labels = fig.axes[0].get_legend_handles_labels()
    for handle in extra or []:
        handles.append(handle)
        labels.append(handle.get_label())
    fig.legend(handles, labels, loc="outside upper right", ncols=2, fontsize=8, frameon=False)


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def trend(labels: list[str], received: list[int], answered: list[int], *, names: tuple[str, str]) -> bytes:
    """Received (bars) and answered (line) by month."""
    fig = _figure(2.6)
    ax = fig.add_subplot()
    positions = range(len(labels))
    ax.bar(positions, received, color=BLUE, width=0.6, label=names[0])
    ax.plot(positions, answered, color=RED, marker="o", markersize=3, linewidth=1.5, label=names[1])
    ax.set_xticks(
        list(positions), labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
    )
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    _legend(fig)
    _tidy(ax)
    return _png(fig)


def compare_bars(labels: list[str], now: list[int], before: list[int], *, names: tuple[str, str]) -> bytes:
    """Horizontal bars of this period against the previous one, largest at the top."""
    rows = max(len(labels), 1)
    fig = _figure(0.9 + 0.32 * rows)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    height = 0.38
    ax.barh([p + height / 2 for p in positions], now, height=height, color=BLUE, label=names[0])
    ax.barh([p - height / 2 for p in positions], before, height=height, color=GREY, label=names[1])
    ax.set_yticks(positions, labels)
    for p, value in zip(positions, now, strict=True):
        ax.annotate(str(value), (value, p + height / 2), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)  # fmt: skip
    ax.set_xlim(left=0, right=max(now + before + [1]) * 1.12)
    ax.xaxis.get_major_locator().set_params(integer=True)
    _legend(fig)
    _tidy(ax)
    return _png(fig)


def rate_bars(
    labels: list[str], rates: list[float | None], *, target: float, target_label: str, below_label: str
) -> bytes:
    """One bar per department: the share answered within 48 hours, with the target line."""
    rows = max(len(labels), 1)
    fig = _figure(0.9 + 0.28 * rows)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))[::-1]
    values = [(r or 0) * 100 for r in rates]
    colors = [RED if r is not None and r < target else BLUE for r in rates]
    ax.barh(positions, values, color=colors, height=0.6)
    ax.axvline(target * 100, color=GREY, linestyle="--", linewidth=1, label=target_label)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, 105)
    for p, rate in zip(positions, rates, strict=True):
        text = "—" if rate is None else f"{rate * 100:.0f}%"
        ax.annotate(text, ((rate or 0) * 100, p), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})  # fmt: skip
    _legend(fig, [Patch(color=RED, label=below_label)])
    _tidy(ax)
    return _png(fig)
