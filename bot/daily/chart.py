"""The roundup's picture: the keywords rising most this period against the previous one, and
papers per day — one PNG drawn with matplotlib's Agg backend (no display needed).

matplotlib is imported only when a chart is drawn, so `paperbot --help`, the bot's start-up
and every other command never pay for it. The numbers come from `chart_data`, which the alt
text reads too: what a screen reader says is what the picture shows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from bot.core import Core
from bot.daily.periods import Period
from bot.model import Paper, paper_from_row
from bot.summaries.overview import keyword_counts
from storage import papers as paper_store

RISING = 8  # keywords shown
MIN_PAPERS = 2  # a keyword in fewer papers this period is noise


@dataclass(frozen=True, slots=True)
class ChartData:
    period: Period
    previous: Period
    rising: list[tuple[str, int, int]]  # (keyword, papers this period, papers the previous)
    per_day: list[tuple[str, int]]  # (YYYY-MM-DD, papers listed that day)


def period_papers(core: Core, period: Period) -> list[Paper]:
    """Every paper listed on a day of `period`, once, with its latest counts."""
    seen: dict[str, Paper] = {}
    for day in period.days:
        for row in paper_store.day_rows(core.db, day):
            seen.setdefault(row["id"], paper_from_row(row))
    return list(seen.values())


def chart_data(core: Core, period: Period) -> ChartData:
    now = keyword_counts(period_papers(core, period))
    before = keyword_counts(period_papers(core, period.previous()))
    rows = []
    for key, (n, spelling) in now.items():
        was = before.get(key, (0, spelling))[0]
        if n >= MIN_PAPERS and n > was:
            rows.append((spelling, n, was))
    rows.sort(key=lambda r: (-(r[1] - r[2]), -r[1], r[0].casefold()))
    per_day = [(d, len(paper_store.day_rows(core.db, d))) for d in period.days]
    return ChartData(period, period.previous(), rows[:RISING], per_day)


def alt_text(data: ChartData) -> str:
    """What the chart shows, in words (Slack alt_txt ≤ 1,000 characters, Discord ≤ 1,024)."""
    rising = "; ".join(f"{k} {n} (was {w})" for k, n, w in data.rising) or "none"
    days = ", ".join(f"{date.fromisoformat(d):%a %-d %b} {n}" for d, n in data.per_day)
    text = (
        f"Chart of {data.period.name}. Keywords rising most vs {data.previous.name}, papers "
        f"this period (previous): {rising}. Papers per day: {days}."
    )
    return text if len(text) <= 1000 else text[:999] + "…"


def render_png(data: ChartData) -> bytes:
    """The chart as PNG bytes (matplotlib imported here, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 5.2), dpi=110, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(3, 2))
    _rising_panel(left, data)
    _days_panel(right, data)
    fig.suptitle(f"Hugging Face Daily Papers · {data.period.describe()}", fontsize=14)
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor="white")
    return out.getvalue()


def _rising_panel(ax, data: ChartData) -> None:  # noqa: ANN001 - a matplotlib Axes
    rows = data.rising[::-1]  # the biggest rise on top
    labels = [r[0] if len(r[0]) <= 34 else r[0][:33] + "…" for r in rows]
    ys = range(len(rows))
    ax.barh(
        [y + 0.2 for y in ys], [r[1] for r in rows], 0.4, color="#ff9d00", label=data.period.name
    )
    ax.barh(
        [y - 0.2 for y in ys], [r[2] for r in rows], 0.4, color="#b8c4d6", label=data.previous.name
    )
    ax.set_yticks(list(ys), labels, fontsize=11)
    for y, (_, n, was) in zip(ys, rows, strict=True):
        ax.text(n + 0.2, y + 0.2, f"{n}  (+{n - was})", va="center", fontsize=10)
    ax.set_xlabel("papers with the keyword")
    ax.set_title("Keywords rising most", fontsize=12, loc="left")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if not rows:
        ax.text(0.5, 0.5, "no keyword rose", ha="center", transform=ax.transAxes)
    ax.margins(x=0.18)


def _days_panel(ax, data: ChartData) -> None:  # noqa: ANN001 - a matplotlib Axes
    days = [date.fromisoformat(d) for d, _ in data.per_day]
    counts = [n for _, n in data.per_day]
    weekly = data.period.kind == "week"
    labels = [f"{d:%a}\n{d.day}" if weekly else str(d.day) for d in days]
    ax.bar(range(len(days)), counts, color="#4f6df5")
    ax.set_xticks(range(len(days)), labels, fontsize=10 if weekly else 7)
    if weekly:
        for x, n in enumerate(counts):
            ax.text(x, n, str(n), ha="center", va="bottom", fontsize=10)
    ax.set_title(f"Papers per day · {sum(counts)} in all", fontsize=12, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
