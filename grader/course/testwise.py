"""A simulated test-wise learner: reads no question, only the length of the options.

Item writers give the key away when the correct option is the longest, most careful
one, and they give it away again when, to avoid that, the key is never the longest nor the
shortest. This learner exploits either habit: in choice items it picks the longest option,
the shortest, or (at random) one that is neither; in multi-select items the ``k`` longest,
shortest or most middling options, for the one ``k`` that serves it best across the
assessment. Its score is compared with a blind guesser's,
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


MODES = ("longest", "shortest", "middle")


@dataclass(frozen=True)
class Strategy:
    """How the learner picks: by option length (see :data:`MODES`), ``k`` in multi-select."""

    mode: str
    k: int

    @property
    def name(self) -> str:
        if self.mode == "middle":
            return f"neither longest nor shortest option, middle {self.k} in multi-select"
        return f"{self.mode} option, {self.mode} {self.k} in multi-select"


@dataclass(frozen=True)
class TestwiseResult:
    """The best strategy's score and a blind guesser's, both out of the auto-graded points."""

    strategy: Strategy
    score: float
    chance: float
    auto_points: float
    total_points: float
    gained: tuple[str, ...]  # items on which the strategy beats a blind guess

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


def ranked_options(item: Item, mode: str) -> list[str]:
    """Option ids in the order the mode prefers them, ties in the order given."""
    lengths = [option_length(option.text) for option in item.options]
    middle = sorted(lengths)[len(lengths) // 2]
    preference = {
        "longest": lambda n: -lengths[n],
        "shortest": lambda n: lengths[n],
        "middle": lambda n: abs(lengths[n] - middle),
    }[mode]
    order = sorted(range(len(lengths)), key=lambda n: (preference(n), n))
    return [item.options[n].id for n in order]


def middle_options(item: Item) -> list[str]:
    """Options that are neither strictly the longest nor strictly the shortest."""
    lengths = [option_length(option.text) for option in item.options]
    kept = [
        option.id
        for option, length in zip(item.options, lengths, strict=True)
        if not (length == max(lengths) and lengths.count(length) == 1)
        and not (length == min(lengths) and lengths.count(length) == 1)
    ]
    return kept or list(item.option_ids)


def strategy_score(item: Item, strategy: Strategy) -> float:
    """Points the strategy earns on one auto-graded item (expected, where it guesses)."""
    if item.kind == "choice" and strategy.mode == "middle":
        candidates = middle_options(item)
        return item.points / len(candidates) if item.key[0] in candidates else 0.0
    ranked = ranked_options(item, strategy.mode)
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
    strategies = [Strategy(mode, k) for mode in MODES for k in range(1, widest)]
    scored = [(sum(strategy_score(item, s) for item in auto), s) for s in strategies]
    best_score, best = max(scored, key=lambda pair: pair[0])
    gained = tuple(item.id for item in auto if strategy_score(item, best) > chance_score(item))
    return TestwiseResult(
        strategy=best,
        score=best_score,
        chance=sum(chance_score(item) for item in auto),
        auto_points=float(sum(item.points for item in auto)),
        total_points=float(sum(item.points for item in items)),
        gained=gained,
    )
