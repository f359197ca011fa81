"""Benchmark: plain serial `nbgrader autograde` against `grader cohort autograde`.

Builds a synthetic cohort with realistic answer patterns in a temporary course folder,
grades one copy with nbgrader and another with grader, checks that both gradebooks are
identical and prints the times, the ratio and seconds per notebook.

    .venv/bin/python benchmarks/autograde_cohort.py --learners 100
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from jupyter_client.manager import start_new_kernel

from grader.build.assignments import assignment_name, build
from grader.cohort.gradebook import default_db_url, snapshot
from grader.course.content import load_course
from grader.course.nbgrader_course import run_nbgrader
from grader.course.paths import CONTENT_DIR, SOURCE_DIR
from grader.course.settings import SETTINGS_FILE
from grader.grading.autograde import autograde_cohort
from grader.learner.simulate import realistic_answers, submit

REPO = Path(__file__).resolve().parent.parent


def make_course(folder: Path, assessment: str, language: str, learners: int, seed: int) -> str:
    """A built course with ``learners`` submissions of one assessment; returns its assignment."""
    for part in (SOURCE_DIR, CONTENT_DIR):
        (folder / part).mkdir(parents=True)
        for path in (REPO / part).glob("*.yaml"):
            shutil.copy(path, folder / part / path.name)
    for name in ("nbgrader_config.py", SETTINGS_FILE):
        shutil.copy(REPO / name, folder / name)
    build(folder, [assessment])
    items = load_course(folder, language).bank.items_of(assessment)
    assignment = assignment_name(assessment, language)
    rng = random.Random(seed)
    for number in range(learners):
        skill = min(0.98, max(0.2, rng.gauss(0.7, 0.15)))
        submit(folder, assignment, f"learner{number:04d}", realistic_answers(items, skill, rng))
    return assignment


def kernel_start(times: int = 3) -> tuple[float, float]:
    """The median wall time until a new IPython kernel answers, and its processor time."""
    walls, cpus = [], []
    for _ in range(times):
        started = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3")
        walls.append(time.perf_counter() - started)
        cpu = psutil.Process(km.provisioner.process.pid).cpu_times()
        cpus.append(cpu.user + cpu.system)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--assessment", default="certification-exam")
    parser.add_argument("--language", default="en")
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        serial = Path(scratch) / "serial"
        assignment = make_course(serial, args.assessment, args.language, args.learners, args.seed)
        parallel = Path(scratch) / "parallel"
        shutil.copytree(serial, parallel)

        started = time.perf_counter()
        run_nbgrader(serial, "autograde", assignment)
        serial_seconds = time.perf_counter() - started

        started = time.perf_counter()
        outcomes = autograde_cohort(parallel, assignment, workers=args.workers)
        parallel_seconds = time.perf_counter() - started

        failed = [o for o in outcomes if o.status != "graded"]
        same = snapshot(default_db_url(serial), assignment) == snapshot(
            default_db_url(parallel), assignment
        )
    n = args.learners
    print(f"cohort: {n} learners, {assignment}, {args.workers} workers, {os.cpu_count()} cores")
    for label, seconds in (
        ("nbgrader autograde (serial)", serial_seconds),
        ("grader cohort autograde", parallel_seconds),
    ):
        print(f"{label + ':':30}{seconds:8.1f} s  {seconds / n:6.2f} s/notebook")
    print(f"speed-up: {serial_seconds / parallel_seconds:.2f}x (target >= 4x on 2 cores)")
    wall, cpu = kernel_start()
    print(
        f"one kernel start on this machine: {wall:.2f} s until it answers, {cpu:.2f} s of "
        f"processor time; grader's whole cost per notebook and worker: "
        f"{parallel_seconds * min(args.workers, os.cpu_count() or 1) / n:.2f} s"
    )
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"identical gradebooks: {'yes' if same else 'NO'}; not graded: {len(failed)}")
    return 0 if same and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
