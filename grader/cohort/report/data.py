"""The figures of a cohort report, gathered from nbgrader's gradebook, the item bank and the roster.

Nothing is stored besides the gradebook: every figure is computed from it when the report
is made. Totals and pass/fail are the export's (:func:`grader.cohort.export.learner_rows`), so the
report and the HR export never disagree. Written answers still awaiting the trainer are
left out of mastery and item figures (they are not zero, just unknown yet) and make the
learner's result "pending" rather than passed or failed.

An assessment in several languages is one cohort: each learner counts once, with their
latest submission in any language (:func:`grader.cohort.assessments.combine`), and the
item figures run over all languages, as the language versions share their item ids.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from grader.cohort.assessments import language_of, language_versions, read_versions
from grader.cohort.export import Row, language_counts, learner_rows, split_assignment
from grader.cohort.gradebook import AssignmentGrades, Submission
from grader.cohort.report.item_analysis import TestStats, analyse
from grader.cohort.roster import learner_teams
from grader.course.content import load_settings_and_bank
from grader.course.guidelines import GUIDELINES, Guideline
from grader.course.items import Item
from grader.course.nbgrader_course import course_db_url
from grader.course.passing import guideline_minimum_of, percent
from grader.grading.autograde import submitted_learners

NO_TEAM = "(no team)"
WEAKEST_SHOWN = 3

PASSED, FAILED, PENDING = "passed", "failed", "awaiting manual grading"
NOT_GRADED, NOT_SUBMITTED = "submitted, not autograded yet", "not submitted"


@dataclass(frozen=True)
class LearnerResult:
    """One learner of the roster and where they stand on the assignment."""

    id: str
    name: str
    team: str
    status: str
    row: Row | None
    mastery: dict[str, float | None]

    @property
    def percent(self) -> float | None:
        if self.row is None or not self.row.max_score:
            return None
        return percent(self.row.score, self.row.max_score)


@dataclass(frozen=True)
class ItemResult:
    item: Item
    pending: int


@dataclass(frozen=True)
class GuidelineResult:
    guideline: Guideline
    mastery: float | None
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class ReportData:
    organisation: str
    assignment: str
    title: str
    created: dt.datetime
    pass_mark: float
    guideline_minimum: float  # percent every guideline needs; 0 when none
    learners: tuple[LearnerResult, ...]
    items: tuple[ItemResult, ...]
    stats: TestStats
    guidelines: tuple[GuidelineResult, ...]
    teams: dict[str, dict[str, float | None]]
    versions: tuple[str, ...] = ()  # the language versions the report covers
    languages: dict[str, int] = field(default_factory=dict)  # graded learners per language

    @property
    def in_several_languages(self) -> tuple[LearnerResult, ...]:
        """Graded learners who submitted more than one language version."""
        return tuple(learner for learner in self.graded if learner.row.others)

    def count(self, *statuses: str) -> int:
        return sum(1 for learner in self.learners if learner.status in statuses)

    @property
    def graded(self) -> tuple[LearnerResult, ...]:
        return tuple(learner for learner in self.learners if learner.row is not None)

    @property
    def team_sizes(self) -> dict[str, int]:
        """Graded learners per team."""
        sizes: dict[str, int] = defaultdict(int)
        for learner in self.graded:
            sizes[learner.team] += 1
        return dict(sizes)

    @property
    def weakest(self) -> tuple[GuidelineResult, ...]:
        """The guidelines the cohort masters least, weakest first."""
        known = [g for g in self.guidelines if g.mastery is not None]
        return tuple(sorted(known, key=lambda g: (g.mastery, g.guideline.number))[:WEAKEST_SHOWN])


@dataclass(frozen=True)
class Cohort:
    """What a report is made from, as read from the course folder and its gradebook."""

    organisation: str
    assignment: str
    title: str
    pass_mark: float
    guideline_minimum: float
    items: tuple[Item, ...]
    grades: AssignmentGrades
    teams: dict[str, str]
    handed_in: frozenset[str]  # learners with a submission folder, autograded or not
    versions: tuple[str, ...] = ()  # the language versions combined (``assignment`` alone if ())


def read_cohort(course_root: Path | str, name: str) -> Cohort:
    """Settings, the assessment's items, the gradebook's grades and the roster's teams, over
    every language version ``name`` stands for (an assessment, or one language version)."""
    versions = language_versions(course_root, name)
    assessment, language = split_assignment(versions[0])
    settings, bank = load_settings_and_bank(course_root, language)
    if assessment not in bank.assessments:
        known = ", ".join(sorted(bank.assessments))
        raise KeyError(f"no assessment {assessment!r} in the item bank (known: {known})")
    db_url = course_db_url(course_root)
    return Cohort(
        organisation=settings.organisation,
        assignment=name,
        title=bank.assessments[assessment].title,
        pass_mark=settings.pass_mark,
        guideline_minimum=guideline_minimum_of(settings),
        items=tuple(bank.items_of(assessment)),
        grades=read_versions(db_url, versions),
        teams=learner_teams(db_url),
        handed_in=frozenset(
            learner for version in versions for learner in submitted_learners(course_root, version)
        ),
        versions=tuple(versions),
    )


def gather(course_root: Path | str, name: str, *, now: dt.datetime | None = None) -> ReportData:
    """Everything the report of ``name`` shows, read from the course's gradebook."""
    return compile_report(read_cohort(course_root, name), now=now)


def compile_report(cohort: Cohort, *, now: dt.datetime | None = None) -> ReportData:
    """The report's figures from what was read (no files, no database)."""
    items, teams, record = list(cohort.items), cohort.teams, cohort.grades
    by_id = {item.id: item for item in items}
    # a submission nbgrader holds no grade of (its autograding failed) is not graded yet
    graded = [s for s in record.submissions if any(g.name in by_id for g in s.grades)]
    rows = learner_rows(graded, by_id, teams, cohort.pass_mark, cohort.guideline_minimum)
    by_learner = {row.learner: row for row in rows}
    submitted = {s.learner.id: s for s in graded}
    handed_in = {*cohort.handed_in, *(s.learner.id for s in record.submissions)}
    versions = cohort.versions or (cohort.assignment,)
    names = {student.id: student.name for student in record.students}
    learners = []
    for student in sorted({*names, *handed_in}):
        row = by_learner.get(student)
        learners.append(
            LearnerResult(
                student,
                names.get(student, ""),
                teams.get(student) or NO_TEAM,
                _status(row, student in handed_in),
                row,
                _mastery(submitted[student], by_id) if student in submitted else {},
            )
        )
    matrix = [_scores(submission, items) for submission in graded]
    item_results = tuple(
        ItemResult(item, sum(1 for row in matrix if row[i] is None)) for i, item in enumerate(items)
    )
    return ReportData(
        organisation=cohort.organisation,
        assignment=cohort.assignment,
        title=cohort.title,
        created=now or dt.datetime.now(dt.UTC),
        pass_mark=cohort.pass_mark,
        guideline_minimum=cohort.guideline_minimum,
        learners=tuple(learners),
        items=item_results,
        stats=analyse(matrix, [item.points for item in items]),
        guidelines=_guidelines(graded, item_results),
        teams=_team_mastery(graded, by_id, teams),
        versions=versions,
        languages=language_counts(rows, [language_of(version) for version in versions]),
    )


def _status(row: Row | None, on_disk: bool) -> str:
    if row is None:
        return NOT_GRADED if on_disk else NOT_SUBMITTED
    if row.pending:
        return PENDING
    return PASSED if row.passed else FAILED


def _scores(submission: Submission, items: list[Item]) -> list[float | None]:
    """The learner's score per item in assessment order; ``None`` when not graded yet."""
    graded = {grade.name: grade.score for grade in submission.grades if not grade.pending}
    return [graded.get(item.id) for item in items]


def _points(submissions, by_id: dict[str, Item]):
    """Earned and available points per guideline over the graded answers of ``submissions``."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for submission in submissions:
        for grade in submission.grades:
            item = by_id.get(grade.name)
            if item is not None and not grade.pending:
                totals[item.guideline][0] += grade.score
                totals[item.guideline][1] += grade.max_score
    return {
        g.slug: (totals[g.slug][0] / totals[g.slug][1] if totals[g.slug][1] else None)
        for g in GUIDELINES
    }


def _mastery(submission: Submission, by_id: dict[str, Item]) -> dict[str, float | None]:
    return _points([submission], by_id)


def _team_mastery(submissions, by_id, teams) -> dict[str, dict[str, float | None]]:
    members: dict[str, list[Submission]] = defaultdict(list)
    for submission in submissions:
        members[teams.get(submission.learner.id) or NO_TEAM].append(submission)
    return {team: _points(members[team], by_id) for team in sorted(members)}


def _guidelines(submissions, items: tuple[ItemResult, ...]) -> tuple[GuidelineResult, ...]:
    by_id = {result.item.id: result.item for result in items}
    cohort = _points(submissions, by_id)
    return tuple(
        GuidelineResult(g, cohort[g.slug], tuple(r for r in items if r.item.guideline == g.slug))
        for g in GUIDELINES
        if any(r.item.guideline == g.slug for r in items)
    )
