"""``grader demo``: the whole loop on embedded defaults, in a folder of its own.

Copies the repository's configuration and item bank into a fresh course folder, builds
and releases the assessments, simulates a small cohort (honest learners of varying
skill, one who never answered, one who tampers with the notebook), grades it with
nbgrader's autograder in parallel (``grader cohort autograde``) into a SQLite gradebook,
prints the scores, lets a simulated trainer grade the written answers, writes each
learner's feedback and the cohort report, and certifies the learners who pass.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

from grader.build.assignments import assignment_name, build
from grader.cli.demo_trainer import certify_cohort, grade_written_answers
from grader.cohort.gradebook import item_scores
from grader.cohort.report.page import summary
from grader.cohort.report.write import write_report
from grader.course.content import load_course
from grader.course.guidelines import GUIDELINES
from grader.course.items import Bank
from grader.course.nbgrader_course import course_db_url
from grader.course.paths import CONTENT_DIR, SOURCE_DIR
from grader.course.points import points_text, total
from grader.course.settings import SETTINGS_FILE
from grader.grading.autograde import autograde_cohort, generate_feedback_cohort
from grader.learner.simulate import all_wrong, realistic_answers, submit

NAMES = ["anna", "bram", "chloe", "daan", "emma", "farid", "greet", "hugo", "iris", "jonas"]
TAMPERING_CELL = "import grader\ngrader.check_answer = lambda *a, points=1, **k: points\n"


def prepare_course(repo_root: Path, out: Path) -> Path:
    """A fresh course folder holding the repository's config, settings and content."""
    if out.exists():
        shutil.rmtree(out)
    for folder in (SOURCE_DIR, CONTENT_DIR):
        (out / folder).mkdir(parents=True)
        for path in sorted((repo_root / folder).glob("*.yaml")):
            shutil.copy(path, out / folder / path.name)
    for name in ("nbgrader_config.py", SETTINGS_FILE):
        shutil.copy(repo_root / name, out / name)
    return out


def simulate_cohort(
    course: Path, bank: Bank, assessment: str, assignment: str, learners: int
) -> list[str]:
    """Submit ``learners`` simulated learners to ``assignment``; returns their ids."""
    rng = random.Random(2010)
    items = bank.items_of(assessment)
    names = [
        NAMES[i % len(NAMES)] + (str(i // len(NAMES)) if i >= len(NAMES) else "")
        for i in range(learners)
    ]
    for index, name in enumerate(names):
        skill = 0.45 + 0.5 * index / max(1, learners - 1)
        submit(course, assignment, name, realistic_answers(items, skill, rng))
    submit(course, assignment, "no-answers", None)
    wrong = all_wrong(items)

    def add_cell(notebook: dict) -> None:
        notebook["cells"].insert(
            2,
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": TAMPERING_CELL,
            },
        )

    submit(course, assignment, "tamperer", wrong, edit_notebook=add_cell)
    return [*names, "no-answers", "tamperer"]


def score_table(bank: Bank, assessment: str, scores: dict[str, dict[str, float | None]]) -> str:
    """Scores per learner: per guideline, total, and written answers awaiting a trainer."""
    items = bank.items_of(assessment)
    guidelines = [g for g in GUIDELINES if any(i.guideline == g.slug for i in items)]
    header = ["learner", *[f"G{g.number}" for g in guidelines], "score", "max", "to grade"]
    rows = [header]
    for learner in sorted(scores):
        per_item = scores[learner]
        row = [learner]
        for g in guidelines:
            earned = total(per_item.get(i.id) or 0.0 for i in items if i.guideline == g.slug)
            row.append(points_text(earned))
        row.append(f"{total(v or 0.0 for v in per_item.values()):.2f}")
        row.append(points_text(total(i.points for i in items)))
        row.append(str(sum(v is None for v in per_item.values())))
        rows.append(row)
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    lines = [
        "  ".join(
            cell.rjust(w) if c else cell.ljust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_demo(
    repo_root: Path,
    out: Path,
    learners: int = 6,
    assessment: str = "certification-exam",
    language: str = "en",
) -> None:
    """Build the course, simulate a cohort taking one assessment, autograde, print scores."""
    course = prepare_course(repo_root, out)
    print(f"Course folder: {out}")
    started = time.perf_counter()
    built = build(course)
    print(
        f"Built {len(built.written)} files and released {len(built.assignments)} assignments "
        f"({time.perf_counter() - started:.1f} s)"
    )
    bank = load_course(course, language).bank
    assignment = assignment_name(assessment, language)
    cohort = simulate_cohort(course, bank, assessment, assignment, learners)
    print(f"Autograding {len(cohort)} submissions of {assignment} in parallel ...")
    started = time.perf_counter()
    outcomes = autograde_cohort(course, assignment)
    failed = ", ".join(o.learner for o in outcomes if o.status == "failed") or "none"
    print(f"Graded in {time.perf_counter() - started:.1f} s; failed: {failed}\n")
    print(score_table(bank, assessment, item_scores(course_db_url(course), assignment)))
    print()
    print("G1-G8 are the guidelines; 'to grade' counts written answers awaiting a trainer.")
    graded = grade_written_answers(course, bank, assessment, assignment)
    print(f"\nA simulated trainer graded {graded} written answers (in the formgrader, you do):\n")
    print(score_table(bank, assessment, item_scores(course_db_url(course), assignment)))
    feedback = generate_feedback_cohort(course, assignment)
    written = sum(outcome.status == "written" for outcome in feedback)
    print(f"\nFeedback for {written} learners: {out / 'feedback'}")
    report = write_report(course, assignment, course / f"{assignment}-report")
    print(f"Cohort report: {report.files[0]}")
    print(f"  {summary(report.data)}")
    print()
    print("\n".join(certify_cohort(course, assignment, cohort[:learners])))
    jupyter = Path(sys.executable).parent / "jupyter"  # the environment's, even when not on PATH
    print(f"\nSee the grades in the formgrader: cd {out} && {jupyter} lab (Nbgrader > Formgrader)")
