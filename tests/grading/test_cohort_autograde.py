"""Parallel cohort autograding gives exactly the gradebook of serial ``nbgrader autograde``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from grader.cli.main import main
from grader.cohort.gradebook import default_db_url, snapshot
from grader.course.items import Bank
from grader.course.nbgrader_course import NbgraderError, run_nbgrader
from grader.grading.autograde import autograde_cohort, generate_feedback_cohort
from grader.learner.simulate import all_right, all_wrong, submit

from ..conftest import ASSESSMENT, ASSIGNMENT

pytestmark = pytest.mark.nbgrader


def add_cell(notebook: dict) -> None:
    notebook["cells"].insert(
        2,
        {
            "cell_type": "code",
            "id": "added",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "import grader\ngrader.check_answer = lambda *a, **k: 99",
        },
    )


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory, built_course_template: Path, bank: Bank):
    """The same cohort graded twice: serially by nbgrader and in parallel by grader."""
    serial = tmp_path_factory.mktemp("serial") / "course"
    shutil.copytree(built_course_template, serial)
    items = bank.items_of(ASSESSMENT)
    right = all_right(items)
    wrong = all_wrong(items)
    submit(serial, ASSIGNMENT, "ada", right)
    submit(serial, ASSIGNMENT, "bo", wrong)
    submit(serial, ASSIGNMENT, "cas", {**wrong, **dict(list(right.items())[:5])})
    submit(serial, ASSIGNMENT, "dee", None)
    submit(serial, ASSIGNMENT, "eve", wrong, edit_notebook=add_cell)
    broken = submit(serial, ASSIGNMENT, "fay", right)
    (broken / f"{ASSIGNMENT}.ipynb").write_text("{ this is not a notebook")
    parallel = tmp_path_factory.mktemp("parallel") / "course"
    shutil.copytree(serial, parallel)
    # A submission holding a link (here to ada's answers) is refused; nbgrader would follow it.
    linked = submit(parallel, ASSIGNMENT, "gus", None)
    (linked / f"{ASSIGNMENT}.answers.json").symlink_to(
        parallel / "submitted" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
    )
    # nbgrader exits non-zero because of the broken notebook, after grading the rest.
    with contextlib.suppress(NbgraderError):
        run_nbgrader(serial, "autograde", ASSIGNMENT)
    outcomes = autograde_cohort(parallel, ASSIGNMENT, workers=2)
    return serial, parallel, outcomes


def test_parallel_grades_equal_serial_grades(cohort) -> None:
    serial, parallel, _ = cohort
    names = ("ada", "bo", "cas", "dee", "eve")  # fay: see the test below
    expected = {name: snapshot(default_db_url(serial), ASSIGNMENT)[name] for name in names}
    graded = snapshot(default_db_url(parallel), ASSIGNMENT)
    assert {name: graded[name] for name in names} == expected


def cell_outputs(course: Path, learner: str) -> list[tuple[str, str]]:
    """Each autograded cell's id and printed output, as the feedback will show them."""
    path = course / "autograded" / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [
        (cell["id"], "".join("".join(output.get("text", "")) for output in cell.get("outputs", [])))
        for cell in notebook["cells"]
    ]


def test_parallel_feedback_text_equals_serial_feedback_text(cohort) -> None:
    """The graded cells, and the feedback pages made from them: plain ``nbgrader
    generate_feedback`` on the serial course, ``grader``'s workers on the parallel one."""
    serial, parallel, _ = cohort
    learners = ("ada", "bo", "cas", "dee", "eve")
    for learner in learners:
        outputs = cell_outputs(parallel, learner)
        assert outputs == cell_outputs(serial, learner), learner
        assert any("Score: " in text for _, text in outputs), learner
    run_nbgrader(serial, "generate_feedback", ASSIGNMENT, "--force")
    outcomes = generate_feedback_cohort(parallel, ASSIGNMENT, learners=list(learners), workers=2)
    assert {outcome.status for outcome in outcomes} == {"written"}
    for learner in learners:
        page = Path("feedback", learner, ASSIGNMENT, f"{ASSIGNMENT}.html")
        assert (parallel / page).read_text() == (serial / page).read_text(), learner


def test_no_grading_kernel_outlives_the_run(cohort) -> None:
    _, parallel, _ = cohort
    leftovers = []
    for process in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            cwd = os.readlink(process / "cwd")
            if cwd.startswith(str(parallel)) or "grader-kernel-" in cwd:
                leftovers.append((process.name, cwd))
    assert leftovers == []


def test_a_refused_submission_is_reported_and_the_others_are_graded(cohort) -> None:
    _, _, outcomes = cohort
    by_learner = {outcome.learner: outcome for outcome in outcomes}
    assert by_learner["gus"].status == "failed" and "symbolic link" in by_learner["gus"].reason
    names = ("ada", "bo", "cas", "dee", "eve", "fay")
    assert all(by_learner[name].status == "graded" for name in names)


def test_a_notebook_nbgrader_cannot_read_is_graded_from_the_release(cohort) -> None:
    """Plain nbgrader fails fay's whole submission; her answers file is valid."""
    serial, parallel, outcomes = cohort
    failed = snapshot(default_db_url(serial), ASSIGNMENT).get("fay", {"grades": []})
    assert not any(grade[2] for grade in failed["grades"]), "plain nbgrader scored nothing"
    (fay,) = [outcome for outcome in outcomes if outcome.learner == "fay"]
    assert "graded from the released notebook" in fay.reason
    graded = snapshot(default_db_url(parallel), ASSIGNMENT)
    assert [g[1:] for g in graded["fay"]["grades"]] == [g[1:] for g in graded["ada"]["grades"]]


def test_only_changed_submissions_are_regraded_unless_forced(
    cohort, tmp_path: Path, bank: Bank
) -> None:
    _, parallel, _ = cohort
    course = tmp_path / "course"
    shutil.copytree(parallel, course, symlinks=True)
    again = {o.learner: o.status for o in autograde_cohort(course, ASSIGNMENT, workers=2)}
    assert again == {
        "ada": "unchanged",
        "bo": "unchanged",
        "cas": "unchanged",
        "dee": "unchanged",
        "eve": "unchanged",
        "fay": "unchanged",
        "gus": "failed",
    }
    time.sleep(1.1)  # submission timestamps have a resolution of seconds
    items = bank.items_of(ASSESSMENT)
    submit(course, ASSIGNMENT, "bo", all_right(items))
    changed = {o.learner: o.status for o in autograde_cohort(course, ASSIGNMENT, workers=2)}
    assert changed["bo"] == "graded"
    assert [name for name, status in changed.items() if status == "graded"] == ["bo"]
    bo = snapshot(default_db_url(course), ASSIGNMENT)["bo"]
    assert sum(g[2] or 0 for g in bo["grades"]) > 0, "the new answers were graded"
    forced = autograde_cohort(course, ASSIGNMENT, workers=2, learners=["ada", "cas"], force=True)
    assert [o.status for o in forced] == ["graded", "graded"]


def test_the_command_shows_progress_and_a_summary_of_failures(
    cohort, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, parallel, _ = cohort
    course = tmp_path / "course"
    shutil.copytree(parallel, course, symlinks=True)
    code = main(["--course", str(course), "cohort", "autograde", ASSIGNMENT, "--workers", "2"])
    out, err = capsys.readouterr()
    assert code == 1, "a failed submission makes the run fail"
    assert f"{ASSIGNMENT}: 0 graded, 6 unchanged, 1 failed" in out
    assert "failed: gus: refused: the submission holds a symbolic link" in out
    assert "7/7" in err


def test_an_unknown_assignment_is_named(built_course: Path, capsys) -> None:
    code = main(["--course", str(built_course), "cohort", "autograde", "exam-xx"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown assessment 'exam-xx': built are certification-exam (en, nl)" in err
