"""Release, submit, collect and feedback through nbgrader's exchange, as on a JupyterHub.

The trainer uses ``grader cohort release/collect/feedback``; learners use the plain
``nbgrader fetch_assignment``, ``submit`` and ``fetch_feedback`` commands, each in a home
folder of their own under their own user name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.cli.main import main
from grader.cohort.gradebook import item_scores
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.learner.answers import save_answer
from grader.learner.simulate import all_right

from .conftest import ASSIGNMENT, EXERCISE, learner_nbgrader

pytestmark = pytest.mark.nbgrader


def test_release_submit_collect_grade_and_return_feedback(
    hub_course: tuple[Path, Path], tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture
) -> None:
    course, exchange = hub_course
    items = bank.items_of(EXERCISE)
    course_arg = ["--course", str(course)]

    assert main([*course_arg, "cohort", "release", ASSIGNMENT]) == 0
    assert "released" in capsys.readouterr().out

    homes = {name: tmp_path / "home" / name for name in ("ada", "bo")}
    for name, home in homes.items():
        learner_nbgrader(home, exchange, "fetch_assignment", ASSIGNMENT)
        answers_file = home / ASSIGNMENT / f"{ASSIGNMENT}.answers.json"
        answers = all_right(items) if name == "ada" else {}
        for item_id, answer in answers.items():
            save_answer(answers_file, item_id, answer)
        learner_nbgrader(home, exchange, "submit", ASSIGNMENT)

    assert main([*course_arg, "cohort", "collect", ASSIGNMENT]) == 0
    out = capsys.readouterr().out
    assert f"2 submissions of {ASSIGNMENT}" in out
    assert "not submitted yet (1): cas" in out

    assert main([*course_arg, "cohort", "autograde", ASSIGNMENT]) == 0
    scores = item_scores(course_db_url(course), ASSIGNMENT)
    assert sorted(scores) == ["ada", "bo"]
    for item in items:
        expected = None if item.kind == "free-text" else item.points
        assert scores["ada"][item.id] == expected, item.id
        assert scores["bo"][item.id] in (None, 0.0), item.id

    assert main([*course_arg, "cohort", "feedback", ASSIGNMENT, "--release"]) == 0
    out = capsys.readouterr().out
    assert f"{ASSIGNMENT}: feedback for 2 learners" in out and "released the feedback" in out

    learner_nbgrader(homes["ada"], exchange, "fetch_feedback", ASSIGNMENT)
    fetched = list((homes["ada"] / ASSIGNMENT / "feedback").glob("*/*.html"))
    assert len(fetched) == 1, "the learner gets their own feedback, and only that"
    page = fetched[0].read_text(encoding="utf-8")
    choice = next(item for item in items if item.kind == "choice")
    auto = [item for item in items if item.kind != "free-text"]
    assert page.count('<p class="status right">') == len(auto)  # ada's, not bo's
    assert " ".join(choice.explanation.split()[:5]) in " ".join(page.split())


def test_release_of_an_unknown_assignment_names_the_known_ones(
    hub_course: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    course, _ = hub_course
    assert main(["--course", str(course), "cohort", "release", "exam-xx"]) == 2
    err = capsys.readouterr().err
    assert "unknown assessment 'exam-xx': built are " in err and f"{EXERCISE} (en, nl)" in err


def test_feedback_before_grading_says_what_to_do_first(
    hub_course: tuple[Path, Path], capsys: pytest.CaptureFixture
) -> None:
    course, _ = hub_course
    assert main(["--course", str(course), "cohort", "feedback", ASSIGNMENT]) == 0
    assert "run `grader cohort autograde` first" in capsys.readouterr().out


def test_a_course_folder_has_a_working_exchange_without_any_setup(
    built_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """No /usr/local/share/nbgrader/exchange needed: the course's own ./exchange is used."""
    monkeypatch.delenv("GRADER_EXCHANGE", raising=False)
    assert main(["--course", str(built_course), "cohort", "release", ASSIGNMENT]) == 0
    capsys.readouterr()
    released = built_course / "exchange" / "social-media-guidelines" / "outbound" / ASSIGNMENT
    assert (released / f"{ASSIGNMENT}.ipynb").is_file()


def test_a_missing_exchange_folder_is_named_with_what_to_do(
    built_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The old message blamed a course_id and a POSIX system, which were both fine."""
    missing = tmp_path / "no-such-folder" / "exchange"
    with (built_course / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(missing)!r}\n")  # set after configure: kept
    assert main(["--course", str(built_course), "cohort", "release", ASSIGNMENT]) == 2
    err = capsys.readouterr().err
    assert f"exchange folder {missing} is missing or not writable" in err
    assert "c.Exchange.root in nbgrader_config.py" in err and "POSIX" not in err
