"""The ``grader`` command: parses arguments, calls the library, prints the outcome."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from grader.bank import BankError
from grader.build import build
from grader.content import load_course
from grader.nbgrader_run import NbgraderError
from grader.roster import RosterError
from grader.settings import SettingsError, load_settings


def _build(args: argparse.Namespace) -> int:
    result = build(args.course, args.assessments or None, release=not args.no_release)
    for path in result.written:
        print(f"wrote {path}")
    released = "" if args.no_release else " and released"
    print(f"built{released}: {', '.join(result.assignments)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    settings = load_settings(args.course)
    for language in settings.languages:
        course = load_course(args.course, language)
        print(
            f"{language}: {len(course.lessons)} lessons, {len(course.practice)} practice "
            f"scenarios, {len(course.bank.items)} items, {len(course.bank.assessments)} assessments"
        )
    print("course content OK")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from grader.demo import run_demo

    run_demo(
        Path(args.course),
        Path(args.out),
        learners=args.learners,
        assessment=args.assessment,
        language=args.language,
    )
    return 0


def _cohort_autograde(args: argparse.Namespace) -> int:
    from grader.autograde import autograde_cohort

    started = time.perf_counter()
    outcomes = autograde_cohort(
        args.course,
        args.assignment,
        workers=args.workers,
        force=args.force,
        on_progress=progress_bar(sys.stderr),
    )
    print(file=sys.stderr)
    counts = Counter(outcome.status for outcome in outcomes)
    seconds = time.perf_counter() - started
    print(
        f"{args.assignment}: {counts['graded']} graded, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed, in {seconds:.1f} s"
    )
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"  failed: {outcome.learner}: {outcome.reason}")
    if not outcomes:
        print(f"no submissions of {args.assignment} found")
    return 1 if counts["failed"] else 0


def _cohort_roster(args: argparse.Namespace) -> int:
    from grader.nbgrader_api import course_db_url
    from grader.roster import import_roster

    result = import_roster(course_db_url(args.course), args.file)
    print(f"{len(result.created)} learners added, {len(result.updated)} updated")
    for problem in result.problems:
        print(f"  skipped {args.file}: {problem}")
    return 1 if result.problems else 0


def _cohort_export(args: argparse.Namespace) -> int:
    from grader.export import cohort_rows, write_csv

    rows = cohort_rows(args.course, args.assignment)
    out = Path(args.out or f"{args.assignment}-grades.csv")
    write_csv(rows, out)
    pending = sum(1 for row in rows if row.pending)
    print(f"wrote {out}: {len(rows)} learners, {pending} with written answers still to grade")
    return 0


def _cohort_release_zip(args: argparse.Namespace) -> int:
    from grader.lms import release_zip

    out = release_zip(args.course, args.assignment, args.out or f"{args.assignment}.zip")
    print(f"wrote {out}: upload it to your learning platform")
    return 0


def _cohort_ingest(args: argparse.Namespace) -> int:
    from grader.lms import ingest

    result = ingest(args.course, args.assignment, args.source, args.mapping)
    print(f"{len(result.filed)} submissions filed for {args.assignment}")
    for key in result.unmatched:
        print(f"  unmatched: {key!r} is no known learner (add it to a --mapping file)")
    for problem in result.problems:
        print(f"  not filed: {problem}")
    return 1 if result.unmatched or result.problems else 0


def progress_bar(stream: TextIO, width: int = 30):
    """A one-line progress bar for :func:`grader.autograde.autograde_cohort`."""

    def show(outcome, done: int, total: int) -> None:
        filled = width * done // total
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {outcome.learner}")
        stream.write(" " * 10)
        stream.flush()

    return show


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="grader", description="Build, grade and certify the social-media guidelines course."
    )
    main_parser.add_argument(
        "--course", default=".", help="the course folder (holds nbgrader_config.py)"
    )
    verbs = main_parser.add_subparsers(dest="verb", required=True)

    build_parser = verbs.add_parser("build", help="generate lessons and assessments, release them")
    build_parser.add_argument("assessments", nargs="*", help="assessment ids (default: all)")
    build_parser.add_argument(
        "--no-release", action="store_true", help="write solutions/ only, skip nbgrader"
    )
    build_parser.set_defaults(run=_build)

    check_parser = verbs.add_parser("check", help="validate settings, lessons and item bank")
    check_parser.set_defaults(run=_check)

    demo_parser = verbs.add_parser("demo", help="build, simulate a cohort, autograde, print scores")
    demo_parser.add_argument("--out", default="demo-course", help="folder for the demo course")
    demo_parser.add_argument("--learners", type=int, default=6, help="how many learners")
    demo_parser.add_argument(
        "--assessment", default="certification-exam", help="the assessment to grade"
    )
    demo_parser.add_argument("--language", default="en", help="the language to take it in")
    demo_parser.set_defaults(run=_demo)

    cohort_parser = verbs.add_parser("cohort", help="trainer commands for a cohort")
    cohort_verbs = cohort_parser.add_subparsers(dest="cohort_verb", required=True)
    autograde_parser = cohort_verbs.add_parser(
        "autograde", help="autograde every submission in parallel with nbgrader"
    )
    autograde_parser.add_argument("assignment", help="the nbgrader assignment, e.g. exam-en")
    autograde_parser.add_argument(
        "--workers", type=positive_int, default=None, help="parallel workers (default: cores)"
    )
    autograde_parser.add_argument(
        "--force", action="store_true", help="regrade submissions that have not changed"
    )
    autograde_parser.set_defaults(run=_cohort_autograde)
    roster_parser = cohort_verbs.add_parser(
        "roster", help="import learners from a CSV file (id, name, email, team)"
    )
    roster_parser.add_argument("file", help="the roster CSV")
    roster_parser.set_defaults(run=_cohort_roster)
    export_parser = cohort_verbs.add_parser(
        "export", help="CSV of grades per learner and per guideline, for HR systems"
    )
    export_parser.add_argument("assignment", help="the nbgrader assignment, e.g. exam-en")
    export_parser.add_argument("--out", help="the CSV file (default: <assignment>-grades.csv)")
    export_parser.set_defaults(run=_cohort_export)
    zip_parser = cohort_verbs.add_parser(
        "release-zip", help="zip the learner version of an assignment for an LMS"
    )
    zip_parser.add_argument("assignment")
    zip_parser.add_argument("--out", help="the zip file (default: <assignment>.zip)")
    zip_parser.set_defaults(run=_cohort_release_zip)
    ingest_parser = cohort_verbs.add_parser(
        "ingest", help="file the submissions an LMS download holds (folder or zip)"
    )
    ingest_parser.add_argument("assignment")
    ingest_parser.add_argument("source", help="the downloaded folder or zip")
    ingest_parser.add_argument("--mapping", help="CSV mapping LMS names (key) to learner_id")
    ingest_parser.set_defaults(run=_cohort_ingest)
    return main_parser


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (
        BankError,
        SettingsError,
        NbgraderError,
        RosterError,
        KeyError,
        FileNotFoundError,
    ) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"grader: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
