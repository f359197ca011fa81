"""``grader cohort release-zip|ingest|release|collect``: handing an assessment out to the
learners and taking their submissions in, through an LMS or nbgrader's exchange.

Wired in by :mod:`grader.cli.cohort`. Each takes an assessment (every language version
that is built) or one language version, and runs on each version in turn; ``ingest``
files a download as one language version, so it needs one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

NAME_HELP = (
    "an assessment, e.g. certification-exam (all its languages), or one language version, "
    "e.g. certification-exam-nl"
)


def versions(args: argparse.Namespace) -> list[str]:
    """The language versions the command's name stands for (refused when unknown)."""
    from grader.cohort.assessments import language_versions

    return language_versions(args.course, args.assignment)


def _cohort_release_zip(args: argparse.Namespace) -> int:
    from grader.cohort.assessments import language_of
    from grader.cohort.lms import release_zip

    names = versions(args)
    for version in names:
        out = Path(args.out or f"{version}.zip")
        if args.out and len(names) > 1:  # one file per language: exam.zip -> exam-nl.zip
            out = out.with_name(f"{out.stem}-{language_of(version)}{out.suffix}")
        release_zip(args.course, version, out)
        print(f"wrote {out}: upload it to your learning platform ({version})")
    return 0


def _cohort_ingest(args: argparse.Namespace) -> int:
    from grader.cohort.assessments import one_version
    from grader.cohort.lms import ingest

    why = "and a download is filed as one of them"
    assignment = one_version(args.course, args.assignment, why)
    result = ingest(args.course, assignment, args.source, args.mapping)
    print(f"{len(result.filed)} submissions filed for {assignment}")
    for key in result.unmatched:
        print(f"  unmatched: {key!r} is no known learner (add it to a --mapping file)")
    for problem in result.problems:
        print(f"  not filed: {problem}")
    return 1 if result.unmatched or result.problems else 0


def _cohort_release(args: argparse.Namespace) -> int:
    from grader.cohort.exchange import release_to_exchange

    for version in versions(args):
        release_to_exchange(args.course, version)
        print(f"released {version} to nbgrader's exchange: learners can fetch it now")
    return 0


def _cohort_collect(args: argparse.Namespace) -> int:
    from grader.cohort.exchange import collect_from_exchange, still_missing

    names = versions(args)
    collected = [collect_from_exchange(args.course, version) for version in names]
    for version, one in zip(names, collected, strict=True):
        print(f"{len(one.submitted)} submissions of {version} in submitted/")
        for refusal in one.refused:
            print(f"  refused: {refusal}")
    missing = still_missing(collected)
    if missing:
        shown = ", ".join(missing[:20])
        more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
        where = " in any language" if len(names) > 1 else ""
        print(f"  not submitted yet{where} ({len(missing)}): {shown}{more}")
    return 1 if any(one.refused for one in collected) else 0


def add_intake_verbs(cohort_verbs: argparse._SubParsersAction) -> None:
    """Add the verbs that hand out and take in to ``grader cohort``."""
    zip_parser = cohort_verbs.add_parser(
        "release-zip", help="zip the learner version of an assignment for an LMS"
    )
    zip_parser.add_argument("assignment", help=NAME_HELP)
    zip_parser.add_argument(
        "--out",
        help="the zip file (default: <assignment>-<language>.zip; with several languages, "
        "--out exam.zip writes exam-en.zip, exam-nl.zip)",
    )
    zip_parser.set_defaults(run=_cohort_release_zip)
    ingest_parser = cohort_verbs.add_parser(
        "ingest", help="file the submissions an LMS download holds (folder or zip)"
    )
    ingest_parser.add_argument("assignment", help=NAME_HELP)
    ingest_parser.add_argument("source", help="the downloaded folder or zip")
    ingest_parser.add_argument("--mapping", help="CSV mapping LMS names (key) to learner_id")
    ingest_parser.set_defaults(run=_cohort_ingest)
    release_parser = cohort_verbs.add_parser(
        "release", help="release an assignment through nbgrader's exchange"
    )
    release_parser.add_argument("assignment", help=NAME_HELP)
    release_parser.set_defaults(run=_cohort_release)
    collect_parser = cohort_verbs.add_parser(
        "collect", help="collect submissions from nbgrader's exchange; list who is missing"
    )
    collect_parser.add_argument("assignment", help=NAME_HELP)
    collect_parser.set_defaults(run=_cohort_collect)
