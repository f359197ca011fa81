"""``grader cohort …``: the trainer's commands for a cohort of learners.

Each command takes an assessment (``certification-exam``: every language version that is
built) or one language version (``certification-exam-nl``). Export and report combine the
languages into one cohort; the others run on each language version in turn and print
per version.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from grader.cli.certificates import add_due_verb
from grader.cli.cohort_intake import NAME_HELP, add_intake_verbs, versions


def _cohort_autograde(args: argparse.Namespace) -> int:
    return max(_autograde_version(args, version) for version in versions(args))


def _autograde_version(args: argparse.Namespace, assignment: str) -> int:
    from grader.grading.autograde import TESTS_CHANGED, autograde_cohort

    started = time.perf_counter()
    outcomes = autograde_cohort(
        args.course,
        assignment,
        workers=args.workers,
        force=args.force,
        take_over=args.take_over,
        scheduler=args.scheduler,
        on_progress=progress_bar(sys.stderr),
    )
    print(file=sys.stderr)
    counts = Counter(outcome.status for outcome in outcomes)
    seconds = time.perf_counter() - started
    print(
        f"{assignment}: {counts['graded']} graded, {counts['unchanged']} unchanged, "
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
        print(f"no submissions of {assignment} found")
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
    from grader.cohort.export import cohort_rows, language_counts, language_figures, write_csv
    from grader.course.settings import load_settings

    rows = cohort_rows(args.course, args.assignment)
    out = Path(args.out or f"{args.assignment}-grades.csv")
    write_csv(rows, out, load_settings(args.course).pass_mark)
    pending = sum(1 for row in rows if row.pending)
    languages = language_figures(language_counts(rows))
    print(
        f"wrote {out}: {len(rows)} learners ({languages or 'none'}), {pending} with written "
        f"answers still to grade"
    )
    for row in rows:
        if row.others:
            print(
                f"  {row.learner}: the {row.language} submission of {row.submitted_at} counts; "
                f"also submitted {row.also_submitted} (not counted)"
            )
    return 0


def _cohort_report(args: argparse.Namespace) -> int:
    from grader.cohort.report.page import summary
    from grader.cohort.report.write import write_report

    report = write_report(args.course, args.assignment, args.out or f"{args.assignment}-report")
    for path in report.files:
        print(f"wrote {path}")
    print(summary(report.data))
    return 0


def _cohort_feedback(args: argparse.Namespace) -> int:
    return max(_feedback_version(args, version) for version in versions(args))


def _feedback_version(args: argparse.Namespace, assignment: str) -> int:
    from grader.cohort.exchange import release_feedback_to_exchange
    from grader.grading.autograde import generate_feedback_cohort

    outcomes = generate_feedback_cohort(
        args.course, assignment, workers=args.workers, on_progress=progress_bar(sys.stderr)
    )
    if outcomes:
        print(file=sys.stderr)
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    print(f"{assignment}: feedback for {len(outcomes) - len(failed)} learners in feedback/")
    for outcome in failed:
        print(f"  failed: {outcome.learner}: {outcome.reason}")
    if not outcomes:
        print(f"no graded submissions of {assignment}: run `grader cohort autograde` first")
    if args.release and len(outcomes) > len(failed):
        release_feedback_to_exchange(args.course, assignment)
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
    autograde_parser.add_argument("assignment", help=NAME_HELP)
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
    autograde_parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on the workers of this Dask scheduler (tcp://host:8786), not here",
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
    export_parser.add_argument("assignment", help=NAME_HELP)
    export_parser.add_argument("--out", help="the CSV file (default: <assignment>-grades.csv)")
    export_parser.set_defaults(run=_cohort_export)
    report_parser = cohort_verbs.add_parser(
        "report", help="HTML report and CSV tables: results, item analysis, weakest guidelines"
    )
    report_parser.add_argument("assignment", help=NAME_HELP)
    report_parser.add_argument("--out", help="the report folder (default: <assignment>-report)")
    report_parser.set_defaults(run=_cohort_report)
    add_intake_verbs(cohort_verbs)
    feedback_parser = cohort_verbs.add_parser(
        "feedback", help="write each graded learner's feedback (score and explanations)"
    )
    feedback_parser.add_argument("assignment", help=NAME_HELP)
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
    deadline_parser.add_argument("assignment", help=NAME_HELP)
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
    when = parse_due(args.when) if args.when else None
    for version in versions(args):
        if args.when or args.clear:
            set_due_date(args.course, version, when)
        due = due_date(args.course, version)
        if due is None:
            print(f"{version} has no due date: no submission counts as late")
        else:
            print(
                f"{version} is due {due:%Y-%m-%d %H:%M} UTC: later submissions are graded "
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
