"""The cohort report as one self-contained HTML page: inline CSS and SVG, no scripts.

The page opens offline, reads on a phone (wide tables scroll sideways) and prints. Every
text that comes from data (names, teams, questions) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from grader.cohort.export import language_figures
from grader.cohort.report.data import NOT_GRADED, PASSED, PENDING, ReportData
from grader.cohort.report.sections import (
    completion_section,
    distribution_section,
    items_section,
    learners_section,
    mastery_section,
    percent,
    weakest_section,
)

CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
  max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}
h2{margin-top:2rem;border-bottom:2px solid #2f6f9f}
.meta{color:#555;margin:0}
.summary{background:#eef4f9;padding:.8rem 1rem;border-radius:6px;font-size:1.05rem}
.how{color:#444;font-style:italic}
.note{background:#fff6e0;padding:.5rem .8rem;border-left:4px solid #e0a800}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0;min-width:50%}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.heat{text-align:center;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;max-width:32rem;font-size:14px}
.bars{max-width:40rem}
.bar-row{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,3fr) 3.5rem;gap:.5rem;
  align-items:center;margin:.2rem 0}
.bar-track{background:#eee;height:1.1rem}.bar{display:block;height:100%}
.bar-value{font-variant-numeric:tabular-nums}
td.q{min-width:14rem}
.flag{display:inline-block;background:#fbe3e0;color:#8a1f11;border-radius:4px;padding:0 .3rem;
  margin:.1rem;font-size:.85rem;white-space:nowrap}
.small{font-size:.85rem;color:#555}
body,td,.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media print{body{max-width:none}details{display:block}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def render(data: ReportData, files: Sequence[str] = ()) -> str:
    """The whole report page."""
    heading = f"{data.organisation}: cohort report"
    body = [
        f"<header><h1>{escape(heading)}</h1>",
        f'<p class="meta">{escape(data.title)} (<code>{escape(data.assignment)}</code>'
        f"{_versions(data)}), made {data.created:%Y-%m-%d %H:%M} UTC; "
        f"pass mark {data.pass_mark:g}%.</p></header>",
        f'<p class="summary">{escape(summary(data))}</p>',
        completion_section(data),
        distribution_section(data),
        weakest_section(data),
        mastery_section(data),
        items_section(data),
        learners_section(data),
    ]
    if files:
        listed = ", ".join(f"<code>{escape(name)}</code>" for name in files)
        body.append(f'<p class="small">The same tables as CSV, beside this page: {listed}.</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}: {escape(data.assignment)}</title><style>{CSS}</style>"
        "</head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def summary(data: ReportData) -> str:
    """The one-paragraph summary at the top (also printed by the command line)."""
    graded = len(data.graded)
    not_graded = data.count(NOT_GRADED)
    passed = data.count(PASSED)
    parts = [f"{graded + not_graded} of {len(data.learners)} learners submitted"]
    if len(data.versions) > 1:
        parts.append(f"graded per language: {language_figures(data.languages)}")
        both = len(data.in_several_languages)
        if both:
            parts.append(f"{both} submitted in more than one language (the latest counts)")
    if not graded:
        parts.append("none graded yet")
    elif not_graded:
        parts.append(f"{passed} passed ({percent(passed, graded)} of the {graded} autograded)")
    else:
        parts.append(f"{passed} passed ({percent(passed, graded)})")
    waiting = data.count(PENDING)
    parts.append(f"{waiting} await{'s' if waiting == 1 else ''} manual grading")
    if not_graded:
        parts.append(f"{not_graded} not autograded yet")
    weakest = data.weakest
    if weakest:
        g = weakest[0]
        parts.append(
            f"weakest guideline: {g.guideline.number}. {g.guideline.title()} "
            f"({100 * g.mastery:.0f}%)"
        )
    return "; ".join(parts) + "."


def _versions(data: ReportData) -> str:
    """ ": certification-exam-en and certification-exam-nl" for a report over languages."""
    if len(data.versions) < 2:
        return ""
    names = [f"<code>{escape(version)}</code>" for version in data.versions]
    return ": " + ", ".join(names[:-1]) + " and " + names[-1]
