"""Export: one CSV row per learner with the total and the score per guideline, for HR systems.

Scores come from nbgrader's gradebook; the guideline of each grade cell comes from the
item bank (grade cells are named after item ids). Written answers still awaiting a trainer
count as zero and are flagged, so a row never looks final when it is not. An assessment
in several languages gives one row per learner over all of them, with the language of the
submission that counts (the latest) and the other submissions named beside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from grader.cohort.assessments import language_of, language_versions, read_versions
from grader.cohort.gradebook import Attempt, Submission
from grader.cohort.roster import learner_teams
from grader.cohort.spreadsheet import write_rows
from grader.course.content import load_settings_and_bank
from grader.course.guidelines import GUIDELINES
from grader.course.i18n import LANGUAGE_NAMES, LANGUAGES, split_assignment
from grader.course.items import Item
from grader.course.nbgrader_course import course_db_url
from grader.course.passing import guideline_minimum_of, verdict
from grader.course.points import percent_figure, total


@dataclass(frozen=True)
class Row:
    learner: str
    name: str
    email: str
    team: str
    submitted_at: str
    score: float
    max_score: float
    pending: int
    by_guideline: dict[str, tuple[float, float]]
    passed: bool
    seconds_late: float = 0.0  # after the assignment's due date; late work still counts
    assignment: str = ""  # the language version submitted to (``certification-exam-nl``)
    others: tuple[Attempt, ...] = ()  # earlier submissions in other languages: not counted

    @property
    def hours_late(self) -> str:
        """How late it came in, for people and files: "3.0", or "" when on time."""
        return f"{self.seconds_late / 3600:.1f}" if self.seconds_late else ""

    @property
    def language(self) -> str:
        """The language of the submission that counts (``nl``)."""
        return language_of(self.assignment)

    @property
    def also_submitted(self) -> str:
        """The submissions that do not count, for people and files: "en 2026-11-02 09:00:00"."""
        return "; ".join(
            f"{language_of(o.assignment) or o.assignment} {o.timestamp}" for o in self.others
        )


def language_counts(rows: Iterable[Row], languages: Iterable[str] = ()) -> dict[str, int]:
    """Learners per language of the submission that counts (``languages`` listed even when
    nobody took them), in the course's language order."""
    counts = Counter({language: 0 for language in languages})
    counts.update(row.language for row in rows)
    order = {language: index for index, language in enumerate(LANGUAGES)}
    return {key: counts[key] for key in sorted(counts, key=lambda k: (order.get(k, 99), k))}


def language_figures(counts: dict[str, int]) -> str:
    """Learners per language for people: "English 2, Nederlands 1"."""
    return ", ".join(f"{LANGUAGE_NAMES.get(code, code or '?')} {n}" for code, n in counts.items())


def cohort_rows(course_root: Path | str, name: str) -> list[Row]:
    """One row per learner who submitted ``name``, sorted by learner id.

    ``name`` is one language version or an assessment: then every built language version
    counts, and a learner who submitted several has the row of the latest.
    """
    versions = language_versions(course_root, name)
    assessment, language = split_assignment(versions[0])
    settings, bank = load_settings_and_bank(course_root, language)
    items = {item.id: item for item in bank.items_of(assessment)}
    db_url = course_db_url(course_root)
    grades = read_versions(db_url, versions)
    return learner_rows(
        grades.submissions,
        items,
        learner_teams(db_url),
        settings.pass_mark,
        guideline_minimum_of(settings),
    )


def learner_rows(
    submissions: Iterable[Submission],
    items: dict[str, Item],
    teams: dict[str, str],
    pass_mark: float,
    guideline_minimum: float = 0.0,
) -> list[Row]:
    """The export row of each submission (written answers still to grade count as zero).

    ``passed`` follows the certification's pass rule (:func:`grader.course.passing.verdict`).
    """
    rows = [
        _row(
            submission.learner.id,
            submission.learner.name,
            submission.learner.email,
            teams.get(submission.learner.id, ""),
            submission.timestamp,
            submission.grades,
            items,
            pass_mark,
            guideline_minimum,
            seconds_late=submission.seconds_late,
            assignment=submission.assignment,
            others=submission.others,
        )
        for submission in submissions
    ]
    return sorted(rows, key=lambda row: row.learner)


def _row(
    learner,
    name,
    email,
    team,
    submitted_at,
    grades,
    items: dict[str, Item],
    *rule,
    seconds_late=0.0,
    assignment="",
    others=(),
):
    earned: dict[str, list[float]] = {g.slug: [] for g in GUIDELINES}
    most: dict[str, list[float]] = {g.slug: [] for g in GUIDELINES}
    pending = 0
    for grade in grades:
        item = items.get(grade.name)
        if item is None:
            continue
        waiting = grade.pending
        pending += waiting
        earned[item.guideline].append(0.0 if waiting else float(grade.score))
        most[item.guideline].append(float(grade.max_score))
    by_guideline = {slug: (total(earned[slug]), total(most[slug])) for slug in earned}
    score = total(e for e, _ in by_guideline.values())
    maximum = total(m for _, m in by_guideline.values())
    row = Row(
        learner,
        name,
        email,
        team,
        submitted_at,
        score,
        maximum,
        pending,
        {slug: (e, m) for slug, (e, m) in by_guideline.items() if m},
        passed=False,
        seconds_late=seconds_late,
        assignment=assignment,
        others=others,
    )
    return replace(row, passed=verdict(row, *rule).passed)


def write_csv(rows: list[Row], path: Path | str, pass_mark: float | None = None) -> None:
    """The export file: identity, totals, then score and maximum per guideline (text cells
    that a spreadsheet would run as a formula start with an apostrophe)."""
    guidelines = [g for g in GUIDELINES if any(g.slug in row.by_guideline for row in rows)]
    header = [
        "learner_id",
        "name",
        "email",
        "team",
        "submitted_at",
        "score",
        "max_score",
        "percent",
        "pending_manual",
        "passed",
        "hours_late",
        "language",
        "also_submitted",
    ]
    for g in guidelines:
        header += [f"g{g.number}_{g.slug}", f"g{g.number}_{g.slug}_max"]
    lines = []
    for row in rows:
        line = [
            row.learner,
            row.name,
            row.email,
            row.team,
            row.submitted_at,
            f"{row.score:g}",
            f"{row.max_score:g}",
            percent_figure(row.score, row.max_score, pass_mark),
            row.pending,
            "yes" if row.passed else "no",
            row.hours_late,
            row.language,
            row.also_submitted,
        ]
        for g in guidelines:
            earned, most = row.by_guideline.get(g.slug, (0.0, 0.0))
            line += [f"{earned:g}", f"{most:g}"]
        lines.append(line)
    write_rows(path, header, lines)
