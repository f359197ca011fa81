"""What a name stands for (an assessment or one language version), and how a learner who
submitted in more than one language is counted once."""

from __future__ import annotations

import pytest

from grader.cohort.assessments import UnknownAssessment, combine, versions_among
from grader.cohort.gradebook import AssignmentGrades, Attempt, Grade, Learner, Submission

BUILT = {
    "certification-exam-nl",
    "certification-exam-en",
    "exercise-01-confidential-en",
    "exercise-01-confidential-nl",
}


def test_an_assessment_stands_for_every_built_language_in_the_course_order() -> None:
    assert versions_among(BUILT, "certification-exam") == [
        "certification-exam-en",
        "certification-exam-nl",
    ]
    assert versions_among(BUILT, "certification-exam-nl") == ["certification-exam-nl"]
    assert versions_among({"certification-exam-nl"}, "certification-exam") == [
        "certification-exam-nl"
    ]


@pytest.mark.parametrize(
    "name", ["certification", "certification-exam-de", "exam", "certification-exam-en-nl", ""]
)
def test_an_unknown_name_is_refused_with_the_built_assessments(name: str) -> None:
    with pytest.raises(UnknownAssessment) as refused:
        versions_among(BUILT, name)
    message = refused.value.args[0]
    assert message.startswith(f"unknown assessment {name!r}: built are ")
    assert "certification-exam (en, nl), exercise-01-confidential (en, nl)" in message
    assert isinstance(refused.value, KeyError)  # the command line prints it, exit status 2


def test_a_language_that_is_not_built_is_refused() -> None:
    with pytest.raises(UnknownAssessment, match=r"built are certification-exam \(en\);"):
        versions_among({"certification-exam-en"}, "certification-exam-nl")
    with pytest.raises(UnknownAssessment, match=r"nothing is built yet \(run `grader build`\)"):
        versions_among(set(), "certification-exam")


def submission(learner: str, assignment: str, timestamp: str, score: float) -> Submission:
    grade = Grade("item-1", score, 1.0, False, None)
    return Submission(Learner(learner, learner.title(), ""), timestamp, (grade,), 0.0, assignment)


def test_a_learner_in_two_languages_counts_once_with_the_latest_submission() -> None:
    """No double counting: one submission per learner, the one left out named on it."""
    students = (Learner("ann", "Ann", ""), Learner("bo", "Bo", ""), Learner("cy", "Cy", ""))
    english = AssignmentGrades(
        students,
        (
            submission("ann", "exam-en", "2026-11-02 09:00:00", 1.0),
            submission("bo", "exam-en", "2026-11-03 09:00:00", 0.0),
        ),
    )
    dutch = AssignmentGrades(
        students,
        (
            submission("bo", "exam-nl", "2026-11-02 10:00:00.5", 1.0),  # earlier than English
            submission("cy", "exam-nl", "2026-11-02 09:00:00", 1.0),
        ),
    )
    combined = combine([english, dutch])
    assert [s.id for s in combined.students] == ["ann", "bo", "cy"]
    counted = {s.learner.id: s for s in combined.submissions}
    assert [s.learner.id for s in combined.submissions] == ["ann", "bo", "cy"]
    assert counted["bo"].assignment == "exam-en" and counted["bo"].grades[0].score == 0.0
    assert counted["bo"].others == (Attempt("exam-nl", "2026-11-02 10:00:00.5"),)
    assert counted["ann"].others == () and counted["cy"].assignment == "exam-nl"
    assert combine([english]).submissions == english.submissions
