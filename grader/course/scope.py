"""The course an organisation gets: guidelines it leaves out are taken out everywhere.

An organisation whose shares are not listed (``listed: false`` in ``organisation.yaml``)
has no black periods, so it gets no black-period lesson, no exercise for it, no item of
that guideline in any assessment, no practice scenario of it and no lesson section marked
with it; a section with a ``body_without`` for it shows that body instead. The exam
blueprint and the per-guideline minimum follow, because both are computed from the items
an assessment holds.
"""

from __future__ import annotations

from dataclasses import replace

from grader.course.items import Assessment, Bank
from grader.course.lessons import Lesson, Section


def scoped_bank(bank: Bank, slugs: frozenset[str]) -> Bank:
    """``bank`` without the items of ``slugs``, and without assessments left empty."""
    if not slugs:
        return bank
    items = {item_id: item for item_id, item in bank.items.items() if item.guideline not in slugs}
    assessments: dict[str, Assessment] = {}
    for assessment_id, assessment in bank.assessments.items():
        kept = tuple(item_id for item_id in assessment.item_ids if item_id in items)
        if kept:
            assessments[assessment_id] = replace(assessment, item_ids=kept)
    return Bank(items=items, assessments=assessments)


def scoped_lessons(lessons: list[Lesson], slugs: frozenset[str]) -> list[Lesson]:
    """``lessons`` without the lessons, sections and practice scenarios of ``slugs``."""
    if not slugs:
        return lessons
    return [
        replace(
            lesson,
            sections=tuple(
                _without(section, slugs)
                for section in lesson.sections
                if section.guideline not in slugs
            ),
            practice=tuple(item for item in lesson.practice if item.guideline not in slugs),
        )
        for lesson in lessons
        if lesson.guideline not in slugs
    ]


def _without(section: Section, slugs: frozenset[str]) -> Section:
    """The section, with the body its author wrote for a course without ``slugs``."""
    for slug in sorted(slugs & section.body_without.keys()):
        return replace(section, body=section.body_without[slug])
    return section
