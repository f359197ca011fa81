"""The cohort report as one self-contained HTML page: inline CSS and SVG, no scripts.

The page opens offline, reads on a phone (wide tables scroll sideways) and prints. Every
text that comes from data (names, teams, questions) is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from grader.item_analysis import FLAGS, MIN_LEARNERS
from grader.report_charts import bars, heat, histogram
from grader.report_data import FAILED, NOT_GRADED, NOT_SUBMITTED, PASSED, PENDING, ReportData

DASH = "&#8211;"  # a figure that does not exist (yet)
LEARNER_ROWS_OPEN = 40  # longer learner tables start folded
NAMES_LISTED = 50  # learners named in the text; all are in learners.csv

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
        f'<p class="meta">{escape(data.title)} (<code>{escape(data.assignment)}</code>), '
        f"made {data.created:%Y-%m-%d %H:%M} UTC; pass mark {data.pass_mark:g}%.</p></header>",
        f'<p class="summary">{escape(summary(data))}</p>',
        _completion(data),
        _distribution(data),
        _weakest(data),
        _mastery(data),
        _items(data),
        _learners(data),
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
    if not graded:
        parts.append("none graded yet")
    elif not_graded:
        parts.append(f"{passed} passed ({_percent(passed, graded)} of the {graded} autograded)")
    else:
        parts.append(f"{passed} passed ({_percent(passed, graded)})")
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


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else DASH


def _section(title: str, how: str, *content: str) -> str:
    return (
        "\n".join(
            [f"<section><h2>{escape(title)}</h2>", f'<p class="how">{escape(how)}</p>', *content]
        )
        + "\n</section>"
    )


def table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> str:
    """A table; cells are HTML already (escape data before), ``numeric`` columns align right."""
    numeric = set(numeric)
    head = "".join(f"<th>{escape(name)}</th>" for name in header)
    lines = []
    for row in rows:
        cells = "".join(
            cell
            if cell.startswith("<td")
            else f"<td{' class=num' if i in numeric else ''}>{cell}</td>"
            for i, cell in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
        + "".join(lines)
        + "</tbody></table></div>"
    )


def _completion(data: ReportData) -> str:
    graded = len(data.graded)
    rows = [
        ("Learners (on the roster or with a submission)", len(data.learners)),
        ("Submitted and autograded", graded),
        ("Submitted, not autograded yet", data.count(NOT_GRADED)),
        ("Not submitted", data.count(NOT_SUBMITTED)),
        ("Passed", data.count(PASSED)),
        ("Failed", data.count(FAILED)),
        ("Awaiting manual grading (result not final)", data.count(PENDING)),
    ]
    waiting = [learner for learner in data.learners if learner.status == PENDING]
    content = [table(["", "learners"], [(escape(a), str(b)) for a, b in rows], {1})]
    if waiting:
        names = ", ".join(
            f"{escape(learner.name or learner.id)} ({learner.row.pending})"
            for learner in waiting[:NAMES_LISTED]
        )
        more = len(waiting) - NAMES_LISTED
        if more > 0:
            names += f" and {more} more (see <code>learners.csv</code>)"
        content.append(f"<p>Written answers to grade in the formgrader, per learner: {names}.</p>")
    rule = f"at least {data.pass_mark:g}% of the points"
    if data.guideline_minimum:
        rule += f" and {data.guideline_minimum:g}% on every guideline"
    how = (
        f"Who took the assessment and who passed it ({rule}); a learner with a written "
        "answer still to grade has no result yet."
    )
    return _section("Completion", how, *content)


def _distribution(data: ReportData) -> str:
    final = [
        learner.percent
        for learner in data.graded
        if learner.status != PENDING and learner.percent is not None
    ]
    provisional = [
        learner.percent
        for learner in data.graded
        if learner.status == PENDING and learner.percent is not None
    ]
    how = (
        "Learners per band of 10% of the points. Dark bars are final scores; light bars "
        "are provisional (written answers not graded yet count as zero). The dashed line "
        "is the pass mark."
    )
    if not final and not provisional:
        return _section("Score distribution", how, '<p class="note">No submissions yet.</p>')
    chart = histogram(final, provisional, data.pass_mark, "Score distribution")
    return _section("Score distribution", how, chart)


def _weakest(data: ReportData) -> str:
    how = (
        "The guidelines with the lowest share of points earned, with the item the cohort "
        "found hardest on each: a place to start the next workshop."
    )
    if not data.weakest:
        return _section("Weakest guidelines", how, '<p class="note">Nothing graded yet.</p>')
    stats = data.stats.items
    index = {result.item.id: i for i, result in enumerate(data.items)}
    lines = []
    for g in data.weakest:
        known = [r for r in g.items if stats[index[r.item.id]].facility is not None]
        hardest = min(known, key=lambda r: stats[index[r.item.id]].facility, default=None)
        line = f"<li><strong>{g.guideline.number}. {escape(g.guideline.title())}</strong>: "
        line += f"{100 * g.mastery:.0f}% of the points"
        if hardest is not None:
            facility = stats[index[hardest.item.id]].facility
            line += (
                f"; hardest item: “{escape(hardest.item.question)}” "
                f'<span class="small">({escape(hardest.item.id)}, facility {facility:.2f})</span>'
            )
        lines.append(line + "</li>")
    return _section("Weakest guidelines", how, "<ol>" + "".join(lines) + "</ol>")


def _mastery(data: ReportData) -> str:
    guidelines = [g.guideline for g in data.guidelines]
    header = ["", *[f"{g.number}" for g in guidelines]]
    order = sorted(data.guidelines, key=lambda g: (g.mastery is None, g.mastery or 0))
    chart = bars(
        [(f"{g.guideline.number}. {g.guideline.title()}", g.mastery) for g in order],
        "Mastery per guideline, weakest first",
        highlight=len(data.weakest),
    )
    key = "; ".join(f"{g.number}: {escape(g.title())}" for g in guidelines)

    def heat_rows(entries):
        for label, shares in entries:
            cells = [
                f'<td class="heat" style="background:{heat(shares.get(g.slug))}">'
                f"{_share(shares.get(g.slug))}</td>"
                for g in guidelines
            ]
            yield [escape(label), *cells]

    sizes = data.team_sizes
    entries = [(f"{team} ({sizes.get(team, 0)})", shares) for team, shares in data.teams.items()]
    teams = table(["team (learners)", *header[1:]], heat_rows(entries))
    people = [(learner.name or learner.id, learner.mastery) for learner in data.graded]
    learners = table(["learner", *header[1:]], heat_rows(people))
    if len(people) > LEARNER_ROWS_OPEN:
        learners = (
            f"<details><summary>Show all {len(people)} learners</summary>{learners}</details>"
        )
    how = (
        "The share of the points earned on each guideline's graded answers, for the whole "
        "cohort, per team and per learner: red is low, green is high, grey not graded yet."
    )
    return _section(
        "Mastery per guideline",
        how,
        chart,
        f'<p class="small">Guidelines: {key}.</p>',
        "<h3>Per team</h3>",
        teams,
        "<h3>Per learner</h3>",
        learners,
    )


def _share(share: float | None) -> str:
    return DASH if share is None else f"{100 * share:.0f}%"


def _items(data: ReportData) -> str:
    stats = data.stats
    rules = "".join(f"<li><strong>{f.label}</strong>: {escape(f.rule)}</li>" for f in FLAGS)
    how = (
        "Facility is the average score as a share of the item's points; discrimination is "
        "the correlation between the item's score and the score on the rest of the test. "
        "Written answers not graded yet are left out item by item."
    )
    content = [f'<ul class="small">{rules}</ul>']
    computed = [s for s in stats.items if s.facility is not None]
    if not computed:
        graded = max((s.learners for s in stats.items), default=0)
        content.append(
            f'<p class="note">Item analysis needs at least {MIN_LEARNERS} graded learners; '
            f"this cohort has {graded}.</p>"
        )
    if stats.alpha is None:
        content.append(f"<p>Cronbach&rsquo;s alpha: not computed ({escape(stats.alpha_note)}).</p>")
    else:
        content.append(
            f"<p>Cronbach&rsquo;s alpha: <strong>{stats.alpha:.2f}</strong> over "
            f"{stats.alpha_learners} learners with every answer graded (0.7 or more: the "
            "items measure one thing consistently).</p>"
        )
    rows = []
    for number, (result, s) in enumerate(zip(data.items, stats.items, strict=True), start=1):
        item = result.item
        flags = "".join(f'<span class="flag">{f.label}</span>' for f in s.flags)
        rows.append(
            [
                str(number),
                f"<td class=q>{escape(item.question)}<br><span class=small>{escape(item.id)} · "
                f"guideline {escape(item.guideline)} · {escape(item.kind)}</span></td>",
                f"{item.points:g}",
                str(s.learners),
                str(result.pending),
                DASH if s.facility is None else f"{s.facility:.2f}",
                DASH if s.discrimination is None else f"{s.discrimination:.2f}",
                flags or escape(s.note or "no flag"),
            ]
        )
    header = [
        "#",
        "question",
        "points",
        "graded",
        "pending",
        "facility",
        "discrimination",
        "review",
    ]
    content.append(table(header, rows, {0, 2, 3, 4, 5, 6}))
    return _section("Item analysis", how, *content)


def _learners(data: ReportData) -> str:
    rows = [
        [
            escape(learner.id),
            escape(learner.name),
            escape(learner.team),
            DASH
            if learner.row is None
            else f"{round(learner.row.score, 2):g} / {learner.row.max_score:g}",
            DASH if learner.percent is None else f"{learner.percent:.0f}%",
            escape(learner.status),
        ]
        for learner in data.learners
    ]
    content = table(["id", "name", "team", "score", "percent", "result"], rows, {3, 4})
    if len(rows) > LEARNER_ROWS_OPEN:
        content = f"<details><summary>Show all {len(rows)} learners</summary>{content}</details>"
    how = "Every learner on the roster with their score and result."
    return _section("Learners", how, content)
