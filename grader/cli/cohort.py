"""``grader cohort …``: the trainer's commands for a cohort of learners."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from grader.cli.certificates import add_due_verb


def _cohort_autograde(args: argparse.Namespace) -> int:
    from grader.grading.autograde import TESTS_CHANGED, autograde_cohort

    started = time.perf_counter()
    outcomes = autograde_cohort(
        args.course,
        args.assignment,
        workers=args.workers,
        force=args.force,
        take_over=args.take_over,
        on_progress=progress_bar(sys.stderr),
    )
    print(file=sys.stderr)
    counts = Counter(outcome.status for outcome in outcomes)
    seconds = time.perf_counter() - started
    print(
        f"{args.assignment}: {counts['graded']} graded, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed, in {seconds:.1f} s"
    )
    again = [o.learner for o in outcomes if o.status == "graded" and o.reason == TESTS_CHANGED]
    if again:
        print(
            f"  {len(again)} graded again because the assignment's tests changed since they "
            f"were graded (a fixed key, for instance): {', '.join(again)}"
        )
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"  failed: {outcome.learner}: {outcome.reason}")
    if not outcomes:
        print(f"no submissions of {args.assignment} found")
    return 1 if counts["failed"] else 0


def _cohort_roster(args: argparse.Namespace) -> int:
    from grader.cohort.roster import import_roster
    from grader.course.nbgrader_course import course_db_url

    result = import_roster(course_db_url(args.course), args.file)
    print(f"{len(result.created)} learners added, {len(result.updated)} updated")
    for problem in result.problems:
        print(f"  skipped {args.file}: {problem}")
    return 1 if result.problems else 0


def _cohort_export(args: argparse.Namespace) -> int:
    from grader.cohort.export import cohort_rows, write_csv
    from grader.course.settings import load_settings

    rows = cohort_rows(args.course, args.assignment)
    out = Path(args.out or f"{args.assignment}-grades.csv")
    write_csv(rows, out, load_settings(args.course).pass_mark)
    pending = sum(1 for row in rows if row.pending)
    print(f"wrote {out}: {len(rows)} learners, {pending} with written answers still to grade")
    return 0


def _cohort_report(args: argparse.Namespace) -> int:
    from grader.cohort.report.page import summary
    from grader.cohort.report.write import write_report

    report = write_report(args.course, args.assignment, args.out or f"{args.assignment}-report")
    for path in report.files:
        print(f"wrote {path}")
    print(summary(report.data))
    return 0


def _cohort_release_zip(args: argparse.Namespace) -> int:
    from grader.cohort.lms import release_zip

    out = release_zip(args.course, args.assignment, args.out or f"{args.assignment}.zip")
    print(f"wrote {out}: upload it to your learning platform")
    return 0


def _cohort_ingest(args: argparse.Namespace) -> int:
    from grader.cohort.lms import ingest

    result = ingest(args.course, args.assignment, args.source, args.mapping)
    print(f"{len(result.filed)} submissions filed for {args.assignment}")
    for key in result.unmatched:
        print(f"  unmatched: {key!r} is no known learner (add it to a --mapping file)")
    for problem in result.problems:
        print(f"  not filed: {problem}")
    return 1 if result.unmatched or result.problems else 0


def _cohort_release(args: argparse.Namespace) -> int:
    from grader.cohort.exchange import release_to_exchange

    release_to_exchange(args.course, args.assignment)
    print(f"released {args.assignment} to nbgrader's exchange: learners can fetch it now")
    return 0


def _cohort_collect(args: argparse.Namespace) -> int:
    from grader.cohort.exchange import collect_from_exchange

    collected = collect_from_exchange(args.course, args.assignment)
    print(f"{len(collected.submitted)} submissions of {args.assignment} in submitted/")
    if collected.missing:
        shown = ", ".join(collected.missing[:20])
        more = f" and {len(collected.missing) - 20} more" if len(collected.missing) > 20 else ""
        print(f"  not submitted yet ({len(collected.missing)}): {shown}{more}")
    for refusal in collected.refused:
        print(f"  refused: {refusal}")
    return 1 if collected.refused else 0


def _cohort_feedback(args: argparse.Namespace) -> int:
    from grader.cohort.exchange import release_feedback_to_exchange
    from grader.grading.autograde import generate_feedback_cohort

    outcomes = generate_feedback_cohort(
        args.course, args.assignment, workers=args.workers, on_progress=progress_bar(sys.stderr)
    )
    if outcomes:
        print(file=sys.stderr)
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    print(f"{args.assignment}: feedback for {len(outcomes) - len(failed)} learners in feedback/")
    for outcome in failed:
        print(f"  failed: {outcome.learner}: {outcome.reason}")
    if not outcomes:
        print(f"no graded submissions of {args.assignment}: run `grader cohort autograde` first")
    if args.release and len(outcomes) > len(failed):
        release_feedback_to_exchange(args.course, args.assignment)
        print("released the feedback to nbgrader's exchange (learners: nbgrader fetch_feedback)")
    return 1 if failed else 0


def progress_bar(stream: TextIO, width: int = 30):
    """A one-line progress bar for :func:`grader.grading.autograde.autograde_cohort`."""

    def show(outcome, done: int, total: int) -> None:
        filled = width * done // total
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {outcome.learner}")
        stream.write(" " * 10)
        stream.flush()

    return show


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``grader cohort`` and its verbs to the ``grader`` command."""
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
    autograde_parser.add_argument(
        "--take-over",
        action="store_true",
        help="take the grading lock of a run that was stopped on another machine",
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
    report_parser = cohort_verbs.add_parser(
        "report", help="HTML report and CSV tables: results, item analysis, weakest guidelines"
    )
    report_parser.add_argument("assignment", help="the nbgrader assignment, e.g. exam-en")
    report_parser.add_argument("--out", help="the report folder (default: <assignment>-report)")
    report_parser.set_defaults(run=_cohort_report)
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
    release_parser = cohort_verbs.add_parser(
        "release", help="release an assignment through nbgrader's exchange"
    )
    release_parser.add_argument("assignment")
    release_parser.set_defaults(run=_cohort_release)
    collect_parser = cohort_verbs.add_parser(
        "collect", help="collect submissions from nbgrader's exchange; list who is missing"
    )
    collect_parser.add_argument("assignment")
    collect_parser.set_defaults(run=_cohort_collect)
    feedback_parser = cohort_verbs.add_parser(
        "feedback", help="write each graded learner's feedback (score and explanations)"
    )
    feedback_parser.add_argument("assignment")
    feedback_parser.add_argument(
        "--workers", type=positive_int, default=None, help="parallel workers (default: cores)"
    )
    feedback_parser.add_argument(
        "--release", action="store_true", help="also release it through nbgrader's exchange"
    )
    feedback_parser.set_defaults(run=_cohort_feedback)
    deadline_parser = cohort_verbs.add_parser(
        "deadline", help="show, set or clear an assignment's due date"
    )
    deadline_parser.add_argument("assignment")
    deadline_parser.add_argument("when", nargs="?", help="for example 2027-01-31T17:00+01:00")
    deadline_parser.add_argument("--clear", action="store_true", help="remove the due date")
    deadline_parser.set_defaults(run=_cohort_deadline)
    remove_parser = cohort_verbs.add_parser(
        "remove", help="take a learner out: grades, submissions and feedback"
    )
    remove_parser.add_argument("learner")
    remove_parser.add_argument("--yes", action="store_true", help="delete (without: only show)")
    remove_parser.set_defaults(run=_cohort_remove)
    add_due_verb(cohort_verbs)


def _cohort_deadline(args: argparse.Namespace) -> int:
    from grader.cohort.due_dates import DueDateError, due_date, parse_due, set_due_date

    if args.when and args.clear:
        raise DueDateError("give a due date or --clear, not both")
    if args.when or args.clear:
        set_due_date(args.course, args.assignment, None if args.clear else parse_due(args.when))
    due = due_date(args.course, args.assignment)
    if due is None:
        print(f"{args.assignment} has no due date: no submission counts as late")
    else:
        print(
            f"{args.assignment} is due {due:%Y-%m-%d %H:%M} UTC: later submissions are graded "
            f"and marked late (export, report, formgrader)"
        )
    return 0


def _cohort_remove(args: argparse.Namespace) -> int:
    import datetime as dt

    from grader.certificates.register import Register
    from grader.cohort.remove import plan_removal, remove_learner
    from grader.course.nbgrader_course import course_db_url

    removal = (remove_learner if args.yes else plan_removal)(args.course, args.learner)
    done = "removed" if args.yes else "would remove (run again with --yes)"
    grades = f"the gradebook entry and {removal.submissions} graded submission(s)"
    parts = [str(folder) for folder in removal.folders]
    parts += [grades] if removal.in_gradebook else []
    print(f"{removal.learner}: {done}: {'; '.join(parts)}")
    today = dt.datetime.now(dt.UTC).date()
    with Register(course_db_url(args.course)) as register:
        valid = [
            c
            for c in register.certificates(removal.learner)
            if c.status == "issued" and not c.expired(today)
        ]
    for certificate in valid:
        print(
            f"  certificate {certificate.id} stays valid until {certificate.expires_on}; "
            f'to withdraw it: grader revoke {certificate.id} --reason "..."'
        )
    return 0


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
