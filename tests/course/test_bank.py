"""The item bank: the repository's bank loads, and every malformed bank is refused with a
located message.

Each malformed bank is a copy of the repository's course in a temporary folder with one
thing broken, so a failure here means a trainer's typo would slip through (or be reported
without saying where it is).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.build.assignments import build
from grader.cli.main import main
from grader.course.bank import ASSESSMENTS_FILE, ITEMS_GLOB, load_bank
from grader.course.content import load_course
from grader.course.content_files import BankError, Problem
from grader.course.guidelines import GUIDELINES
from grader.course.i18n import LANGUAGES
from grader.course.items import KINDS, Bank
from grader.course.lessons import load_lessons
from grader.course.paths import CONTENT_DIR, LESSONS_DIR, RELEASE_DIR, SOURCE_DIR
from grader.course.settings import load_settings, placeholders

from ..conftest import REPO, new_course

EXAM = "certification-exam"
ITEM_FILES = [
    "01-confidential.items.yaml",
    "02-black-period.items.yaml",
    "03-work-private.items.yaml",
    "04-transparency.items.yaml",
    "05-expertise.items.yaml",
    "06-count-to-ten.items.yaml",
    "07-relevance.items.yaml",
    "08-respect.items.yaml",
]
LESSON_IDS = [
    "00-introduction",
    "01-confidential",
    "02-black-period",
    "03-work-private",
    "04-transparency",
    "05-expertise",
    "06-count-to-ten",
    "07-relevance",
    "08-respect",
    "09-ambassadorship",
    "10-workshop",
    "11-wrap-up",
    "12-glossary",
]
# The glossary is the one module without a graded exercise.
EXERCISE_LESSONS = LESSON_IDS[:-1]

CHOICE = "confidential-whiteboard-team-photo"  # in 01-confidential.items.yaml
MULTI = "black-period-dashboard-post-v2"  # in 02-black-period.items.yaml
FREE = "expertise-depot-rumour-reply"  # in 05-expertise.items.yaml, rubric 1 + 1 + 1
OTHER_CHOICE = "transparency-forum-software-recommendation"  # in 04-transparency.items.yaml
OTHER_MULTI = "respect-competitor-outage-post-v2"  # in 08-respect.items.yaml
CHOICE_FILE, MULTI_FILE, FREE_FILE = ITEM_FILES[0], ITEM_FILES[1], ITEM_FILES[4]
OTHER_CHOICE_FILE, OTHER_MULTI_FILE = ITEM_FILES[3], ITEM_FILES[7]

LESSON = "01-confidential"
PRACTICE = "confidential-practice-client-site-location-tag"  # a choice scenario of LESSON

BreakCourse = Callable[[Path], None]  # takes the course folder


def values(language: str) -> dict[str, str]:
    """The placeholder values of the repository's organisation settings."""
    return placeholders(load_settings(REPO), language)


def text(en: str, nl: str) -> dict[str, str]:
    return {"en": en, "nl": nl}


# --- editing a copy of the course ------------------------------------------------------------


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    """Load ``path``, let ``change`` mutate the data, and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def raw_entry(entries: list[dict[str, Any]], entry_id: str) -> dict[str, Any]:
    return next(entry for entry in entries if entry["id"] == entry_id)


def items_file_of(solutions: Path, item_id: str) -> Path:
    """The items file of the (temporary) bank that defines ``item_id``."""
    for path in sorted(solutions.glob(ITEMS_GLOB)):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(item["id"] == item_id for item in data["items"]):
            return path
    raise LookupError(item_id)


def edit_item(item_id: str, change: Callable[[dict[str, Any]], None]) -> BreakCourse:
    """A breaker that changes one item of the bank, in whichever file holds it."""

    def break_course(course: Path) -> None:
        path = items_file_of(course / SOURCE_DIR, item_id)
        edit_yaml(path, lambda data: change(raw_entry(data["items"], item_id)))

    return break_course


def set_field(item_id: str, **fields: Any) -> BreakCourse:
    return edit_item(item_id, lambda item: item.update(fields))


def drop_field(item_id: str, name: str) -> BreakCourse:
    return edit_item(item_id, lambda item: item.pop(name))


def set_text(item_id: str, field: str, language: str, value: str) -> BreakCourse:
    return edit_item(item_id, lambda item: item[field].update({language: value}))


def drop_language(item_id: str, field: str, language: str) -> BreakCourse:
    return edit_item(item_id, lambda item: item[field].pop(language))


def duplicate_option_id(item: dict[str, Any]) -> None:
    item["options"][2]["id"] = item["options"][0]["id"]  # 'tag-the-clients' → 'post-as-is'


def rubric_off_by_one(item: dict[str, Any]) -> None:
    item["rubric"][0]["points"] = 2  # 2 + 1 + 1 = 4, but the item is worth 3


def copy_choice_into_respect_file(course: Path) -> None:
    """08-respect.items.yaml (read after 01-confidential) gets a copy of CHOICE."""
    solutions = course / SOURCE_DIR
    original = yaml.safe_load((solutions / CHOICE_FILE).read_text(encoding="utf-8"))
    duplicate = copy.deepcopy(raw_entry(original["items"], CHOICE))
    edit_yaml(solutions / OTHER_MULTI_FILE, lambda data: data["items"].append(duplicate))


def list_unknown_item(course: Path) -> None:
    edit_yaml(
        course / SOURCE_DIR / ASSESSMENTS_FILE,
        lambda data: raw_entry(data["assessments"], EXAM)["items"].append("no-such-item"),
    )


def exam_title(en: str) -> BreakCourse:
    def break_course(course: Path) -> None:
        edit_yaml(
            course / SOURCE_DIR / ASSESSMENTS_FILE,
            lambda data: raw_entry(data["assessments"], EXAM)["title"].update(en=en),
        )

    return break_course


def located(
    problems: list[Problem], file: Path, item: str | None, field: str | None, says: str = ""
) -> list[Problem]:
    """The problems that point at exactly this file, item and field (and say ``says``)."""
    where = (str(file), item, field)
    return [p for p in problems if (p.file, p.item, p.field) == where and says in p.message]


def assert_reported(error: BankError, file: Path, item: str | None, field: str, says: str) -> None:
    """Exactly one problem at this place, and a line of the message naming all of it."""
    matching = located(error.problems, file, item, field)
    assert len(matching) == 1, error.problems
    assert says in matching[0].message, matching[0]
    parts = [str(file), f"field {field!r}", says]
    parts += [f"item {item!r}"] if item is not None else []
    lines = str(error).splitlines()
    assert any(all(part in line for part in parts) for line in lines), str(error)


# --- the repository's bank -------------------------------------------------------------------


@pytest.fixture(scope="module", params=LANGUAGES)
def banks(request: pytest.FixtureRequest) -> tuple[str, Bank]:
    """The repository's bank in each language, loaded directly with filled-in placeholders."""
    language = request.param
    return language, load_bank(REPO / SOURCE_DIR, language, values(language))


def test_bank_has_fifty_eight_items_from_the_eight_guideline_files(
    banks: tuple[str, Bank],
) -> None:
    _, bank = banks
    assert len(bank.items) == 58
    assert {Path(item.source).name for item in bank.items.values()} == set(ITEM_FILES)
    assert all(Path(item.source).parent == REPO / SOURCE_DIR for item in bank.items.values())


def test_bank_covers_every_guideline_with_every_kind(banks: tuple[str, Bank]) -> None:
    _, bank = banks
    covered = {item.guideline for item in bank.items.values()}
    assert covered == {guideline.slug for guideline in GUIDELINES}
    assert len(covered) == 8
    assert {item.kind for item in bank.items.values()} == set(KINDS)


def test_assessments_are_the_exam_and_one_exercise_per_lesson(banks: tuple[str, Bank]) -> None:
    _, bank = banks
    assert sorted(bank.assessments) == [
        EXAM,
        *(f"exercise-{lesson}" for lesson in EXERCISE_LESSONS),
    ]
    exam = bank.items_of(EXAM)
    assert len(exam) == 32
    assert (
        exam[0].id == "confidential-protected-report-brake-defects"
    )  # the order of assessments.yaml
    assert {item.guideline for item in exam} == {guideline.slug for guideline in GUIDELINES}
    for assessment in bank.assessments.values():
        assert set(assessment.item_ids) <= set(bank.items), assessment.id


def test_keys_and_rubrics_are_read(banks: tuple[str, Bank]) -> None:
    _, bank = banks
    choice, multi, free = bank.items[CHOICE], bank.items[MULTI], bank.items[FREE]
    assert choice.key == ("retake-without-whiteboard",)
    assert choice.option_ids[0] == "post-as-is"
    assert multi.key == (
        "busiest-quarter-twenty-percent",
        "analyst-beat-forecasts",
        "results-day-teaser",
        "share-tip-joke",
    )
    assert len(multi.options) == 5
    assert free.options == () and free.key == ()
    assert len(free.rubric) == 3
    assert sum(line.points for line in free.rubric) == free.points == 3.0
    assert free.model_answer


def test_texts_are_in_the_chosen_language_with_placeholders_filled(
    banks: tuple[str, Bank],
) -> None:
    language, bank = banks
    role = {"en": "Warehouse team manager at", "nl": "Teammanager magazijn bij"}[language]
    assert bank.items[CHOICE].scenario.role == f"{role} Meridian Group"
    question = {"en": "What do you do with this post?", "nl": "Wat doe je met dit bericht?"}
    assert bank.items[CHOICE].question == question[language]
    title = {"en": "Certification exam", "nl": "Certificeringsexamen"}[language]
    assert bank.assessments[EXAM].title.startswith(f"{title}: social media")
    assert bank.assessments[EXAM].title.endswith("Meridian Group")
    assert "{pass_mark}" not in bank.assessments[EXAM].introduction
    assert "70%" in bank.assessments[EXAM].introduction


def test_without_values_placeholders_are_left_as_written() -> None:
    bank = load_bank(REPO / SOURCE_DIR, "nl")
    assert bank.items[CHOICE].scenario.role == "Teammanager magazijn bij {organisation}"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"):
        load_bank(REPO / SOURCE_DIR, "de")


def test_course_fixture_bank_is_the_english_bank(bank: Bank) -> None:
    assert len(bank.items) == 58
    assert bank.items[CHOICE].scenario.role == "Warehouse team manager at Meridian Group"


def test_round_tripped_copy_of_the_course_loads(tmp_path: Path) -> None:
    """Control for the cases below: re-dumping the YAML alone breaks nothing."""
    course = new_course(tmp_path / "course")
    for path in [*(course / SOURCE_DIR).glob("*.yaml"), *(course / CONTENT_DIR).glob("*.yaml")]:
        edit_yaml(path, lambda data: None)
    for language in LANGUAGES:
        loaded = load_course(course, language)
        assert len(loaded.bank.items) == 58
        assert len(loaded.bank.assessments) == 13
        assert [lesson.id for lesson in loaded.lessons] == LESSON_IDS


# --- malformed banks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    break_course: BreakCourse
    file: str
    item: str
    field: str
    says: str  # part of the message the trainer reads


OPTIONS = [
    {"id": "yes", "text": text("Yes", "Ja")},
    {"id": "no", "text": text("No", "Nee")},
]
RUBRIC = [{"points": 1, "criterion": text("Crops the photo.", "Snijdt de foto bij.")}]

MALFORMED = [
    pytest.param(
        Case(
            set_field(OTHER_CHOICE, guideline="privacy"),
            OTHER_CHOICE_FILE,
            OTHER_CHOICE,
            "guideline",
            "unknown guideline 'privacy'",
        ),
        id="unknown-guideline",
    ),
    pytest.param(
        Case(
            copy_choice_into_respect_file,
            OTHER_MULTI_FILE,
            CHOICE,
            "id",
            "duplicate id: also defined in",
        ),
        id="duplicate-id-across-files",
    ),
    pytest.param(
        Case(
            set_field(CHOICE, key="not-an-option"),
            CHOICE_FILE,
            CHOICE,
            "key",
            "'not-an-option' is not among the options",
        ),
        id="choice-key-not-an-option",
    ),
    pytest.param(
        Case(
            set_field(MULTI, key=["results-day-teaser", "not-an-option"]),
            MULTI_FILE,
            MULTI,
            "key",
            "'not-an-option' is not among the options",
        ),
        id="multi-select-key-unknown-option",
    ),
    pytest.param(
        Case(
            set_field(MULTI, key="results-day-teaser"),
            MULTI_FILE,
            MULTI,
            "key",
            "list of option ids",
        ),
        id="multi-select-key-as-string",
    ),
    pytest.param(
        Case(drop_field(CHOICE, "explanation"), CHOICE_FILE, CHOICE, "explanation", "is missing"),
        id="missing-explanation",
    ),
    pytest.param(
        Case(
            drop_language(CHOICE, "explanation", "nl"),
            CHOICE_FILE,
            CHOICE,
            "explanation.nl",
            "is missing",
        ),
        id="explanation-without-dutch",
    ),
    pytest.param(
        Case(
            set_field(CHOICE, explanation="Crop the photo, then post it."),
            CHOICE_FILE,
            CHOICE,
            "explanation",
            "must be written in every language",
        ),
        id="explanation-as-plain-string",
    ),
    pytest.param(
        Case(
            set_text(CHOICE, "explanation", "en", "   "),
            CHOICE_FILE,
            CHOICE,
            "explanation.en",
            "must not be empty",
        ),
        id="blank-explanation",
    ),
    pytest.param(
        Case(
            edit_item(CHOICE, lambda item: item["explanation"].update(de="Zuschneiden.")),
            CHOICE_FILE,
            CHOICE,
            "explanation.de",
            "unknown field",
        ),
        id="explanation-in-unknown-language",
    ),
    pytest.param(
        Case(set_field(CHOICE, points=0), CHOICE_FILE, CHOICE, "points", "positive number, got 0"),
        id="zero-points",
    ),
    pytest.param(
        Case(
            set_field(CHOICE, points=-1), CHOICE_FILE, CHOICE, "points", "positive number, got -1"
        ),
        id="negative-points",
    ),
    pytest.param(
        Case(
            edit_item(CHOICE, duplicate_option_id),
            CHOICE_FILE,
            CHOICE,
            "options",
            "duplicate option id 'post-as-is'",
        ),
        id="duplicate-option-ids",
    ),
    pytest.param(
        Case(
            set_field(CHOICE, hint=text("Look at the background.", "Kijk naar de achtergrond.")),
            CHOICE_FILE,
            CHOICE,
            "hint",
            "unknown field",
        ),
        id="unknown-extra-field",
    ),
    pytest.param(
        Case(drop_field(FREE, "rubric"), FREE_FILE, FREE, "rubric", "is missing"),
        id="free-text-without-rubric",
    ),
    pytest.param(
        Case(
            edit_item(FREE, rubric_off_by_one),
            FREE_FILE,
            FREE,
            "rubric",
            "add up to 4, but the item is worth 3",
        ),
        id="rubric-points-do-not-add-up",
    ),
    pytest.param(
        Case(set_field(FREE, options=OPTIONS), FREE_FILE, FREE, "options", "free-text"),
        id="options-on-free-text",
    ),
    pytest.param(
        Case(set_field(CHOICE, rubric=RUBRIC), CHOICE_FILE, CHOICE, "rubric", "only free-text"),
        id="rubric-on-choice",
    ),
    pytest.param(
        Case(set_field(CHOICE, id="Bad Id"), CHOICE_FILE, "Bad Id", "id", "not a valid id"),
        id="invalid-item-id",
    ),
    pytest.param(
        Case(
            set_text(CHOICE, "question", "en", "What would {boss} say?"),
            CHOICE_FILE,
            CHOICE,
            "question.en",
            "unknown placeholder {boss}",
        ),
        id="unknown-placeholder-in-question",
    ),
    pytest.param(
        Case(
            set_text(MULTI, "question", "nl", "Wat zou {baas} zeggen?"),
            MULTI_FILE,
            MULTI,
            "question.nl",
            "unknown placeholder {baas}",
        ),
        id="unknown-placeholder-in-dutch-question",
    ),
    pytest.param(
        Case(
            edit_item(CHOICE, lambda item: item["options"][1]["text"].update(en="Ask {manager}.")),
            CHOICE_FILE,
            CHOICE,
            "options[1].text.en",
            "unknown placeholder {manager}",
        ),
        id="unknown-placeholder-in-option",
    ),
    pytest.param(
        Case(
            set_text(CHOICE, "question", "en", "What does {organisation want?"),
            CHOICE_FILE,
            CHOICE,
            "question.en",
            "unmatched brace",
        ),
        id="unbalanced-brace-in-question",
    ),
    pytest.param(
        Case(
            list_unknown_item,
            ASSESSMENTS_FILE,
            EXAM,
            "items",
            "unknown item 'no-such-item'",
        ),
        id="assessment-lists-unknown-item",
    ),
    pytest.param(
        Case(
            exam_title("Exam for {department}"),
            ASSESSMENTS_FILE,
            EXAM,
            "title.en",
            "unknown placeholder {department}",
        ),
        id="unknown-placeholder-in-assessment-title",
    ),
]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_bank_is_refused_naming_file_item_and_field(tmp_path: Path, case: Case) -> None:
    course = new_course(tmp_path / "course")
    case.break_course(course)
    solutions = course / SOURCE_DIR

    with pytest.raises(BankError) as caught:
        load_bank(solutions, "en", values("en"))

    assert_reported(caught.value, solutions / case.file, case.item, case.field, case.says)


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    copy_choice_into_respect_file(course)
    solutions = course / SOURCE_DIR

    with pytest.raises(BankError) as caught:
        load_bank(solutions)

    [problem] = located(caught.value.problems, solutions / OTHER_MULTI_FILE, CHOICE, "id")
    assert str(solutions / CHOICE_FILE) in problem.message
    line = next(line for line in str(caught.value).splitlines() if "duplicate id" in line)
    assert str(solutions / OTHER_MULTI_FILE) in line and str(solutions / CHOICE_FILE) in line


@pytest.mark.parametrize("loaded", LANGUAGES)
@pytest.mark.parametrize("broken", LANGUAGES)
def test_a_problem_in_one_language_is_refused_in_every_language(
    tmp_path: Path, loaded: str, broken: str
) -> None:
    """Building in English must not let a broken Dutch text through, and vice versa."""
    course = new_course(tmp_path / "course")
    set_text(CHOICE, "question", broken, "{boss}?")(course)
    solutions = course / SOURCE_DIR

    with pytest.raises(BankError) as caught:
        load_bank(solutions, loaded, values(loaded))

    assert_reported(caught.value, solutions / CHOICE_FILE, CHOICE, f"question.{broken}", "{boss}")


def test_malformed_bank_is_refused_by_load_course(tmp_path: Path) -> None:
    course = new_course(tmp_path / "course")
    set_field(OTHER_CHOICE, guideline="privacy")(course)

    with pytest.raises(BankError) as caught:
        load_course(course, "nl")

    assert_reported(
        caught.value,
        course / SOURCE_DIR / OTHER_CHOICE_FILE,
        OTHER_CHOICE,
        "guideline",
        "unknown guideline 'privacy'",
    )
    assert len(caught.value.problems) == 1, caught.value.problems


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    solutions = new_course(tmp_path / "course") / SOURCE_DIR
    path = solutions / OTHER_MULTI_FILE
    original = path.read_text(encoding="utf-8")
    assert original.endswith("\n")
    bad_line = len(original.splitlines()) + 3  # the third appended line is indented too far
    path.write_text(
        original + "  - id: broken-item\n    points: 1\n     question: misindented\n",
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
    course = new_course(tmp_path / "course")
    set_field(OTHER_CHOICE, guideline="privacy")(course)
    set_field(OTHER_MULTI, key="firing-it-team-jibe")(course)
    edit_item(FREE, rubric_off_by_one)(course)
    drop_language(MULTI, "explanation", "nl")(course)
    copy_choice_into_respect_file(course)
    list_unknown_item(course)

    with pytest.raises(BankError) as caught:
        load_bank(course / SOURCE_DIR, "en", values("en"))

    problems = caught.value.problems
    solutions = course / SOURCE_DIR
    expected = [
        (OTHER_CHOICE_FILE, OTHER_CHOICE, "guideline", "privacy"),
        (OTHER_MULTI_FILE, OTHER_MULTI, "key", "list of option ids"),
        (FREE_FILE, FREE, "rubric", "add up to 4"),
        (MULTI_FILE, MULTI, "explanation.nl", "is missing"),
        (OTHER_MULTI_FILE, CHOICE, "id", "duplicate id"),
        (ASSESSMENTS_FILE, EXAM, "items", "unknown item 'no-such-item'"),
    ]
    for file, item, field, says in expected:
        found = located(problems, solutions / file, item, field, says)
        assert len(found) == 1, (item, field, problems)
    assert len(problems) == len(expected), problems
    assert f"{len(expected)} problem(s)" in str(caught.value)


def test_schema_and_meaning_problems_in_one_file_are_all_reported(tmp_path: Path) -> None:
    """A missing field must not hide an unknown guideline elsewhere in the same file."""
    course = new_course(tmp_path / "course")
    drop_field(CHOICE, "explanation")(course)
    set_field("confidential-partner-search-client-expansion", guideline="privacy")(course)
    set_field("confidential-conference-talk-slides", points=0)(course)

    with pytest.raises(BankError) as caught:
        load_bank(course / SOURCE_DIR)

    problems = caught.value.problems
    path = course / SOURCE_DIR / CHOICE_FILE
    assert len(located(problems, path, CHOICE, "explanation", "missing")) == 1, problems
    slides = "confidential-conference-talk-slides"
    assert len(located(problems, path, slides, "points", "positive")) == 1, problems
    partner = "confidential-partner-search-client-expansion"
    assert len(located(problems, path, partner, "guideline", "privacy")) == 1, problems
    assert len(problems) == 3, problems


def test_one_broken_item_does_not_make_the_other_items_unknown(tmp_path: Path) -> None:
    """The trainer is told about the one missing field, not about items that exist."""
    course = new_course(tmp_path / "course")
    drop_field(CHOICE, "explanation")(course)  # CHOICE is listed in the exam

    with pytest.raises(BankError) as caught:
        load_bank(course / SOURCE_DIR)

    path = course / SOURCE_DIR / CHOICE_FILE
    assert [(p.file, p.item, p.field) for p in caught.value.problems] == [
        (str(path), CHOICE, "explanation")
    ]
    assert "unknown item" not in str(caught.value)


def test_a_file_level_problem_does_not_make_that_files_items_unknown(tmp_path: Path) -> None:
    """An unknown top-level field is one problem; the items under it still exist.

    ``load_items_file`` promises that ``defined`` collects every id a file declares, so an
    assessment listing them is not also told they do not exist.
    """
    course = new_course(tmp_path / "course")
    edit_yaml(course / SOURCE_DIR / CHOICE_FILE, lambda data: data.update(version=1))

    with pytest.raises(BankError) as caught:
        load_bank(course / SOURCE_DIR)

    path = course / SOURCE_DIR / CHOICE_FILE
    assert located(caught.value.problems, path, None, "version", "unknown field")
    assert "unknown item" not in str(caught.value)
    assert len(caught.value.problems) == 1, caught.value.problems


# --- lesson modules --------------------------------------------------------------------------


def edit_lesson(change: Callable[[dict[str, Any]], None]) -> BreakCourse:
    def break_course(course: Path) -> None:
        edit_yaml(course / CONTENT_DIR / f"{LESSON}.yaml", change)

    return break_course


def edit_practice(change: Callable[[dict[str, Any]], None]) -> BreakCourse:
    return edit_lesson(lambda data: change(raw_entry(data["practice"], PRACTICE)))


LESSON_CASES = [
    pytest.param(
        edit_practice(lambda practice: practice.update(key="not-an-option")),
        PRACTICE,
        "key",
        "'not-an-option' is not among the options",
        id="practice-key-not-an-option",
    ),
    pytest.param(
        edit_practice(lambda practice: practice["explanation"].pop("nl")),
        PRACTICE,
        "explanation.nl",
        "is missing",
        id="practice-explanation-without-dutch",
    ),
    pytest.param(
        edit_lesson(lambda data: data.update(id="01-secrets")),
        None,
        "id",
        "must be the file name ('01-confidential')",
        id="lesson-id-is-not-its-file-name",
    ),
    pytest.param(
        edit_lesson(lambda data: data.update(guideline="privacy")),
        None,
        "guideline",
        "unknown guideline 'privacy'",
        id="lesson-unknown-guideline",
    ),
    pytest.param(
        edit_lesson(lambda data: data["sections"][1]["body"].update(nl="Vraag het {baas}.")),
        None,
        "sections[1].body.nl",
        "unknown placeholder {baas}",
        id="lesson-unknown-placeholder",
    ),
]


@pytest.mark.parametrize(("break_course", "entry", "field", "says"), LESSON_CASES)
def test_malformed_lesson_is_refused_naming_file_entry_and_field(
    tmp_path: Path, break_course: BreakCourse, entry: str | None, field: str, says: str
) -> None:
    course = new_course(tmp_path / "course")
    break_course(course)

    with pytest.raises(BankError) as caught:
        load_lessons(course / CONTENT_DIR, "en", values("en"))

    path = course / CONTENT_DIR / f"{LESSON}.yaml"
    assert_reported(caught.value, path, entry, field, says)
    assert len(caught.value.problems) == 1, caught.value.problems


def test_repository_lessons_load(tmp_path: Path) -> None:
    """Control for the lesson cases: the untouched copy loads."""
    course = new_course(tmp_path / "course")
    lessons = load_lessons(course / CONTENT_DIR, "en", values("en"))
    assert [lesson.id for lesson in lessons] == LESSON_IDS
    lesson = lessons[LESSON_IDS.index(LESSON)]
    assert PRACTICE in [item.id for item in lesson.practice]


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


def generated(course: Path) -> list[Path]:
    """The places the build writes to."""
    return [
        *(course / SOURCE_DIR / f"{EXAM}-{language}" for language in LANGUAGES),
        course / RELEASE_DIR,
        *(course / LESSONS_DIR / language for language in LANGUAGES),
    ]


class Recorder:
    """Stands in for ``grader.build.assignments.run_nbgrader``: remembers calls, runs nothing."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, root: Path, *args: str) -> None:
        self.calls.append((str(root), *args))


@pytest.fixture
def nbgrader(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr("grader.build.assignments.run_nbgrader", recorder)
    return recorder


BREAKERS = [
    pytest.param(set_field(OTHER_CHOICE, guideline="privacy"), id="bank"),
    pytest.param(set_text(CHOICE, "question", "nl", "Wat zou {baas} doen?"), id="dutch-only"),
    pytest.param(edit_practice(lambda p: p.update(key="not-an-option")), id="lesson"),
]


@pytest.mark.parametrize("release", [False, True])
@pytest.mark.parametrize("break_course", BREAKERS)
def test_build_of_malformed_course_writes_nothing(
    tmp_path: Path, nbgrader: Recorder, break_course: BreakCourse, release: bool
) -> None:
    course = new_course(tmp_path / "course")
    break_course(course)
    before = snapshot(course)

    with pytest.raises(BankError):
        build(course, release=release)

    assert snapshot(course) == before
    assert not any(path.exists() for path in generated(course))
    assert nbgrader.calls == []


def test_build_of_good_course_writes_and_releases(tmp_path: Path, nbgrader: Recorder) -> None:
    """Control for the test above: the same build does write, and calls the recorder."""
    course = new_course(tmp_path / "course")

    result = build(course, release=True)

    assert all(path.exists() for path in generated(course) if path.name != RELEASE_DIR)
    assert f"{EXAM}-en" in result.assignments and f"{EXAM}-nl" in result.assignments
    assert nbgrader.calls == [(str(course), "generate_assignment", "*", "--force")]


def test_build_of_malformed_bank_keeps_previous_output_untouched(
    tmp_path: Path, nbgrader: Recorder
) -> None:
    course = new_course(tmp_path / "course")
    build(course, release=False)
    before = snapshot(course)
    assert f"{SOURCE_DIR}/{EXAM}-en/{EXAM}-en.ipynb" in before
    set_field(CHOICE, question=text("What now?", "Wat nu?"))(course)  # would change notebooks
    set_field(OTHER_MULTI, key="firing-it-team-jibe")(course)
    changed = snapshot(course)

    with pytest.raises(BankError):
        build(course, release=True)

    assert snapshot(course) == changed  # the notebooks of the first build, unchanged
    assert nbgrader.calls == []


def test_check_command_reports_malformed_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = new_course(tmp_path / "course")
    set_field(CHOICE, key="not-an-option")(course)
    before = snapshot(course)

    assert main(["--course", str(course), "check"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("grader: the course content has 1 problem(s)")
    line = next(line for line in err.splitlines() if "not-an-option" in line)
    assert str(course / SOURCE_DIR / CHOICE_FILE) in line
    assert f"item {CHOICE!r}" in line
    assert "field 'key'" in line
    assert snapshot(course) == before


@pytest.mark.parametrize(
    ("title", "says"),
    [("Exam for {department}", "{department}"), ("Exam for {organisation", "unmatched brace")],
    ids=["unknown-placeholder", "unbalanced-brace"],
)
def test_check_command_reports_bad_placeholder_in_assessment_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, says: str
) -> None:
    """The trainer reads where the placeholder is, not a bare KeyError or a traceback."""
    course = new_course(tmp_path / "course")
    exam_title(title)(course)

    assert main(["--course", str(course), "check"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("grader: the course content has 1 problem(s)"), err
    line = next(line for line in err.splitlines() if says in line)
    assert str(course / SOURCE_DIR / ASSESSMENTS_FILE) in line
    assert f"item {EXAM!r}" in line and "field 'title.en'" in line


def test_check_command_accepts_good_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = new_course(tmp_path / "course")
    before = snapshot(course)

    assert main(["--course", str(course), "check"]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    counts = lines[: len(LANGUAGES)]
    assert [line.split(":")[0] for line in counts] == list(LANGUAGES)
    for line in counts:
        assert "13 lessons" in line and "58 items" in line and "13 assessments" in line, line
    assert "item writing:" in lines and "  en certification-exam: key longest in" in out
    assert lines[-1] == "course content OK"
    assert snapshot(course) == before  # check writes nothing
