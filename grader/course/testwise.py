"""A simulated test-wise learner: reads no question, only the length of the options.

Item writers give the key away when the correct option is the longest, most careful
one. This learner exploits exactly that: in choice items it picks the longest option (or
the shortest), in multi-select items the ``k`` longest (or shortest) for the one ``k``
that serves it best across the assessment. Its score is compared with a blind guesser's,
who picks any option (any set of options) with equal chance. Both are scored with the
course's own rules (:mod:`grader.course.scoring`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from grader.course.items import Item
from grader.course.scoring import score_choice, score_multi_select

AUTO_GRADED = ("choice", "multi-select")


@dataclass(frozen=True)
class Strategy:
    """How the learner picks: by ``longest`` (or shortest) option, ``k`` of them in multi-select."""

    longest: bool
    k: int

    @property
    def name(self) -> str:
        which = "longest" if self.longest else "shortest"
        return f"{which} option, {which} {self.k} in multi-select"


@dataclass(frozen=True)
class TestwiseResult:
    """The best strategy's score and a blind guesser's, both out of the auto-graded points."""

    strategy: Strategy
    score: float
    chance: float
    auto_points: float
    total_points: float
    gained: tuple[str, ...]  # items the strategy earns full points on

    @property
    def share(self) -> float:
        return self.score / self.auto_points if self.auto_points else 0.0

    @property
    def exam_share(self) -> float:
        """The score as a share of all points, free-text items (which it cannot answer) included."""
        return self.score / self.total_points if self.total_points else 0.0

    @property
    def chance_share(self) -> float:
        return self.chance / self.auto_points if self.auto_points else 0.0


def option_length(text: str) -> int:
    """What a skimming eye measures: characters, with runs of white space as one."""
    return len(" ".join(text.split()))


def ranked_options(item: Item, longest: bool) -> list[str]:
    """Option ids from longest to shortest (or the reverse), ties in the order given."""
    lengths = [(option_length(option.text), index) for index, option in enumerate(item.options)]
    order = sorted(lengths, key=lambda pair: (-pair[0] if longest else pair[0], pair[1]))
    return [item.options[index].id for _, index in order]


def strategy_score(item: Item, strategy: Strategy) -> float:
    """Points the strategy earns on one auto-graded item."""
    ranked = ranked_options(item, strategy.longest)
    if item.kind == "choice":
        return score_choice(ranked[0], item.key[0], item.points)
    picked = ranked[: min(strategy.k, len(ranked))]
    return score_multi_select(picked, item.key, item.option_ids, item.points)


def chance_score(item: Item) -> float:
    """A blind guesser's expected points: any option, or any set of options, equally likely."""
    if item.kind == "choice":
        return item.points / len(item.options)
    ids = item.option_ids
    subsets = [picked for size in range(len(ids) + 1) for picked in combinations(ids, size)]
    total = sum(score_multi_select(picked, item.key, ids, item.points) for picked in subsets)
    return total / len(subsets)


def testwise_learner(items: Sequence[Item]) -> TestwiseResult:
    """The best length-only strategy on ``items`` against a blind guesser."""
    auto = [item for item in items if item.kind in AUTO_GRADED]
    widest = max((len(item.options) for item in auto if item.kind == "multi-select"), default=2)
    strategies = [Strategy(longest, k) for longest in (True, False) for k in range(1, widest)]
    scored = [(sum(strategy_score(item, s) for item in auto), s) for s in strategies]
    best_score, best = max(scored, key=lambda pair: pair[0])
    gained = tuple(item.id for item in auto if strategy_score(item, best) >= item.points)
    return TestwiseResult(
        strategy=best,
        score=best_score,
        chance=sum(chance_score(item) for item in auto),
        auto_points=float(sum(item.points for item in auto)),
        total_points=float(sum(item.points for item in items)),
        gained=gained,
    )
