"""The demo's second half: a simulated trainer grades the written answers, and the learners
who pass are certified, so a newcomer sees the loop end in a signed certificate."""

from __future__ import annotations

import os
from pathlib import Path

from nbgrader.api import Gradebook

from grader.certificates.certify import certificate_files, certify
from grader.certificates.verify import verify
from grader.cohort.roster import import_roster
from grader.course.items import Bank
from grader.course.nbgrader_course import course_api, course_db_url
from grader.course.settings import SIGNING_KEY_ENV
from grader.learner.answers import answers_path, read_answers


def grade_written_answers(course: Path, bank: Bank, assessment: str, assignment: str) -> int:
    """Score each written answer as a trainer might, by how much of the model answer it
    covers (in half points); returns how many answers were graded."""
    coursedir = course_api(course).coursedir
    graded = 0
    with Gradebook(course_db_url(course)) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            learner = submission.student.id
            folder = Path(coursedir.format_path(coursedir.submitted_directory, learner, assignment))
            try:
                answers = read_answers(answers_path(folder, assignment))
            except (OSError, ValueError):
                answers = {}
            for item in bank.items_of(assessment):
                if item.kind != "free-text":
                    continue
                grade = gradebook.find_grade(item.id, assignment, assignment, learner)
                if not grade.needs_manual_grade:
                    continue
                text = answers.get(item.id)
                model = item.model_answer or ""
                share = min(1.0, len(text) / len(model)) if isinstance(text, str) and model else 0
                grade.manual_score = round(item.points * share * 2) / 2
                grade.needs_manual_grade = False
                graded += 1
        gradebook.db.commit()
    return graded


def certify_cohort(course: Path, assignment: str, learners: list[str]) -> list[str]:
    """Put the learners on the roster, certify those who pass, verify one certificate;
    returns the lines to print."""
    roster = course / "demo-roster.csv"
    rows = [f"{name},{name.capitalize()} Demo,{name}@example.org,Demo" for name in learners]
    roster.write_text("id,name,email,team\n" + "\n".join(rows) + "\n", encoding="utf-8")
    import_roster(course_db_url(course), roster)
    # A demo key beside the course folder: the real one stays out of any course (README).
    os.environ.setdefault(SIGNING_KEY_ENV, str(course.parent / f"{course.name}-signing-key.pem"))
    result = certify(course, assignment)
    lines = [f"Certified: {len(result.issued)} passed, {len(result.failed)} did not"]
    for certificate in result.issued:
        pdf = certificate_files(certificate, result.out)["pdf"]
        lines.append(f"  {certificate.learner}: {pdf} (code {certificate.code})")
    if result.issued:
        check = verify(course, result.issued[0].code)
        lines.append(f"Verified {result.issued[0].code}: {check.status.upper()}: {check.headline}")
    return lines
