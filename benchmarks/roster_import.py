"""Benchmark: `grader cohort roster` for 100,000 rows (target: under 10 s).

Writes a roster of N rows (a few of them bad: a missing id, a repeated id, an invalid email)
and imports it into a fresh SQLite gradebook with :func:`grader.cohort.roster.import_roster`,
then the same file again (every learner known: all updates) and a changed one (new emails
and teams). The baseline, in the same run, is nbgrader's own way as the import did it
before: one ``Gradebook.update_or_create_student`` (a query and a commit) per row, then one
team upsert per row. That takes minutes for 100,000 rows, so it runs on the first
``--sample`` rows and is scaled up to N (a low estimate: it slows down as the table grows).
Both ways import that sample, then its changed version, into gradebooks of their own,
which must end up identical. Making the empty gradebook (nbgrader runs ``alembic``, once
per course) is timed apart.

    .venv/bin/python benchmarks/roster_import.py --rows 100000 [--sample 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook, Student
from sqlalchemy import create_engine, select
from sqlalchemy.dialects.sqlite import insert

from grader.cohort.gradebook import default_db_url
from grader.cohort.roster import _metadata, import_roster, learner_teams, read_roster, teams_table

TEAMS = ("Sales", "IT", "HR", "Finance", "Logistics", "Marketing", "Customer service", "Legal")
TARGET_SECONDS = 10.0
BAD_EVERY = 10_000  # one bad row of each kind per this many rows


def write_roster(path: Path, rows: int, seed: int, domain: str = "example.com") -> int:
    """A roster of ``rows`` data rows; returns how many of them are bad."""
    rng = random.Random(seed)
    lines, bad = ["id,name,email,team"], 0
    for n in range(rows):
        if n % BAD_EVERY == BAD_EVERY - 1:  # in turn: no id, an id used before, a bad email
            kind = n // BAD_EVERY % 3
            lines.append(
                [
                    f",No Id {n},noid{n}@example.com,Sales",
                    f"learner{n - 1:06d},Repeated {n},again{n}@example.com,HR",
                    f"learner{n:06d},Bad Mail {n},not-an-email,IT",
                ][kind]
            )
            bad += 1
            continue
        lines.append(
            f"learner{n:06d},Learner {n} Example,learner{n}@example.com,{rng.choice(TEAMS)}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def nbgrader_way(db_url: str, path: Path) -> None:
    """The import as it was: nbgrader's per-row update, then one upsert per team."""
    learners, _ = read_roster(path)
    with Gradebook(db_url) as gradebook:
        for learner in learners:
            first, _, last = learner.name.partition(" ")
            gradebook.update_or_create_student(
                learner.id,
                first_name=first or None,
                last_name=last or None,
                email=learner.email or None,
            )
    engine = create_engine(db_url)
    _metadata.create_all(engine)
    with engine.begin() as connection:
        for learner in learners:
            if learner.team:
                statement = insert(teams_table).values(learner_id=learner.id, team=learner.team)
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["learner_id"], set_={"team": learner.team}
                    )
                )
    engine.dispose()


def contents(db_url: str) -> tuple[list, dict[str, str]]:
    """Every student row and every team, for comparing two gradebooks."""
    engine = create_engine(db_url)
    with engine.connect() as db:
        rows = sorted(tuple(row) for row in db.execute(select(Student.__table__)))
    engine.dispose()
    return rows, learner_teams(db_url)


def timed(action):
    """What ``action()`` returns, and the seconds it took."""
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def new_gradebook(folder: Path) -> str:
    """An empty gradebook as nbgrader makes it (once per course; it runs ``alembic``)."""
    folder.mkdir()
    db_url = default_db_url(folder)
    Gradebook(db_url).close()
    return db_url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000, help="rows the baseline imports")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    rows, sampled = args.rows, min(args.sample, args.rows)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        roster, changed = folder / "roster.csv", folder / "changed.csv"
        bad = write_roster(roster, rows, args.seed)
        write_roster(changed, rows, args.seed + 1, "example.org")  # new emails and teams
        db_url, making = timed(lambda: new_gradebook(folder / "new"))
        result, first = timed(lambda: import_roster(db_url, roster))
        repeat, again = timed(lambda: import_roster(db_url, roster))
        _, update = timed(lambda: import_roster(db_url, changed))
        sample, sample_changed = folder / "sample.csv", folder / "sample-changed.csv"
        write_roster(sample, sampled, args.seed)
        write_roster(sample_changed, sampled, args.seed + 1, "example.org")
        old_url, same_url = new_gradebook(folder / "old"), new_gradebook(folder / "same")
        _, old = timed(lambda: nbgrader_way(old_url, sample))
        nbgrader_way(old_url, sample_changed)
        import_roster(same_url, sample)
        import_roster(same_url, sample_changed)
        identical = contents(old_url) == contents(same_url)
    baseline = old * rows / sampled
    print(f"roster: {rows} rows ({bad} bad, {len(result.problems)} reported), SQLite gradebook")
    print(f"new gradebook (nbgrader, once per course, not counted): {making:.2f} s")
    print(
        f"import: {first:.2f} s, {rows / first:,.0f} rows/s (target < {TARGET_SECONDS:g} s): "
        + ("met" if first < TARGET_SECONDS else "NOT met")
    )
    known = len(repeat.updated)
    print(f"same file again ({known} known, all updated, none changed): {again:.2f} s")
    print(f"a changed file (new emails and teams): {update:.2f} s, {rows / update:,.0f} rows/s")
    print(
        f"nbgrader's per-row way: {old:.2f} s for {sampled} rows, {sampled / old:,.0f} rows/s, "
        f"so about {baseline:.0f} s for {rows} (scaled up): {baseline / first:.0f}x the import"
    )
    print(
        "same gradebook as nbgrader's way on the sample, imported and then changed: "
        + ("yes" if identical else "NO")
    )
    return 0 if first < TARGET_SECONDS and identical else 1


if __name__ == "__main__":
    sys.exit(main())
