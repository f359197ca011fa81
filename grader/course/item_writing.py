"""Item-writing flaws a skimming learner can exploit, measured per language and assessment.

``grader check`` and ``grader build`` print these figures for the whole bank and for every
assessment, and stop, naming the items, when one goes past :data:`LIMITS`:

- the share of choice items whose key is strictly the longest option (by chance that is
  one in the number of options);
- how much longer keys are than distractors (and keyed options than unkeyed ones);
- how often multi-select items share the same number of keyed options;
- "all of the above" / "none of the above" options;
- the score of a simulated test-wise learner (:mod:`grader.course.testwise`), which must
  stay near a blind guesser's.

The limits apply to the bank and to assessments with at least ``LIMITS.min_choice_items``
choice items; smaller exercises are too small for a share or a mean to say anything, so
their figures are printed and their items are held to the limits as part of the bank.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from grader.course.content import load_settings_and_bank
from grader.course.items import Bank, Item
from grader.course.points import points_text
from grader.course.settings import load_settings
from grader.course.testwise import TestwiseResult, option_length, testwise_learner
from grader.errors import GraderError


@dataclass(frozen=True)
class ItemWritingLimits:
    """The thresholds the item bank is held to: the one place to change them."""

    # Choice items whose key is strictly the longest option, above the share chance gives.
    longest_key_excess: float = 0.15
    # Mean over items of (mean key length / mean distractor length), choice and multi-select.
    length_ratio: float = 1.2
    # One item's ratio beyond this is named when the mean goes past ``length_ratio``.
    item_length_ratio: float = 1.5
    # The most common number of keyed options, as a share of the multi-select items.
    keyed_count_share: float = 0.5
    # The test-wise learner's share of the auto-graded points, above a blind guesser's.
    testwise_excess: float = 0.15
    # Assessments with fewer choice items are not held to the share limits.
    min_choice_items: int = 8


LIMITS = ItemWritingLimits()

# Options that let a learner answer by elimination instead of by knowing.
CATCH_ALL = re.compile(
    r"^\W*(all|none|both|neither)( of)?( the)? (above|options|answers)\b"
    r"|^\W*(alle|geen van (de|deze|beide)) ?(bovenstaande|genoemde|antwoorden|opties)?\W*$"
    r"|^\W*(alle|geen van de) (bovenstaande|genoemde|antwoorden|opties)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figures:
    """What the check measured on one set of items."""

    scope: str
    choice_items: int
    longest_key: tuple[str, ...]  # choice items whose key is strictly the longest option
    shortest_key: int
    chance_longest: float
    item_ratios: dict[str, float]  # mean key length / mean distractor length, per item
    keyed_counts: Counter[int]
    catch_all: tuple[str, ...]
    testwise: TestwiseResult
    held_to_shares: bool

    @property
    def length_ratio(self) -> float:
        return mean(self.item_ratios.values()) if self.item_ratios else 1.0

    @property
    def longest_key_share(self) -> float:
        return len(self.longest_key) / self.choice_items if self.choice_items else 0.0


def measure(scope: str, items: Sequence[Item], limits: ItemWritingLimits = LIMITS) -> Figures:
    """The item-writing figures of ``items`` (free-text items count only in points)."""
    choice = [item for item in items if item.kind == "choice"]
    multi = [item for item in items if item.kind == "multi-select"]
    return Figures(
        scope=scope,
        choice_items=len(choice),
        longest_key=tuple(item.id for item in choice if _key_is(item, longest=True)),
        shortest_key=sum(_key_is(item, longest=False) for item in choice),
        chance_longest=mean(1 / len(item.options) for item in choice) if choice else 0.0,
        item_ratios={item.id: _ratio(item) for item in choice + multi},
        keyed_counts=Counter(len(item.key) for item in multi),
        catch_all=tuple(
            item.id
            for item in choice + multi
            if any(CATCH_ALL.search(option.text) for option in item.options)
        ),
        testwise=testwise_learner(items),
        held_to_shares=len(choice) >= limits.min_choice_items,
    )


def problems(figures: Figures, limits: ItemWritingLimits = LIMITS) -> list[str]:
    """Each limit ``figures`` goes past, with the items to rewrite."""
    found: list[str] = []
    scope = figures.scope
    if not figures.held_to_shares:
        return found
    if figures.catch_all:
        found.append(f"{scope}: 'all/none of the above' options in {_names(figures.catch_all)}")
    if figures.length_ratio > limits.length_ratio:
        long_keys = sorted(
            (ratio, item) for item, ratio in figures.item_ratios.items() if ratio > 1
        )[::-1]
        named = [item for ratio, item in long_keys if ratio > limits.item_length_ratio]
        named = named or [item for _, item in long_keys]
        found.append(
            f"{scope}: keys are {figures.length_ratio:.2f}x as long as distractors (limit "
            f"{limits.length_ratio:.2f}x); longest keys in {_names(named)}"
        )
    allowed = figures.chance_longest + limits.longest_key_excess
    if figures.longest_key_share > allowed:
        found.append(
            f"{scope}: the key is the longest option in {len(figures.longest_key)} of "
            f"{figures.choice_items} choice items ({figures.longest_key_share:.0%}, limit "
            f"{allowed:.0%}): {_names(figures.longest_key)}"
        )
    multi = sum(figures.keyed_counts.values())
    if multi >= 4:
        count, times = figures.keyed_counts.most_common(1)[0]
        if times / multi > limits.keyed_count_share:
            found.append(
                f"{scope}: {times} of {multi} multi-select items have exactly {count} keyed "
                f"options (limit {limits.keyed_count_share:.0%}); vary it from 1 to all but one"
            )
    testwise = figures.testwise
    if testwise.share > testwise.chance_share + limits.testwise_excess:
        found.append(
            f"{scope}: a test-wise learner ({testwise.strategy.name}) earns "
            f"{testwise.share:.0%} of the auto-graded points, a blind guesser "
            f"{testwise.chance_share:.0%} (limit {limits.testwise_excess:.0%} more); "
            f"it beats a blind guess on {_names(testwise.gained)}"
        )
    return found


def describe(figures: Figures) -> str:
    """One line of figures, printed whether or not a limit is passed."""
    testwise = figures.testwise
    counts = ", ".join(f"{k}x{n}" for k, n in sorted(figures.keyed_counts.items())) or "none"
    held = "" if figures.held_to_shares else " (too small for the share limits)"
    return (
        f"{figures.scope}{held}: key longest in {len(figures.longest_key)}/"
        f"{figures.choice_items} choice items (chance {figures.chance_longest:.0%}), shortest in "
        f"{figures.shortest_key}; key/distractor length {figures.length_ratio:.2f}x; keyed "
        f"options per multi-select item {counts}; test-wise learner "
        f"{points_text(testwise.score)}/{points_text(testwise.auto_points)} auto-graded points "
        f"({testwise.share:.0%}, blind guess {testwise.chance_share:.0%}), "
        f"{testwise.exam_share:.0%} of all points"
    )


def bank_figures(bank: Bank, language: str) -> list[Figures]:
    """Figures for the whole bank and for each assessment, in one language."""
    figures = [measure(f"{language} item bank", list(bank.items.values()))]
    for assessment_id in sorted(bank.assessments):
        figures.append(measure(f"{language} {assessment_id}", bank.items_of(assessment_id)))
    return figures


class ItemWritingError(GraderError):
    """The bank goes past an item-writing limit; each problem names the items to rewrite."""

    def __init__(self, problems: list[str], figures: list[str]) -> None:
        self.problems, self.figures = problems, figures
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(
            f"the item bank has {len(problems)} item-writing flaw(s) a test-wise learner can "
            f"use (limits: grader.course.item_writing.ItemWritingLimits):\n{lines}"
        )


def check_banks(banks: dict[str, Bank], limits: ItemWritingLimits = LIMITS) -> list[str]:
    """Figures of each language's bank, one line each; :class:`ItemWritingError` past a limit."""
    lines: list[str] = []
    found: list[str] = []
    for language, bank in banks.items():
        for figures in bank_figures(bank, language):
            lines.append(describe(figures))
            found += problems(figures, limits)
    if found:
        raise ItemWritingError(found, lines)
    return lines


def _key_is(item: Item, *, longest: bool) -> bool:
    """Whether the key is strictly the longest (or shortest) option."""
    key = next(option_length(o.text) for o in item.options if o.id in item.key)
    others = [option_length(o.text) for o in item.options if o.id not in item.key]
    return key > max(others) if longest else key < min(others)


def _ratio(item: Item) -> float:
    keyed = [option_length(o.text) for o in item.options if o.id in item.key]
    unkeyed = [option_length(o.text) for o in item.options if o.id not in item.key]
    return mean(keyed) / mean(unkeyed) if unkeyed else 1.0


def _names(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def check_course(course_root: Path | str, limits: ItemWritingLimits = LIMITS) -> list[str]:
    """:func:`check_banks` on the bank of every language the course is built in."""
    settings = load_settings(course_root)
    banks = {
        language: load_settings_and_bank(course_root, language)[1]
        for language in settings.languages
    }
    return check_banks(banks, limits)
