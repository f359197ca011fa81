"""Charts and heat colours for the cohort report, inline: no scripts, no external files.

The histogram is a self-contained ``<svg>`` that scales with the page (``viewBox``) and
carries a ``<title>`` and ``role="img"`` for screen readers; bar charts are plain HTML so
their labels wrap on a phone. Both print as they show.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

FINAL, PROVISIONAL, MARK = "#2f6f9f", "#a9c7de", "#c0392b"
BINS = 10


def histogram(
    final: Sequence[float], provisional: Sequence[float], pass_mark: float, title: str
) -> str:
    """Learners per 10% score band, final scores stacked under provisional ones.

    ``provisional`` are scores with written answers still awaiting the trainer (counted
    as zero for now); a dashed line marks the pass mark.
    """
    counts = [[0, 0] for _ in range(BINS)]
    for kind, scores in enumerate((final, provisional)):
        for score in scores:
            counts[min(BINS - 1, int(max(0.0, score) // (100 / BINS)))][kind] += 1
    tallest = max([sum(pair) for pair in counts] + [1])
    width, height, left, bottom, top, right = 480, 250, 40, 40, 30, 20
    plot_w, plot_h = width - left - right, height - bottom - top
    bar_w = plot_w / BINS
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="hist-title">',
        f'<title id="hist-title">{escape(title)}</title>',
    ]
    for tick in _ticks(tallest):
        y = top + plot_h - plot_h * tick / tallest
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for index, (done, waiting) in enumerate(counts):
        x = left + index * bar_w + 2
        y = top + plot_h
        for count, colour, label in ((done, FINAL, "final"), (waiting, PROVISIONAL, "provisional")):
            if not count:
                continue
            h = plot_h * count / tallest
            y -= h
            band = f"{index * 10}&#8211;{index * 10 + 10}%"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{band}: {count} {label}</title></rect>'
            )
    for edge in range(0, 101, 100 // BINS):
        parts.append(
            f'<text x="{left + plot_w * edge / 100:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{edge}</text>'
        )
    mark_x = left + plot_w * min(100.0, pass_mark) / 100
    parts += [
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{mark_x:.1f}" x2="{mark_x:.1f}" y1="{top - 16}" y2="{top + plot_h}" '
        f'stroke="{MARK}" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{mark_x + (4 if pass_mark < 60 else -4):.1f}" y="{top - 6}" fill="{MARK}" '
        f'text-anchor="{"start" if pass_mark < 60 else "end"}">pass mark {pass_mark:g}%</text>',
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
        "score (% of the points)</text>",
        "</svg>",
    ]
    return "\n".join(parts)


def _ticks(tallest: int) -> list[int]:
    step = max(1, -(-tallest // 5))
    return list(range(0, tallest + 1, step))


def bars(values: Sequence[tuple[str, float | None]], title: str, highlight: int = 0) -> str:
    """Horizontal bars of shares (0 to 1), one per label; the first ``highlight`` in red.

    Plain HTML rather than SVG, so long labels wrap on a phone instead of shrinking.
    """
    rows = []
    for index, (label, share) in enumerate(values):
        if share is None:
            bar, value = "", "not graded yet"
        else:
            colour = MARK if index < highlight else FINAL
            bar = f'<span class="bar" style="width:{100 * share:.1f}%;background:{colour}"></span>'
            value = f"{100 * share:.0f}%"
        rows.append(
            f'<div class="bar-row"><span>{escape(label)}</span>'
            f'<span class="bar-track">{bar}</span><span class="bar-value">{value}</span></div>'
        )
    return (
        f'<div class="bars" role="figure" aria-label="{escape(title)}">' + "".join(rows) + "</div>"
    )


def heat(share: float | None) -> str:
    """A light background colour from red (0) through amber to green (1); grey if unknown."""
    if share is None:
        return "#eeeeee"
    hue = 120 * max(0.0, min(1.0, share))
    return f"hsl({hue:.0f}, 65%, 82%)"
