"""Attacks on grading and the mistakes a careless trainer makes, through the real commands.

Each test is named after what it reproduces; each failed before the fix it guards.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grader.build.assignments import SourceFolderError, build
from grader.cohort.export import cohort_rows
from grader.cohort.gradebook import default_db_url, item_scores
from grader.course.items import Bank
from grader.course.nbgrader_course import run_nbgrader
from grader.grading.autograde import autograde_cohort
from grader.grading.pool import last_line
from grader.grading.run_state import AssignmentLocked, graded_digests, grading_lock
from grader.learner.quiz import Quiz
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader

SCRIPT = "<script>fetch('/formgrader/api/grade/1', {method: 'PUT'})</script>"
IMAGE = "<img src=x onerror=alert(document.cookie)>"


def free_text_items(bank: Bank) -> list[str]:
    return [item.id for item in bank.items_of(ASSESSMENT) if item.kind == "free-text"]


def notebook_of(course: Path, step: str, learner: str) -> dict:
    path = course / step / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))


def cell_source(notebook: dict, grade_id: str) -> str:
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return "".join(cell["source"])
    raise KeyError(grade_id)


def test_script_typed_into_the_written_answer_cell_never_reaches_formgrader(
    built_course: Path, bank: Bank
) -> None:
    """The learner writes markup into the answer cell itself and leaves the item out of
    the answers file (or gives an invalid answer), and puts widget state with a script in
    the notebook's metadata. The trainer's formgrader and the feedback must get none."""
    first, second = free_text_items(bank)[:2]
    wrong = all_wrong(bank.items_of(ASSESSMENT))
    answers = {k: v for k, v in wrong.items() if k not in (first, second)} | {second: 42}

    def plant(notebook: dict) -> None:
        for cell in notebook["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") in (first, second):
                cell["source"] = f"{SCRIPT}\n{IMAGE}\n[click](javascript:alert(1))"
                cell["attachments"] = {"x.png": {"image/png": "AAAA"}}
        state = {"state": {"m": {"state": {"value": SCRIPT}}}}
        notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": state}

    submit(built_course, ASSIGNMENT, "mallory", answers, edit_notebook=plant)
    run_nbgrader(built_course, "autograde", ASSIGNMENT)
    graded = notebook_of(built_course, "autograded", "mallory")
    text = json.dumps(graded)
    assert "<script" not in text and "onerror" not in text and "javascript:" not in text
    assert "widgets" not in graded["metadata"]
    run_nbgrader(built_course, "generate_feedback", ASSIGNMENT)
    page = (built_course / "feedback" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert SCRIPT not in page and "onerror=alert" not in page and "javascript:alert" not in page


@pytest.mark.parametrize(
    "answer",
    [
        "[my manager](javascript:alert(1)) agreed",
        "![](http://tracker.example/pixel.png) fine",
        "<a href='https://evil.example'>press office</a>",
        "https://evil.example/login and www.evil.example",
    ],
)
def test_a_written_answer_is_never_a_live_link_or_image(
    built_course: Path, bank: Bank, answer: str
) -> None:
    item = free_text_items(bank)[0]
    submit(built_course, ASSIGNMENT, "mallory", {item: answer})
    run_nbgrader(built_course, "autograde", ASSIGNMENT)
    run_nbgrader(built_course, "generate_feedback", ASSIGNMENT)
    page = (built_course / "feedback" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    answer_part = page[page.index("answer") :]
    assert not re.search(r"<a\s[^>]*href=[\"']?(javascript|https?://evil|https?://tracker)", page)
    assert not re.search(r"<img\s[^>]*src=[\"']?https?://tracker", page)
    visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer_part)).split())
    assert " ".join(answer.split()) in visible, "the answer is shown, as written"


def test_a_symlinked_answers_file_in_submitted_is_refused_by_autograde(
    built_course: Path, bank: Bank
) -> None:
    """A submission reaching ``submitted/`` by another way than collect (an LMS folder,
    a copy by hand) with its answers file linked to another learner's."""
    items = bank.items_of(ASSESSMENT)
    victim = submit(built_course, ASSIGNMENT, "ada", all_right(items))
    attacker = submit(built_course, ASSIGNMENT, "bo", None)
    (attacker / f"{ASSIGNMENT}.answers.json").symlink_to(victim / f"{ASSIGNMENT}.answers.json")
    outcomes = {o.learner: o for o in autograde_cohort(built_course, ASSIGNMENT, workers=1)}
    assert outcomes["ada"].status == "graded"
    assert outcomes["bo"].status == "failed"
    assert "symbolic link" in outcomes["bo"].reason and ASSIGNMENT in outcomes["bo"].reason
    assert "bo" not in item_scores(default_db_url(built_course), ASSIGNMENT)


def test_answers_left_in_the_instructor_folder_are_never_graded_or_released(
    built_course: Path, bank: Bank
) -> None:
    """A trainer clicked through the instructor notebook (an older package saved the
    answers beside it): nbgrader copies the source folder over every submission."""
    items = bank.items_of(ASSESSMENT)
    source = built_course / "solutions" / ASSIGNMENT
    preview = source / f"{ASSIGNMENT}.answers.json"
    preview.write_text(json.dumps({"version": 1, "answers": all_right(items)}))
    submit(built_course, ASSIGNMENT, "eve", all_wrong(items))
    run_nbgrader(built_course, "autograde", ASSIGNMENT)
    scores = item_scores(default_db_url(built_course), ASSIGNMENT)["eve"]
    assert set(scores.values()) <= {0.0, None}, "graded on the trainer's answers"
    with pytest.raises(SourceFolderError, match=f"solutions/{ASSIGNMENT}/{ASSIGNMENT}.answers"):
        build(built_course)
    assert preview.exists(), "nothing is deleted on the trainer's behalf"


def test_trying_the_instructor_version_saves_nothing_beside_it(built_course: Path) -> None:
    source = built_course / "solutions" / ASSIGNMENT
    quiz = Quiz(ASSIGNMENT, source)
    question = next(iter(quiz.questions))
    widget = quiz.ask(question)
    assert "not saved beside the notebook" in widget.status.value
    assert quiz.answers_file.parent != source
    assert not list(source.glob("*.answers.json"))


def grader_command(course: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "grader.cli.main", "--course", str(course), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def cohort(course: Path, bank: Bank, names: list[str]) -> dict[str, dict]:
    items = bank.items_of(ASSESSMENT)
    answers = {name: (all_right if i % 2 else all_wrong)(items) for i, name in enumerate(names)}
    for name, given in answers.items():
        submit(course, ASSIGNMENT, name, given)
    return answers


def expected_scores(bank: Bank, answers: dict) -> dict[str, float]:
    right = all_right(bank.items_of(ASSESSMENT))
    return {
        item.id: (item.points if answers.get(item.id) == right.get(item.id) else 0.0)
        for item in bank.items_of(ASSESSMENT)
        if item.kind != "free-text"
    }


def test_a_run_killed_midway_is_finished_by_the_next_run(built_course: Path, bank: Bank) -> None:
    """``kill -9`` of ``grader cohort autograde`` while it grades, then the documented
    re-run: every submission ends up graded in full, none "unchanged" by mistake."""
    names = [f"learner{n}" for n in range(4)]
    answers = cohort(built_course, bank, names)
    db_url = default_db_url(built_course)
    run = grader_command(built_course, "cohort", "autograde", ASSIGNMENT, "--workers", "1")
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None:
        digests = graded_digests(db_url, ASSIGNMENT) if Path(db_url[10:]).exists() else {}
        if any(digests.values()) and None in digests.values():
            break  # one graded, another being graded
        time.sleep(0.05)
    assert run.poll() is None, "the run finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    interrupted = [
        name for name, digest in graded_digests(db_url, ASSIGNMENT).items() if not digest
    ]
    assert interrupted, "a submission was being graded when the run was killed"
    exported = {row.learner for row in cohort_rows(built_course, ASSIGNMENT)}
    assert not exported & set(interrupted), "a half-graded submission was exported"

    outcomes = {o.learner: o.status for o in autograde_cohort(built_course, ASSIGNMENT)}
    for name in interrupted:
        assert outcomes[name] == "graded"
    scores = item_scores(db_url, ASSIGNMENT)
    for name in names:
        expected = expected_scores(bank, answers[name])
        assert {item: scores[name][item] for item in expected} == expected, name
    assert sorted(row.learner for row in cohort_rows(built_course, ASSIGNMENT)) == names


def test_two_runs_at_once_the_second_stops_and_names_the_first(
    built_course: Path, bank: Bank
) -> None:
    names = [f"learner{n}" for n in range(4)]
    answers = cohort(built_course, bank, names)
    args = ("cohort", "autograde", ASSIGNMENT, "--force", "--workers", "1")
    first, second = grader_command(built_course, *args), grader_command(built_course, *args)
    results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [0, 2], results
    refused = next(err for status, _, err in results if status == 2)
    assert "another autograde run is grading" in refused and "process" in refused
    scores = item_scores(default_db_url(built_course), ASSIGNMENT)
    for name in names:
        expected = expected_scores(bank, answers[name])
        assert {item: scores[name][item] for item in expected} == expected, name


def test_a_lock_left_by_a_dead_run_is_taken_over_and_a_live_one_is_not(
    built_course: Path, bank: Bank
) -> None:
    cohort(built_course, bank, ["ada"])
    db_url = default_db_url(built_course)
    with grading_lock(db_url, ASSIGNMENT, ["ada"]), pytest.raises(AssignmentLocked):
        autograde_cohort(built_course, ASSIGNMENT, learners=["ada"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], **TEXT)
    pid = int(dead.stdout)
    from grader.grading import run_state
    from grader.grading.engines import shared_engine

    with shared_engine(db_url).begin() as db:
        db.execute(
            run_state.LOCKS.insert().values(
                assignment=ASSIGNMENT,
                learner="ada",
                holder="someone",
                host=run_state.socket.gethostname(),
                pid=pid,
                since=run_state._now(),
            )
        )
    (outcome,) = autograde_cohort(built_course, ASSIGNMENT, learners=["ada"])
    assert outcome.status == "graded"


TEXT = {"capture_output": True, "text": True, "check": True}


def test_a_resubmitted_written_answer_is_never_left_with_the_old_grade(
    built_course: Path, bank: Bank
) -> None:
    """The trainer grades a written answer; the learner resubmits without it (or with
    another one). The old score must not count, or certify would pass an unreviewed exam."""
    item = free_text_items(bank)[0]
    items = bank.items_of(ASSESSMENT)
    db_url = default_db_url(built_course)
    first = {**all_right(items), item: "I would forward it to the press office."}
    submit(built_course, ASSIGNMENT, "ada", first)
    autograde_cohort(built_course, ASSIGNMENT)
    with Gradebook(db_url) as gradebook:
        grade = gradebook.find_grade(item, ASSIGNMENT, ASSIGNMENT, "ada")
        grade.manual_score, grade.needs_manual_grade = 2.0, False  # as formgrader saves it
        gradebook.db.commit()

    autograde_cohort(built_course, ASSIGNMENT, force=True)  # the same answer, regraded
    assert item_scores(db_url, ASSIGNMENT)["ada"][item] == 2.0, "the trainer's grade stands"

    submit(built_course, ASSIGNMENT, "ada", {k: v for k, v in first.items() if k != item})
    autograde_cohort(built_course, ASSIGNMENT)
    assert item_scores(db_url, ASSIGNMENT)["ada"][item] == 0.0, "no answer, no points"

    submit(built_course, ASSIGNMENT, "ada", {**first, item: "Another answer altogether."})
    autograde_cohort(built_course, ASSIGNMENT)
    assert item_scores(db_url, ASSIGNMENT)["ada"][item] is None, "waits for the trainer"
    (row,) = cohort_rows(built_course, ASSIGNMENT)
    assert row.pending >= 1 and not row.passed


def test_deeply_nested_answers_and_a_corrupt_notebook_still_grade(
    built_course: Path, bank: Bank
) -> None:
    items = bank.items_of(ASSESSMENT)
    nested = '{"version": 1, "answers": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    submit(built_course, ASSIGNMENT, "deep", None, answers_text=nested)
    folder = submit(built_course, ASSIGNMENT, "broken", all_right(items))
    (folder / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [ {"cell_type": "mark')
    outcomes = {o.learner: o for o in autograde_cohort(built_course, ASSIGNMENT)}
    assert outcomes["deep"].status == "graded"
    assert outcomes["broken"].status == "graded"
    assert "graded from the released notebook" in outcomes["broken"].reason
    assert (folder / f"{ASSIGNMENT}.ipynb.unreadable").exists(), "the learner's file is kept"
    scores = item_scores(default_db_url(built_course), ASSIGNMENT)
    assert set(scores["deep"].values()) <= {0.0, None}
    assert scores["broken"] == {**scores["broken"], **expected_scores(bank, all_right(items))}
    feedback = notebook_of(built_course, "autograded", "deep")
    assert "nested too deeply" in json.dumps(feedback)


def test_a_failure_names_its_real_reason() -> None:
    error = (
        "[AutogradeApp | ERROR] There was an error processing assignment: x\n"
        "Traceback (most recent call last):\n"
        '  File "converters/base.py", line 1, in convert\n'
        "nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{\"cells\": [ {'\n"
        "[AutogradeApp | ERROR] Please see the above traceback for details.\n"
    )
    assert last_line(error).startswith("nbformat.reader.NotJSONError: Notebook does not")
    missing = (
        "nbgrader.converters.base.NbGraderException: No assignment with ID 'x' exists\n"
        "[ERROR] Please see the the above traceback for details on the specific errors.\n"
        "Traceback (most recent call last):\n"
        "nbgrader.converters.base.NbGraderException: Please see the the above traceback\n"
    )
    assert last_line(missing).endswith("No assignment with ID 'x' exists")


def test_export_reads_a_read_only_gradebook_without_writing(built_course: Path, bank: Bank) -> None:
    cohort(built_course, bank, ["ada", "bo"])
    autograde_cohort(built_course, ASSIGNMENT)
    gradebook = built_course / "gradebook.db"
    before = gradebook.read_bytes()
    url = f"sqlite:///file:{gradebook}?mode=ro&uri=true"
    with (built_course / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    rows = cohort_rows(built_course, ASSIGNMENT)
    assert [row.learner for row in rows] == ["ada", "bo"]
    assert gradebook.read_bytes() == before
