"""``grader worker ADDRESS``: a grading worker for a Dask scheduler, on any machine."""

from __future__ import annotations

import argparse
import os

from grader.cli.cohort import positive_int


def _worker(args: argparse.Namespace) -> int:
    from grader.grading.cluster import worker_command

    command = worker_command(args.scheduler, args.processes, args.name)
    os.execvp(command[0], command)  # the worker runs until it is stopped
    return 0  # not reached


def register(verbs: argparse._SubParsersAction) -> None:
    """Add ``grader worker`` to the ``grader`` command."""
    worker_parser = verbs.add_parser(
        "worker",
        help="grade submissions for a Dask scheduler (`grader cohort autograde --scheduler`)",
        description=(
            "Start grading workers for the Dask scheduler at ADDRESS. The machine needs this "
            "package, the course folder at the same path as on the trainer's machine, and "
            "the gradebook on PostgreSQL."
        ),
    )
    worker_parser.add_argument("scheduler", metavar="ADDRESS", help="tcp://host:8786")
    worker_parser.add_argument(
        "--processes",
        type=positive_int,
        default=os.cpu_count() or 1,
        help="worker processes, each grading one submission at a time (default: cores)",
    )
    worker_parser.add_argument("--name", help="the workers' name in the scheduler's list")
    worker_parser.set_defaults(run=_worker)
