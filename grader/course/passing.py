"""The pass rule for certification, in one place.

A learner passes when the overall score is at or above the organisation's pass mark,
every guideline the assessment covers is at or above the guideline minimum, and no
written answer is still waiting for a trainer. A learner who does not pass gets every
reason, worded for the trainer who has to explain it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from grader.course.guidelines import BY_SLUG
from grader.course.points import at_least, percent_of, percent_text
from grader.course.settings import Settings


class Scored(Protocol):
    """A learner's totals, as the cohort export computes them (``grader.cohort.export.Row``)."""

    learner: str
    score: float
    max_score: float
    pending: int
    by_guideline: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Verdict:
    learner: str
    passed: bool
    reasons: tuple[str, ...]
    percent: float


def percent(earned: float, maximum: float) -> float:
    """``earned`` as a percentage of ``maximum``, exactly (see :mod:`grader.course.points`)."""
    return percent_of(earned, maximum)


def guideline_minimum_of(settings: Settings) -> float:
    """The score every guideline needs (percent): the certificate's minimum, if any."""
    return settings.certificate.guideline_minimum if settings.certificate else 0.0


def verdict(row: Scored, pass_mark: float, guideline_minimum: float) -> Verdict:
    """Whether ``row`` passes, and if not, why (each reason a sentence fragment)."""
    reasons = []
    overall = percent(row.score, row.max_score)
    if row.max_score and not at_least(row.score, row.max_score, pass_mark):
        shown = percent_text(overall, pass_mark)
        reasons.append(f"overall {shown} is below the pass mark of {pass_mark:g}%")
    for slug, (earned, most) in row.by_guideline.items():
        if not at_least(earned, most, guideline_minimum):
            rule = BY_SLUG[slug]
            shown = percent_text(percent(earned, most), guideline_minimum)
            reasons.append(
                f"guideline {rule.number} {rule.title('en')} {shown} is below the "
                f"minimum of {guideline_minimum:g}%"
            )
    if row.pending:
        answers = "written answer" if row.pending == 1 else "written answers"
        reasons.append(f"{row.pending} {answers} not graded yet")
    if not row.max_score:
        reasons.append("no graded questions in this submission")
    return Verdict(row.learner, not reasons, tuple(reasons), overall)
