"""The item bank as data: items with their keys, options, rubrics and scenarios, and the
assessments made of them. Loaded and checked by :mod:`grader.course.bank`."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("choice", "multi-select", "free-text")


@dataclass(frozen=True)
class Option:
    id: str
    text: str


@dataclass(frozen=True)
class Criterion:
    """One line of a free-text item's rubric."""

    points: float
    criterion: str


@dataclass(frozen=True)
class Scenario:
    role: str
    platform: str
    situation: str
    post: str | None = None


@dataclass(frozen=True)
class Item:
    """One assessment item, key included: trainer-side data."""

    id: str
    guideline: str
    kind: str
    points: float
    scenario: Scenario
    question: str
    explanation: str
    options: tuple[Option, ...] = ()
    key: tuple[str, ...] = ()
    rubric: tuple[Criterion, ...] = ()
    model_answer: str | None = None
    shuffle: bool = True
    source: str = ""

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


@dataclass(frozen=True)
class Assessment:
    """An nbgrader assignment made of bank items (one notebook named after it)."""

    id: str
    title: str
    introduction: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class Bank:
    items: dict[str, Item]
    assessments: dict[str, Assessment] = field(default_factory=dict)

    def items_of(self, assessment_id: str) -> list[Item]:
        """The items of one assessment, in the order the assessment lists them."""
        return [self.items[item_id] for item_id in self.assessments[assessment_id].item_ids]
