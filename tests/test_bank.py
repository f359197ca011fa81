"""The item bank: the sample loads, and every malformed bank is refused with a located message.

Each malformed bank is a copy of the repository's bank in a temporary course folder with
one thing broken, so a failure here means a trainer's typo would slip through (or be
reported without saying where it is).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.bank import ASSESSMENTS_FILE, KINDS, Bank, BankError, Problem, load_bank
from grader.build import RELEASE_DIR, SOURCE_DIR, build
from grader.cli import main
from grader.guidelines import GUIDELINES
from tests.conftest import ASSESSMENT, REPO, new_course

ITEMS_FILE = "sample-assessment.items.yaml"
CHOICE = "confidential-whiteboard-team-photo"
MULTI = "black-period-dashboard-post"
FREE = "expertise-depot-rumour-reply"
OTHER_CHOICE = "transparency-forum-software-recommendation"
OTHER_MULTI = "respect-competitor-outage-post"

BreakBank = Callable[[Path], None]


# --- editing a copy of the bank ------------------------------------------------------------


def edit_yaml(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Load ``path``, let ``change`` mutate the data, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def raw_item(data: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(item for item in data["items"] if item["id"] == item_id)


def edit_item(item_id: str, change: Callable[[dict[str, Any]], None]) -> BreakBank:
    """A bank breaker that changes one item of the sample items file."""

    def break_bank(solutions: Path) -> None:
        edit_yaml(solutions / ITEMS_FILE, lambda data: change(raw_item(data, item_id)))

    return break_bank


def set_field(item_id: str, **fields: Any) -> BreakBank:
    return edit_item(item_id, lambda item: item.update(fields))


def drop_field(item_id: str, name: str) -> BreakBank:
    return edit_item(item_id, lambda item: item.pop(name))


def duplicate_option_id(item: dict[str, Any]) -> None:
    item["options"][2]["id"] = item["options"][0]["id"]


def rubric_off_by_one(item: dict[str, Any]) -> None:
    item["rubric"][0]["points"] = 2  # 2 + 1 + 1 = 4, but the item is worth 3


def copy_item_to_second_file(solutions: Path) -> None:
    """A second items file (sorted after the sample one) that reuses an existing id."""
    data = yaml.safe_load((solutions / ITEMS_FILE).read_text(encoding="utf-8"))
    duplicate = copy.deepcopy(raw_item(data, CHOICE))
    text = yaml.safe_dump({"items": [duplicate]}, allow_unicode=True, sort_keys=False)
    (solutions / "workshop.items.yaml").write_text(text, encoding="utf-8")


def list_unknown_item(solutions: Path) -> None:
    edit_yaml(
        solutions / ASSESSMENTS_FILE,
        lambda data: data["assessments"][0]["items"].append("no-such-item"),
    )


def located(
    problems: list[Problem], file: Path, item: str, field: str, says: str = ""
) -> list[Problem]:
    """The problems that point at exactly this file, item and field (and say ``says``)."""
    where = (str(file), item, field)
    return [p for p in problems if (p.file, p.item, p.field) == where and says in p.message]


# --- the sample bank -------------------------------------------------------------------------


def test_sample_bank_has_eleven_items(bank: Bank) -> None:
    assert len(bank.items) == 11
    assert all(item.source.endswith(ITEMS_FILE) for item in bank.items.values())


def test_sample_bank_covers_every_guideline(bank: Bank) -> None:
    covered = {item.guideline for item in bank.items.values()}
    assert covered == {guideline.slug for guideline in GUIDELINES}
    assert len(covered) == 8


def test_sample_bank_has_all_three_kinds(bank: Bank) -> None:
    assert {item.kind for item in bank.items.values()} == set(KINDS)


def test_sample_assessment_lists_every_item_once(bank: Bank) -> None:
    assert list(bank.assessments) == [ASSESSMENT]
    items = bank.items_of(ASSESSMENT)
    assert len(items) == 11
    assert {item.id for item in items} == set(bank.items)
    assert items[0].id == CHOICE  # the order of assessments.yaml, not of the items file


def test_sample_keys_and_rubrics_are_read(bank: Bank) -> None:
    choice, multi, free = bank.items[CHOICE], bank.items[MULTI], bank.items[FREE]
    assert choice.key == ("retake-without-whiteboard",)
    assert multi.key == ("busiest-quarter-twenty-percent", "results-day-teaser")
    assert len(multi.options) == 5
    assert free.options == () and free.key == ()
    assert sum(line.points for line in free.rubric) == free.points == 3.0


def test_round_tripped_copy_of_the_sample_loads(tmp_path: Path) -> None:
    """Control for the cases below: re-dumping the YAML alone breaks nothing."""
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    edit_yaml(solutions / ITEMS_FILE, lambda data: None)
    edit_yaml(solutions / ASSESSMENTS_FILE, lambda data: None)
    assert len(load_bank(solutions).items) == 11


# --- malformed banks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    break_bank: BreakBank
    field: str
    says: str  # part of the message the trainer reads
    item: str = CHOICE
    file: str = ITEMS_FILE


MALFORMED = [
    pytest.param(
        Case(
            set_field(OTHER_CHOICE, guideline="privacy"),
            "guideline",
            "unknown guideline 'privacy'",
            item=OTHER_CHOICE,
        ),
        id="unknown-guideline",
    ),
    pytest.param(
        Case(copy_item_to_second_file, "id", ITEMS_FILE, file="workshop.items.yaml"),
        id="duplicate-id-across-files",
    ),
    pytest.param(
        Case(set_field(CHOICE, key="not-an-option"), "key", "'not-an-option' is not among"),
        id="choice-key-not-an-option",
    ),
    pytest.param(
        Case(
            set_field(MULTI, key=["results-day-teaser", "not-an-option"]),
            "key",
            "'not-an-option' is not among",
            item=MULTI,
        ),
        id="multi-select-key-unknown-option",
    ),
    pytest.param(
        Case(set_field(MULTI, key="results-day-teaser"), "key", "list", item=MULTI),
        id="multi-select-key-as-string",
    ),
    pytest.param(
        Case(drop_field(CHOICE, "explanation"), "explanation", "missing"),
        id="missing-explanation",
    ),
    pytest.param(
        Case(set_field(CHOICE, explanation="   "), "explanation", "empty"),
        id="blank-explanation",
    ),
    pytest.param(Case(set_field(CHOICE, points=0), "points", "positive"), id="zero-points"),
    pytest.param(Case(set_field(CHOICE, points=-1), "points", "positive"), id="negative-points"),
    pytest.param(
        Case(edit_item(CHOICE, duplicate_option_id), "options", "duplicate option id 'post-as-is'"),
        id="duplicate-option-ids",
    ),
    pytest.param(
        Case(set_field(CHOICE, hint="Look at the background."), "hint", "unknown field"),
        id="unknown-extra-field",
    ),
    pytest.param(
        Case(drop_field(FREE, "rubric"), "rubric", "missing", item=FREE),
        id="free-text-without-rubric",
    ),
    pytest.param(
        Case(edit_item(FREE, rubric_off_by_one), "rubric", "add up to 4", item=FREE),
        id="rubric-points-do-not-add-up",
    ),
    pytest.param(
        Case(
            set_field(FREE, options=[{"id": "yes", "text": "Yes"}, {"id": "no", "text": "No"}]),
            "options",
            "free-text",
            item=FREE,
        ),
        id="options-on-free-text",
    ),
    pytest.param(
        Case(
            set_field(CHOICE, rubric=[{"points": 1, "criterion": "Crops the photo."}]),
            "rubric",
            "only free-text",
        ),
        id="rubric-on-choice",
    ),
    pytest.param(
        Case(set_field(CHOICE, id="Bad Id"), "id", "not a valid id", item="Bad Id"),
        id="invalid-item-id",
    ),
    pytest.param(
        Case(
            list_unknown_item,
            "items",
            "unknown item 'no-such-item'",
            item=ASSESSMENT,
            file=ASSESSMENTS_FILE,
        ),
        id="assessment-lists-unknown-item",
    ),
]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_bank_is_refused_naming_file_item_and_field(tmp_path: Path, case: Case) -> None:
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    case.break_bank(solutions)
    path = solutions / case.file

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    matching = located(caught.value.problems, path, case.item, case.field)
    assert len(matching) == 1, caught.value.problems
    assert case.says in matching[0].message
    lines = [line for line in str(caught.value).splitlines() if str(path) in line]
    assert any(
        f"item {case.item!r}" in line and f"field {case.field!r}" in line and case.says in line
        for line in lines
    ), str(caught.value)


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    path = solutions / ITEMS_FILE
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    last_line = len(text.splitlines())
    bad_line = last_line + 3  # the third appended line is indented one space too far
    path.write_text(
        text + "  - id: broken-item\n    points: 1\n     question: misindented\n",
        encoding="utf-8",
    )

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    yaml_problems = [p for p in caught.value.problems if p.file == str(path)]
    assert len(yaml_problems) == 1, caught.value.problems
    assert f"not valid YAML at line {bad_line}" in yaml_problems[0].message
    assert f"{path}: not valid YAML at line {bad_line}" in str(caught.value)


def test_missing_assessments_file_is_reported(tmp_path: Path) -> None:
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    (solutions / ASSESSMENTS_FILE).unlink()

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    assert [(p.file, p.item, p.field) for p in caught.value.problems] == [
        (str(solutions / ASSESSMENTS_FILE), None, None)
    ]
    assert "is missing" in caught.value.problems[0].message
    assert f"{solutions / ASSESSMENTS_FILE}: is missing" in str(caught.value)


def test_several_problems_in_several_files_are_all_reported(tmp_path: Path) -> None:
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    set_field(OTHER_CHOICE, guideline="privacy")(solutions)
    set_field(OTHER_MULTI, key="firing-it-team-jibe")(solutions)
    edit_item(FREE, rubric_off_by_one)(solutions)
    copy_item_to_second_file(solutions)
    list_unknown_item(solutions)

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    problems = caught.value.problems
    items_file, assessments = solutions / ITEMS_FILE, solutions / ASSESSMENTS_FILE
    for file, item, field, says in [
        (items_file, OTHER_CHOICE, "guideline", "privacy"),
        (items_file, OTHER_MULTI, "key", "list"),
        (items_file, FREE, "rubric", "add up to 4"),
        (solutions / "workshop.items.yaml", CHOICE, "id", "duplicate id"),
        (assessments, ASSESSMENT, "items", "unknown item 'no-such-item'"),
    ]:
        assert len(located(problems, file, item, field, says)) == 1, (item, field, problems)
    assert f"{len(problems)} problem(s)" in str(caught.value)


def test_schema_and_meaning_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    """A missing field must not hide an unknown guideline elsewhere in the same file."""
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    drop_field(CHOICE, "explanation")(solutions)
    set_field(OTHER_CHOICE, guideline="privacy")(solutions)
    set_field(OTHER_MULTI, points=0)(solutions)

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    problems = caught.value.problems
    items_file = solutions / ITEMS_FILE
    assert len(located(problems, items_file, CHOICE, "explanation")) == 1, problems
    assert len(located(problems, items_file, OTHER_MULTI, "points")) == 1, problems
    assert len(located(problems, items_file, OTHER_CHOICE, "guideline")) == 1, problems


def test_one_broken_item_does_not_make_the_other_items_unknown(tmp_path: Path) -> None:
    """The trainer is told about the one missing field, not about ten valid items."""
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    drop_field(CHOICE, "explanation")(solutions)

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    other_ids = set(load_bank(REPO / SOURCE_DIR).items) - {CHOICE}
    reported_unknown = [
        p for p in caught.value.problems if any(repr(i) in p.message for i in other_ids)
    ]
    assert reported_unknown == []


# --- build and check refuse a malformed bank -------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path → bytes); empty when it does not exist."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_build_of_malformed_bank_writes_nothing(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    set_field(OTHER_CHOICE, guideline="privacy")(course / SOURCE_DIR)

    with pytest.raises(BankError):
        build(course, release=False)

    assert not (course / SOURCE_DIR / ASSESSMENT).exists()
    assert not (course / RELEASE_DIR).exists()


def test_build_of_malformed_bank_keeps_previous_output_untouched(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    build(course, release=False)
    before = snapshot(course / SOURCE_DIR / ASSESSMENT)
    assert sorted(before) == [f"{ASSESSMENT}.ipynb", f"{ASSESSMENT}.questions.json"]
    set_field(CHOICE, question="What now?")(course / SOURCE_DIR)  # would change the notebook
    set_field(OTHER_MULTI, key="firing-it-team-jibe")(course / SOURCE_DIR)

    with pytest.raises(BankError):
        build(course, release=False)

    assert snapshot(course / SOURCE_DIR / ASSESSMENT) == before
    assert not (course / RELEASE_DIR).exists()


def test_build_with_release_never_reaches_nbgrader_for_malformed_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(
        "grader.build.run_nbgrader", lambda root, *args: calls.append((str(root), *args))
    )
    course = new_course(tmp_path / "course")
    set_field(OTHER_CHOICE, guideline="privacy")(course / SOURCE_DIR)

    with pytest.raises(BankError):
        build(course, release=True)

    assert calls == []
    assert not (course / SOURCE_DIR / ASSESSMENT).exists()
    assert not (course / RELEASE_DIR).exists()


def test_build_with_release_calls_nbgrader_for_good_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control for the test above: the replaced nbgrader call is the one build uses."""
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(
        "grader.build.run_nbgrader", lambda root, *args: calls.append((str(root), *args))
    )
    course = new_course(tmp_path / "course")

    build(course, release=True)

    assert calls == [(str(course), "generate_assignment", ASSESSMENT, "--force")]


def test_check_command_reports_malformed_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = new_course(tmp_path / "course")
    set_field(CHOICE, key="not-an-option")(course / SOURCE_DIR)

    assert main(["--course", str(course), "check"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("grader: the item bank has")
    line = next(line for line in err.splitlines() if "not-an-option" in line)
    assert str(course / SOURCE_DIR / ITEMS_FILE) in line
    assert f"item {CHOICE!r}" in line
    assert "field 'key'" in line


def test_check_command_accepts_good_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = new_course(tmp_path / "course")

    assert main(["--course", str(course), "check"]) == 0

    out, err = capsys.readouterr()
    assert out == "item bank OK: 11 items, 1 assessments\n"
    assert err == ""
    assert not (course / SOURCE_DIR / ASSESSMENT).exists()  # check writes nothing
