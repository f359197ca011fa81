"""End to end: simulated learners → the real ``nbgrader autograde`` → scores in the gradebook.

One autograde run grades the whole cohort, honest and hostile learners alike, so the run
itself shows that no submission stops the others. Every tampering learner answers
everything wrong (or not at all): any point they get is a point they did not earn.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from nbgrader.api import Gradebook

from grader.cohort.gradebook import default_db_url, item_scores
from grader.course.content import load_course
from grader.course.items import Bank
from grader.course.nbgrader_course import run_nbgrader
from grader.learner.simulate import SAMPLE_WRITTEN_ANSWER, all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT, REPO

pytestmark = pytest.mark.nbgrader

TEST_CELL_IDS = "confidential-protected-report-brake-defects", "respect-competitor-outage-post-v2"
FREE_TEXT = "expertise-depot-rumour-reply", "count-to-ten-late-night-customer-reply"
PARTIAL = {
    # key 3 of 5 options, 2 points: one right pick earns a third.
    "respect-competitor-outage-post-v2": (["firing-it-team-jibe"], 0.6667),
    # key 4 of 5: three right (+3/4) and no wrong → 2 x 3/4.
    "black-period-dashboard-post-v2": (
        ["busiest-quarter-twenty-percent", "results-day-teaser", "share-tip-joke"],
        1.5,
    ),
    # key 3 of 5: two right (+2/3), one of two wrong (-1/2) → 2 x 1/6.
    "confidential-conference-talk-slides": (
        ["live-dashboard-screenshot", "named-client-pilot-results", "why-routing-is-hard"],
        0.3333,
    ),
    # key 4 of 5: one right (+1/4), the one wrong (-1/1) → floored at zero.
    "relevance-job-ad-where-to-share-v2": (["own-linkedin-profile", "football-team-whatsapp"], 0.0),
}


MARKUP_ANSWER = "<img src=x onerror=alert(1)> Sorry, I overreacted."


def code_cell(source: str) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": [],
        "execution_count": None,
        "id": f"added-{abs(hash(source)) % 10**8}",
    }


def add_cells(*sources: str):
    def edit(notebook: dict) -> None:
        for source in sources:
            notebook["cells"].insert(2, code_cell(source))

    return edit


def cell_index(notebook: dict, grade_id: str) -> int:
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in notebook["cells"]]
    return ids.index(grade_id)


def rewrite_test_cells(notebook: dict) -> None:
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade") and cell["cell_type"] == "code":
            cell["source"] = "1000"
            cell["metadata"]["nbgrader"]["points"] = 1000


def unmark_and_rewrite_test_cells(notebook: dict) -> None:
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade") and cell["cell_type"] == "code":
            cell["metadata"] = {}
            cell["source"] = "print('all good')"


def delete_test_cells(notebook: dict) -> None:
    notebook["cells"] = [
        c
        for c in notebook["cells"]
        if not (c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code")
    ]


def forge_bonus_cell(notebook: dict) -> None:
    cell = code_cell("print('bonus')")
    cell["metadata"] = {
        "nbgrader": {
            "grade": True,
            "grade_id": "bonus",
            "locked": True,
            "points": 100,
            "solution": False,
            "schema_version": 3,
        }
    }
    notebook["cells"].append(cell)


def move_test_cell_first(notebook: dict) -> None:
    index = cell_index(notebook, TEST_CELL_IDS[0])
    notebook["cells"].insert(0, notebook["cells"].pop(index))


def change_kernel(notebook: dict) -> None:
    notebook["metadata"]["kernelspec"] = {"name": "evil", "display_name": "Evil", "language": "x"}


REDEFINE_CHECK = """
import grader.grading.check
grader.grading.check.check_answer = lambda *args, points=1, **kwargs: points
"""
ALWAYS_EQUAL = """
import collections
import grader.learner.answers, grader.grading.check

class AlwaysEqual(str):
    def __eq__(self, other): return True
    def __hash__(self): return 0

answers = collections.defaultdict(lambda: AlwaysEqual("x"))
grader.grading.check.read_answers = grader.learner.answers.read_answers = lambda path: answers
grader.grading.check.answer_problem = lambda *args: None
"""
PATCH_JSON_AND_OPEN = """
import builtins, json, io
json.loads = lambda *a, **k: {"version": 1, "answers": {}}
real_open = builtins.open
builtins.open = lambda *a, **k: io.StringIO('{"version": 1, "answers": {}}')
"""
SHADOW_MODULE = """
def check_answer(*args, points=1, **kwargs):
    return points
"""


def plant_shadow_package(folder: Path) -> None:
    """Modules in the submission that would be imported instead of the real package."""
    (folder / "grader").mkdir()
    (folder / "grader" / "__init__.py").write_text("")
    (folder / "grader" / "check.py").write_text(SHADOW_MODULE)
    (folder / "json.py").write_text("raise SystemExit('shadowed')\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, bank: Bank, built_course_template: Path):
    """Submit a whole cohort, autograde it once, and return (course, scores)."""
    import shutil

    course = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(built_course_template, course)
    items = bank.items_of(ASSESSMENT)
    right = all_right(items)
    wrong = all_wrong(items)

    def learner(name: str, answers: dict | None = None, **kwargs: Any) -> Path:
        return submit(course, ASSIGNMENT, name, answers, **kwargs)

    learner("all-correct", right)
    learner("all-wrong", wrong)
    partial = {item_id: picks for item_id, (picks, _) in PARTIAL.items()}
    learner("partial", {**partial, FREE_TEXT[1]: MARKUP_ANSWER})
    learner("no-answers-file")
    learner("corrupt-answers-file", answers_text='{"version": 1, "answers": {"confid')
    learner("redefines-check", wrong, edit_notebook=add_cells(REDEFINE_CHECK))
    learner("always-equal-object", wrong, edit_notebook=add_cells(ALWAYS_EQUAL))
    learner("patches-json-and-open", wrong, edit_notebook=add_cells(PATCH_JSON_AND_OPEN))
    learner("edits-locked-cells", wrong, edit_notebook=rewrite_test_cells)
    learner("unmarks-locked-cells", wrong, edit_notebook=unmark_and_rewrite_test_cells)
    learner("deletes-test-cells", wrong, edit_notebook=delete_test_cells)
    learner("deletes-test-cells-honest", right, edit_notebook=delete_test_cells)
    learner("forges-grade-cell", wrong, edit_notebook=forge_bonus_cell)
    learner("reorders-cells", wrong, edit_notebook=move_test_cell_first)
    learner("changes-kernel", wrong, edit_notebook=change_kernel)
    plant_shadow_package(learner("shadows-modules", wrong))
    learner(
        "invalid-answers",
        {
            "confidential-protected-report-brake-defects": [o.id for o in items[0].options],
            "respect-competitor-outage-post-v2": ["firing-it-team-jibe", "firing-it-team-jibe"],
            "black-period-dashboard-post-v2": ["busiest-quarter-twenty-percent", "made-up-option"],
            "black-period-family-whatsapp-question": {"__eq__": True},
            "expertise-depot-rumour-reply": 42,
        },
    )
    run_nbgrader(course, "autograde", ASSIGNMENT)
    return course, item_scores(default_db_url(course), ASSIGNMENT)


def autograded_cell(course: Path, learner: str, grade_id: str) -> dict:
    path = course / "autograded" / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return notebook["cells"][cell_index(notebook, grade_id)]


def rendered(source: str) -> str:
    """A Markdown cell as formgrader and the feedback pages render it (nbconvert)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def shown_text(source: str) -> str:
    """The text a reader sees of a Markdown cell: tags gone, entities decoded."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", rendered(source)))
    return " ".join(text.split())


def output_text(cell: dict) -> str:
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))


def test_every_learner_was_graded(graded, bank: Bank) -> None:
    _, scores = graded
    assert len(scores) == 17
    item_ids = {item.id for item in bank.items_of(ASSESSMENT)}
    for learner, per_item in scores.items():
        assert set(per_item) == item_ids, learner


def test_all_correct_gets_every_auto_point_and_written_answers_await_the_trainer(
    graded, bank: Bank
) -> None:
    course, scores = graded
    for item in bank.items_of(ASSESSMENT):
        expected = None if item.kind == "free-text" else item.points
        assert scores["all-correct"][item.id] == expected, item.id
    cell = autograded_cell(course, "all-correct", FREE_TEXT[0])
    source = "".join(cell["source"])
    assert SAMPLE_WRITTEN_ANSWER in shown_text(source)
    assert "Rubric" in source


def test_all_wrong_scores_zero_everywhere(graded) -> None:
    _, scores = graded
    assert set(scores["all-wrong"].values()) == {0.0}


def test_multi_select_partial_credit(graded) -> None:
    _, scores = graded
    for item_id, (_, expected) in PARTIAL.items():
        assert scores["partial"][item_id] == pytest.approx(expected, abs=1e-4), item_id
    assert scores["partial"]["confidential-protected-report-brake-defects"] == 0.0


@pytest.mark.parametrize(
    ("learner", "message"),
    [
        ("no-answers-file", "no answers file was found"),
        ("corrupt-answers-file", "is corrupt"),
    ],
)
def test_missing_or_corrupt_answers_file_scores_zero_with_a_message(
    graded, learner: str, message: str
) -> None:
    course, scores = graded
    assert set(scores[learner].values()) == {0.0}
    assert message in output_text(autograded_cell(course, learner, TEST_CELL_IDS[0]))


@pytest.mark.parametrize(
    "learner",
    [
        "redefines-check",
        "always-equal-object",
        "patches-json-and-open",
        "edits-locked-cells",
        "unmarks-locked-cells",
        "deletes-test-cells",
        "forges-grade-cell",
        "reorders-cells",
        "changes-kernel",
        "shadows-modules",
    ],
)
def test_tampering_earns_nothing(graded, learner: str) -> None:
    _, scores = graded
    assert set(scores[learner].values()) == {0.0}


def test_deleted_test_cells_are_restored_and_score_honestly(graded, bank: Bank) -> None:
    _, scores = graded
    auto_items = [item for item in bank.items_of(ASSESSMENT) if item.kind != "free-text"]
    assert all(scores["deletes-test-cells-honest"][i.id] == i.points for i in auto_items)


def test_forged_grade_cell_does_not_change_the_maximum(graded, bank: Bank) -> None:
    course, _ = graded
    maximum = sum(item.points for item in bank.items_of(ASSESSMENT))
    with Gradebook(default_db_url(course)) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "forges-grade-cell")
        honest = gradebook.find_submission(ASSIGNMENT, "all-wrong")
        assert submission.max_score == honest.max_score == maximum
        assert submission.score == 0.0


def test_invalid_answers_score_zero_with_a_reason(graded) -> None:
    course, scores = graded
    assert set(scores["invalid-answers"].values()) == {0.0}
    feedback = output_text(autograded_cell(course, "invalid-answers", TEST_CELL_IDS[1]))
    assert "not valid" in feedback


def test_written_answers_are_shown_as_text_not_markup(graded) -> None:
    course, scores = graded
    assert scores["partial"][FREE_TEXT[1]] is None
    source = "".join(autograded_cell(course, "partial", FREE_TEXT[1])["source"])
    assert MARKUP_ANSWER in shown_text(source)
    assert "<img" not in rendered(source)


def test_feedback_explains_without_revealing_test_code(graded, bank: Bank) -> None:
    course, _ = graded
    run_nbgrader(course, "generate_feedback", ASSIGNMENT)
    folder = course / "feedback"
    honest = (folder / "all-correct" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    for item in bank.items_of(ASSESSMENT):
        first_words = " ".join(item.explanation.split()[:6])
        assert html.escape(first_words, quote=False) in honest or first_words in honest
    assert "check_answer" not in honest and "HIDDEN TESTS" not in honest
    # Answer widgets are not run when grading: no widget leftovers in the feedback.
    assert "quiz.ask" not in honest and "model_id" not in honest
    missing = (folder / "no-answers-file" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "no answers file was found" in missing


def test_export_lists_every_learner_with_their_total(graded, bank: Bank) -> None:
    course, _ = graded
    items = bank.items_of(ASSESSMENT)
    auto_points = sum(item.points for item in items if item.kind != "free-text")
    run_nbgrader(course, "export")
    with (course / "grades.csv").open(newline="") as stream:
        rows = {
            row["student_id"]: row
            for row in csv.DictReader(stream)
            if row["assignment"] == ASSIGNMENT
        }
    assert len(rows) == 17
    assert float(rows["all-correct"]["raw_score"]) == auto_points
    assert float(rows["all-wrong"]["raw_score"]) == 0.0
    assert float(rows["all-correct"]["max_score"]) == sum(item.points for item in items)


def test_the_dutch_exam_grades_on_the_same_item_ids(built_course: Path, bank: Bank) -> None:
    dutch = load_course(REPO, "nl").bank
    items = dutch.items_of(ASSESSMENT)
    assignment = ASSIGNMENT.replace("-en", "-nl")
    submit(built_course, assignment, "an", all_right(items))
    run_nbgrader(built_course, "autograde", assignment)
    scores = item_scores(default_db_url(built_course), assignment)["an"]
    assert list(scores) == [item.id for item in bank.items_of(ASSESSMENT)]
    for item in items:
        assert scores[item.id] == (None if item.kind == "free-text" else item.points), item.id
    path = built_course / "autograded" / "an" / assignment / f"{assignment}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    test_cell = notebook["cells"][cell_index(notebook, TEST_CELL_IDS[0])]
    assert "Waarom:" in output_text(test_cell)
