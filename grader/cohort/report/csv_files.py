"""The cohort report's tables as CSV files, for spreadsheets and further analysis.

Shares are written as percentages with one decimal; a figure that cannot be computed is an
empty cell, with the reason in a ``note`` column where there is one.
"""

from __future__ import annotations

from pathlib import Path

from grader.cohort.report.data import ReportData
from grader.cohort.spreadsheet import write_rows
from grader.course.points import percent_figure


def write_tables(data: ReportData, folder: Path) -> list[Path]:
    """Write learners.csv, items.csv, guidelines.csv and teams.csv into ``folder``."""
    guidelines = [result.guideline for result in data.guidelines]
    columns = [f"g{g.number}_{g.slug}_percent" for g in guidelines]
    learners = [
        [
            learner.id,
            learner.name,
            learner.team,
            learner.status,
            "" if learner.row is None else f"{learner.row.score:g}",
            "" if learner.row is None else f"{learner.row.max_score:g}",
            ""
            if learner.row is None
            else percent_figure(learner.row.score, learner.row.max_score, data.pass_mark),
            "" if learner.row is None else learner.row.pending,
            "" if learner.row is None else learner.row.hours_late,
            "" if learner.row is None else learner.row.language,
            "" if learner.row is None else learner.row.also_submitted,
            *[_share(learner.mastery.get(g.slug)) for g in guidelines],
        ]
        for learner in data.learners
    ]
    items = [
        [
            number,
            result.item.id,
            result.item.guideline,
            result.item.kind,
            f"{result.item.points:g}",
            result.item.question,
            stats.learners,
            result.pending,
            _number(stats.facility, 3),
            _number(stats.discrimination, 3),
            ";".join(flag.code for flag in stats.flags),
            stats.note,
        ]
        for number, (result, stats) in enumerate(zip(data.items, data.stats.items, strict=True), 1)
    ]
    weakest = [g.guideline.slug for g in data.weakest]
    rows_by_guideline = [
        [
            g.guideline.number,
            g.guideline.slug,
            g.guideline.title(),
            len(g.items),
            _share(g.mastery),
            weakest.index(g.guideline.slug) + 1 if g.guideline.slug in weakest else "",
        ]
        for g in data.guidelines
    ]
    sizes = data.team_sizes
    teams = [
        [team, sizes.get(team, 0), *[_share(shares.get(g.slug)) for g in guidelines]]
        for team, shares in data.teams.items()
    ]
    tables = {
        "learners.csv": (
            [
                "learner_id",
                "name",
                "team",
                "result",
                "score",
                "max_score",
                "percent",
                "pending_manual",
                "hours_late",
                "language",
                "also_submitted",
                *columns,
            ],
            learners,
        ),
        "items.csv": (
            [
                "number",
                "item_id",
                "guideline",
                "kind",
                "points",
                "question",
                "graded",
                "pending",
                "facility",
                "discrimination",
                "flags",
                "note",
            ],
            items,
        ),
        "guidelines.csv": (
            ["number", "guideline", "title", "items", "mastery_percent", "weakest_rank"],
            rows_by_guideline,
        ),
        "teams.csv": (["team", "learners", *columns], teams),
    }
    written = []
    for name, (header, rows) in tables.items():
        written.append(write_rows(folder / name, header, rows))
    return written


def _share(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.1f}"


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"
