"""Benchmark: `grader cohort report` for a cohort of 10,000 learners (target: under 10 s).

Builds the certification exam in a temporary course folder, imports a roster of N learners
in eight teams and writes synthetic but realistic grades straight into nbgrader's gradebook
tables (learners of different ability, items of different difficulty, partial credit on
multi-select items, a few written answers still to grade). Setting up is not timed; the
report (reading the gradebook, the statistics, the HTML page and the CSV tables) is, and
then, in a second run, each of those steps on its own, to show where the time goes.

    .venv/bin/python benchmarks/cohort_report.py --learners 10000 [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from autograde_cohort import make_course  # this folder: the same course set-up
from nbgrader.api import Grade as GradeRow
from nbgrader.api import Gradebook, SubmittedAssignment, SubmittedNotebook
from sqlalchemy import insert

from grader.build.assignments import assignment_name
from grader.cohort.export import learner_rows
from grader.cohort.gradebook import default_db_url
from grader.cohort.report.csv_files import write_tables
from grader.cohort.report.data import compile_report, read_cohort
from grader.cohort.report.page import render
from grader.cohort.report.write import write_report
from grader.cohort.roster import import_roster
from grader.course.content import load_course

TEAMS = ("Sales", "IT", "HR", "Finance", "Logistics", "Marketing", "Customer service", "Legal")
TARGET_SECONDS = 10.0


def fill_gradebook(folder: Path, assessment: str, language: str, learners: int, seed: int):
    """Roster and grades of ``learners`` synthetic learners, written into the gradebook."""
    rng = random.Random(seed)
    assignment = assignment_name(assessment, language)
    roster = folder / "roster.csv"
    lines = ["id,name,email,team"]
    for n in range(learners):
        lines.append(f"learner{n:04d},Learner {n},learner{n}@example.com,{rng.choice(TEAMS)}")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_url = default_db_url(folder)
    import_roster(db_url, roster)
    items = {item.id: item for item in load_course(folder, language).bank.items_of(assessment)}
    difficulty = {item_id: rng.gauss(0.0, 0.8) for item_id in items}
    miskeyed = rng.choice(sorted(i for i in items if items[i].kind == "choice"))  # a wrong key
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_assignment(assignment).notebooks[0]
        cells = {cell.name: cell.id for cell in notebook.grade_cells}
        submissions, notebooks, grades = [], [], []
        moment = dt.datetime(2027, 3, 1, 9, 0)
        for n in range(learners):
            ability = rng.gauss(0.8, 0.8)
            submission_id, notebook_id = uuid.uuid4().hex, uuid.uuid4().hex
            submissions.append(
                {
                    "id": submission_id,
                    "assignment_id": notebook.assignment_id,
                    "student_id": f"learner{n:04d}",
                    "timestamp": moment + dt.timedelta(minutes=n),
                }
            )
            notebooks.append(
                {
                    "id": notebook_id,
                    "assignment_id": submission_id,
                    "notebook_id": notebook.id,
                    "flagged": False,
                }
            )
            for item_id, item in items.items():
                chance = 1 / (1 + math.exp(-1.7 * (ability - difficulty[item_id])))
                if item_id == miskeyed:
                    chance = 1 - chance
                grade = {"id": uuid.uuid4().hex, "notebook_id": notebook_id}
                grade["cell_id"] = cells[item_id]
                if item.kind == "free-text":
                    earned = sum(rng.random() < chance for _ in range(int(item.points)))
                    pending = rng.random() < 0.02
                    grade |= {"auto_score": None, "needs_manual_grade": pending}
                    grade["manual_score"] = None if pending else float(earned)
                elif item.kind == "multi-select":
                    share = sum(rng.random() < chance for _ in range(4)) / 4
                    grade |= {"auto_score": round(item.points * share, 4), "manual_score": None}
                    grade["needs_manual_grade"] = False
                else:
                    earned = item.points if rng.random() < chance else 0.0
                    grade |= {"auto_score": earned, "manual_score": None}
                    grade["needs_manual_grade"] = False
                grades.append(grade)
        db = gradebook.db
        db.execute(insert(SubmittedAssignment.__table__), submissions)
        db.execute(insert(SubmittedNotebook.__table__), notebooks)
        db.execute(insert(GradeRow.__table__), grades)
        db.commit()
    return assignment


def time_steps(course: Path, assignment: str, out: Path) -> dict[str, float]:
    """Seconds of each step of the report, run one by one."""
    seconds, started = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        seconds[name] = time.perf_counter() - started
        started = time.perf_counter()

    cohort = read_cohort(course, assignment)
    lap("read the gradebook")
    by_id = {item.id: item for item in cohort.items}
    rule = (cohort.pass_mark, cohort.guideline_minimum)
    learner_rows(cohort.grades.submissions, by_id, cohort.teams, *rule)
    lap("the export's totals alone (part of the figures)")
    data = compile_report(cohort)
    lap("figures")
    out.mkdir()
    tables = write_tables(data, out)
    lap("CSV tables")
    render(data, [path.name for path in tables])
    lap("HTML page")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--assessment", default="certification-exam")
    parser.add_argument("--language", default="en")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--keep", help="copy the report folder here to look at it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        make_course(course, args.assessment, args.language, learners=0, seed=args.seed)
        assignment = fill_gradebook(
            course, args.assessment, args.language, args.learners, args.seed
        )
        out = Path(scratch) / "report"
        started = time.perf_counter()
        report = write_report(course, assignment, out)
        seconds = time.perf_counter() - started
        sizes = {path.name: path.stat().st_size for path in report.files}
        steps = time_steps(course, assignment, Path(scratch) / "steps")
        if args.keep:
            shutil.copytree(out, args.keep, dirs_exist_ok=True)
    items = len(report.data.items)
    print(f"cohort: {args.learners} learners x {items} items, {assignment}, SQLite gradebook")
    print(f"report: {seconds:.2f} s (target < {TARGET_SECONDS:g} s): ", end="")
    print("met" if seconds < TARGET_SECONDS else "NOT met")
    print("steps: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items()))
    print("files: " + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in sizes.items()))
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
