"""The sections of the cohort report page, each a heading, a line on how to read it and
its table or chart. Every text that comes from data is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from grader.cohort.report.charts import bars, heat, histogram
from grader.cohort.report.data import FAILED, NOT_GRADED, NOT_SUBMITTED, PASSED, PENDING, ReportData
from grader.cohort.report.item_analysis import FLAGS, MIN_LEARNERS
from grader.course.i18n import LANGUAGE_NAMES
from grader.course.points import percent_text, points_text

DASH = "&#8211;"  # a figure that does not exist (yet)
LEARNER_ROWS_OPEN = 40  # longer learner tables start folded
NAMES_LISTED = 50  # learners named in the text; all are in learners.csv


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else DASH


def section(title: str, how: str, *content: str) -> str:
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


def completion_section(data: ReportData) -> str:
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
    if len(data.versions) > 1:
        rows += [
            (f"Graded in {LANGUAGE_NAMES.get(code, code or '?')}", count)
            for code, count in data.languages.items()
        ]
        rows.append(
            (
                "Submitted in more than one language (the latest counts)",
                len(data.in_several_languages),
            )
        )
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
    if len(data.versions) > 1:
        how += (
            " Every language counts: a learner who submitted in more than one language is "
            "counted once, with the latest submission."
        )
    return section("Completion", how, *content)


def distribution_section(data: ReportData) -> str:
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
        return section("Score distribution", how, '<p class="note">No submissions yet.</p>')
    chart = histogram(final, provisional, data.pass_mark, "Score distribution")
    return section("Score distribution", how, chart)


def weakest_section(data: ReportData) -> str:
    how = (
        "The guidelines with the lowest share of points earned, with the item the cohort "
        "found hardest on each: a place to start the next workshop."
    )
    if not data.weakest:
        return section("Weakest guidelines", how, '<p class="note">Nothing graded yet.</p>')
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
    return section("Weakest guidelines", how, "<ol>" + "".join(lines) + "</ol>")


def mastery_section(data: ReportData) -> str:
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
    return section(
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


def items_section(data: ReportData) -> str:
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
    return section("Item analysis", how, *content)


def _late(row) -> str:
    """ ", 3.5 h late" for a submission after the due date; nothing otherwise."""
    return f", {row.hours_late} h late" if row is not None and row.hours_late else ""


def _others(row) -> str:
    """ "; also submitted en 2026-11-02 09:00:00 (not counted)" when there is more."""
    if row is None or not row.others:
        return ""
    return f"; also submitted {escape(row.also_submitted)} (not counted)"


def learners_section(data: ReportData) -> str:
    rows = [
        [
            escape(learner.id),
            escape(learner.name),
            escape(learner.team),
            DASH
            if learner.row is None
            else f"{points_text(learner.row.score)} / {points_text(learner.row.max_score)}",
            DASH if learner.percent is None else percent_text(learner.percent, data.pass_mark),
            escape(learner.status) + _late(learner.row) + _others(learner.row),
            DASH if learner.row is None else escape(learner.row.language),
        ]
        for learner in data.learners
    ]
    header = ["id", "name", "team", "score", "percent", "result", "language"]
    content = table(header, rows, {3, 4})
    if len(rows) > LEARNER_ROWS_OPEN:
        content = f"<details><summary>Show all {len(rows)} learners</summary>{content}</details>"
    how = (
        "Every learner on the roster with their score, result and the language of the "
        "submission that counts (the latest, when they submitted in more than one)."
    )
    return section("Learners", how, content)
