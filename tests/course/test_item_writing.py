"""The item-writing check: deliberately flawed banks are stopped, naming the items to rewrite.

A flaw that slips through means a learner who reads nothing but the length of the options
can earn a certificate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.cli.main import main
from grader.course import testwise
from grader.course.item_writing import (
    LIMITS,
    ItemWritingError,
    ItemWritingLimits,
    check_banks,
    check_course,
    describe,
    measure,
    problems,
)
from grader.course.items import Assessment, Bank, Item, Option, Scenario
from grader.course.paths import SOURCE_DIR

from ..conftest import REPO, new_course

SCENARIO = Scenario(role="Planner", platform="LinkedIn", situation="Something happens.")


def choice(item_id: str, lengths: list[int], key: int) -> Item:
    """A choice item whose options have these lengths; option ``key`` is the key."""
    options = tuple(Option(f"o{n}", "x" * length) for n, length in enumerate(lengths))
    return Item(
        id=item_id,
        guideline="confidential",
        kind="choice",
        points=1,
        scenario=SCENARIO,
        question="What do you do?",
        explanation="Because.",
        options=options,
        key=(f"o{key}",),
    )


def multi(item_id: str, lengths: list[int], keys: list[int], points: float = 2) -> Item:
    options = tuple(Option(f"o{n}", "y" * length) for n, length in enumerate(lengths))
    return Item(
        id=item_id,
        guideline="respect",
        kind="multi-select",
        points=points,
        scenario=SCENARIO,
        question="Which apply?",
        explanation="Because.",
        options=options,
        key=tuple(f"o{n}" for n in keys),
    )


def longest_key_bank(count: int = 8) -> list[Item]:
    """The flaw of the old bank: the key is always the longest, most careful option."""
    return [choice(f"long-key-{n}", [40, 45, 90, 50], key=2) for n in range(count)]


def balanced_bank(count: int = 8) -> list[Item]:
    """Keys of distractor length, at a different length rank in every item."""
    items = []
    for n in range(count):
        lengths = [60, 62, 58, 61]
        items.append(choice(f"balanced-{n}", lengths, key=n % 4))
    keyed = [[0], [1, 2], [0, 2, 3], [1, 2, 3, 4], [4], [0, 3]]
    for n, keys in enumerate(keyed):
        items.append(multi(f"multi-{n}", [50, 52, 49, 51, 50], keys))
    return items


def test_longest_key_bank_is_stopped_naming_its_items() -> None:
    figures = measure("en certification-exam", longest_key_bank())
    found = problems(figures)
    assert figures.longest_key_share == 1.0
    longest = [p for p in found if "the key is the longest option in 8 of 8" in p]
    assert longest and "long-key-0" in longest[0] and "long-key-7" in longest[0]
    assert any("as long as distractors" in p for p in found)


def test_test_wise_learner_passes_a_longest_key_bank_and_is_named() -> None:
    result = testwise.testwise_learner(longest_key_bank())
    assert result.score == 8 and result.share == 1.0
    assert result.chance_share == 0.25
    assert result.strategy.mode == "longest"
    found = problems(measure("en exam", longest_key_bank()))
    assert any("a test-wise learner (longest option" in p and "100%" in p for p in found)


def test_shortest_key_bank_is_caught_too() -> None:
    """Over-correcting (keys always the shortest) is just as exploitable."""
    items = [choice(f"short-key-{n}", [60, 58, 30, 61], key=2) for n in range(8)]
    result = testwise.testwise_learner(items)
    assert result.share == 1.0 and result.strategy.mode == "shortest"
    assert any("shortest option" in p for p in problems(measure("nl exam", items)))


def test_keys_never_longest_nor_shortest_are_caught_too() -> None:
    """Avoiding both extremes teaches the learner to pick from the middle."""
    items = [choice(f"middle-key-{n}", [40, 58, 61, 80], key=1 + n % 2) for n in range(8)]
    result = testwise.testwise_learner(items)
    assert result.strategy.mode == "middle" and result.share == 0.5
    found = problems(measure("en exam", items))
    assert any("neither longest nor shortest" in p and "50%" in p for p in found)


def test_balanced_bank_passes_with_its_figures() -> None:
    items = balanced_bank()
    figures = measure("en certification-exam", items)
    assert problems(figures) == []
    line = describe(figures)
    assert "key longest in 2/8 choice items (chance 25%), shortest in 2" in line
    assert "keyed options per multi-select item 1x2, 2x2, 3x1, 4x1" in line


def test_same_number_of_keyed_options_everywhere_is_stopped() -> None:
    items = balanced_bank()[:8] + [
        multi(f"two-keys-{n}", [50, 50, 50, 50, 50], [n % 5, (n + 2) % 5]) for n in range(5)
    ]
    found = problems(measure("en exam", items))
    assert any("5 of 5 multi-select items have exactly 2 keyed options" in p for p in found)


@pytest.mark.parametrize(
    "text", ["All of the above", "None of the above.", "Alle bovenstaande", "Geen van beide"]
)
def test_all_or_none_of_the_above_is_stopped(text: str) -> None:
    items = balanced_bank()
    catch_all = choice("catch-all", [60, 61, 59, 60], key=3)
    options = (*catch_all.options[:3], Option("o3", text))
    items.append(Item(**{**catch_all.__dict__, "options": options}))
    found = problems(measure("en exam", items))
    assert any("'all/none of the above' options in catch-all" in p for p in found)


def test_an_option_that_merely_says_all_of_them_is_not_a_catch_all() -> None:
    items = balanced_bank()
    item = choice("reposts", [60, 61, 59, 60], key=1)
    options = (Option("o0", "Repost every company post, so your network sees all of them."),)
    items.append(Item(**{**item.__dict__, "options": options + item.options[1:]}))
    assert measure("en exam", items).catch_all == ()


def test_small_exercises_are_printed_but_not_held_to_the_share_limits() -> None:
    figures = measure("en exercise-01-confidential", longest_key_bank(count=2))
    assert problems(figures) == []
    assert "(too small for the share limits)" in describe(figures)


def test_limits_live_in_one_place_and_can_be_changed() -> None:
    items = [choice(f"k-{n}", [60, 58, 66, 61], key=2) for n in range(8)]
    strict = ItemWritingLimits(length_ratio=1.05, longest_key_excess=0.0, testwise_excess=0.0)
    assert problems(measure("en exam", items), LIMITS)
    assert len(problems(measure("en exam", items), strict)) > len(
        problems(measure("en exam", items), LIMITS)
    )


def test_blind_guesser_expectation_is_exact() -> None:
    assert testwise.chance_score(choice("c", [1, 1, 1, 1], key=0)) == 0.25
    # Two options, one keyed: {} 0, {key} 1, {wrong} 0, {both} 1 - 1 = 0.
    assert testwise.chance_score(multi("m", [1, 1], [0], points=1)) == 0.25


def test_check_banks_reports_every_language_and_raises_with_the_figures() -> None:
    flawed = Bank(
        items={item.id: item for item in longest_key_bank()},
        assessments={
            "exam": Assessment("exam", "Exam", "", tuple(f"long-key-{n}" for n in range(8)))
        },
    )
    with pytest.raises(ItemWritingError) as caught:
        check_banks({"en": flawed, "nl": flawed})
    assert len(caught.value.figures) == 4  # bank and exam, in each language
    assert "nl exam" in str(caught.value) and "long-key-3" in str(caught.value)


def test_repository_bank_passes_the_item_writing_check() -> None:
    lines = check_course(REPO)
    assert any(line.startswith("en certification-exam") for line in lines)
    assert any(line.startswith("nl certification-exam") for line in lines)


def lengthen_keys(course: Path, file_name: str) -> list[str]:
    """Make every key of one items file the longest option, as the old bank had it."""
    path = course / SOURCE_DIR / file_name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    changed = []
    for raw in data["items"]:
        if raw["kind"] != "choice":
            continue
        for option in raw["options"]:
            if option["id"] == raw["key"]:
                for language, text in option["text"].items():
                    option["text"][language] = text + " And explain it carefully, with care." * 6
        changed.append(raw["id"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return changed


def test_check_and_build_stop_on_a_bank_with_long_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = new_course(tmp_path / "course")
    for name in ("01-confidential", "03-work-private", "05-expertise", "07-relevance"):
        lengthen_keys(course, f"{name}.items.yaml")
    assert main(["--course", str(course), "check", "--items"]) == 2
    out = capsys.readouterr()
    assert "item writing:" in out.out and "en certification-exam" in out.out
    assert "as long as distractors" in out.err
    assert main(["--course", str(course), "build", "--no-release"]) == 2
    assert not (course / SOURCE_DIR / "certification-exam-en").exists()
