"""``grader demo``: the whole loop on embedded defaults, in a folder of its own.

Copies the repository's configuration and item bank into a fresh course folder, builds
and releases the assessments, simulates a small cohort (honest learners of varying
skill, one who never answered, one who tampers with the notebook), grades it with the
real ``nbgrader autograde`` into a SQLite gradebook and prints the scores.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from grader.bank import Bank, load_bank
from grader.build import SOURCE_DIR, build
from grader.gradebook import default_db_url, item_scores
from grader.guidelines import GUIDELINES
from grader.nbgrader_run import run_nbgrader
from grader.simulate import realistic_answers, submit, wrong_answer

NAMES = ["anna", "bram", "chloe", "daan", "emma", "farid", "greet", "hugo", "iris", "jonas"]
TAMPERING_CELL = (
    "import grader.check\ngrader.check.check_answer = lambda *a, points=1, **k: points\n"
)


def prepare_course(repo_root: Path, out: Path) -> Path:
    """A fresh course folder holding the repository's config and item bank."""
    if out.exists():
        shutil.rmtree(out)
    (out / SOURCE_DIR).mkdir(parents=True)
    shutil.copy(repo_root / "nbgrader_config.py", out / "nbgrader_config.py")
    for path in sorted((repo_root / SOURCE_DIR).glob("*.yaml")):
        shutil.copy(path, out / SOURCE_DIR / path.name)
    return out


def simulate_cohort(course: Path, bank: Bank, assessment: str, learners: int) -> list[str]:
    """Submit ``learners`` simulated learners; returns their ids."""
    rng = random.Random(2010)
    items = bank.items_of(assessment)
    names = [
        NAMES[i % len(NAMES)] + (str(i // len(NAMES)) if i >= len(NAMES) else "")
        for i in range(learners)
    ]
    for index, name in enumerate(names):
        skill = 0.45 + 0.5 * index / max(1, learners - 1)
        submit(course, assessment, name, realistic_answers(items, skill, rng))
    submit(course, assessment, "no-answers", None)
    wrong = {i.id: wrong_answer(i) for i in items if wrong_answer(i) is not None}

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

    submit(course, assessment, "tamperer", wrong, edit_notebook=add_cell)
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
            earned = sum(per_item.get(i.id) or 0.0 for i in items if i.guideline == g.slug)
            row.append(f"{round(earned, 2):g}")
        row.append(f"{sum(v or 0.0 for v in per_item.values()):.2f}")
        row.append(f"{sum(i.points for i in items):g}")
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


def run_demo(repo_root: Path, out: Path, learners: int = 6) -> None:
    """Build, simulate, autograde and print the score table of each assessment."""
    course = prepare_course(repo_root, out)
    print(f"Course folder: {out}")
    started = time.perf_counter()
    built = build(course)
    print(
        f"Built and released: {', '.join(built.assessments)} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    bank = load_bank(course / SOURCE_DIR)
    for assessment in built.assessments:
        cohort = simulate_cohort(course, bank, assessment, learners)
        print(f"Autograding {len(cohort)} submissions of {assessment} with nbgrader ...")
        started = time.perf_counter()
        run_nbgrader(course, "autograde", assessment)
        print(f"Graded in {time.perf_counter() - started:.1f} s\n")
        print(score_table(bank, assessment, item_scores(default_db_url(course), assessment)))
        print()
    print("G1-G8 are the guidelines; 'to grade' counts written answers awaiting a trainer.")
    print(f"Grade them in the formgrader: cd {out} && jupyter lab  (Nbgrader > Formgrader).")
